"""The web form's logic subset: regex and string-length constraints, simple relevance, photo size;
the server evaluates the same terms again and its answer counts."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from landmosaic.fieldwork.webform import read_webform
from landmosaic.fieldwork.webform_logic import Term, parse_constraint, parse_relevant
from tests.fieldwork.conftest import xlsx

SURVEY = [
    ["type", "name", "label", "required", "constraint", "relevant", "constraint_message", "parameters"],
    [
        "text",
        "code",
        "Plot code",
        "yes",
        "regex(., '^[A-Z]{2}-[0-9]{3}$')",
        "",
        "Two letters, a dash, three digits.",
        "",
    ],
    ["text", "notes", "Notes", "", "string-length(.) >= 3 and string-length(.) <= 20", "", "", ""],
    ["select_one yn", "burnt", "Burnt?", "yes", "", "", "", ""],
    ["integer", "burnt_area", "Burnt area (m²)", "yes", ". > 0", "${burnt} = 'yes'", "", ""],
    ["select_multiple uses", "uses", "Uses", "", "", "", "", ""],
    [
        "text",
        "wood_kind",
        "Which wood?",
        "yes",
        "",
        "selected(${uses}, 'wood') and ${burnt} != 'yes'",
        "",
        "",
    ],
    ["image", "photo", "Photo", "", "", "", "", "max-pixels=800"],
    ["geopoint", "where", "Where", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["yn", "yes", "Yes"],
    ["yn", "no", "No"],
    ["uses", "food", "Food"],
    ["uses", "wood", "Wood"],
]


@pytest.fixture
def logic_form(private_cast):
    form, _version, _created = services.form_upload(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        data=xlsx(survey=SURVEY, choices=CHOICES, settings=[["form_id", "version"], ["fire", "1"]]),
        filename="fire.xlsx",
    )
    return services.form_publish(actor=private_cast.editor, form=form)


def test_constraints_of_the_subset_are_read_and_the_rest_refused():
    constraint = parse_constraint('string-length(.) >= 3 and regex(., "^a\'b") and . <= 4.5')
    assert (
        constraint.lengths == [(">=", 3)]
        and constraint.pattern == "^a'b"
        and constraint.bounds == [("<=", Decimal("4.5"))]
    )
    assert parse_constraint("") is not None and parse_constraint("").allows("anything")
    for beyond in [
        ". != 3",
        ". > 1 or . < 0",
        "regex(., '([')",
        "string-length(.) > ${other}",
        "today() > .",
    ]:
        assert parse_constraint(beyond) is None, beyond
    assert parse_constraint("regex(., '^[A-Z]{2}$') and string-length(.) <= 2").allows("AB")
    assert not parse_constraint("regex(., '^[A-Z]{2}$')").allows("ABC")
    assert not parse_constraint("string-length(.) >= 3").allows("ab")


def test_relevance_of_the_subset_is_read_from_pyxform_output_and_evaluated():
    rule = parse_relevant(" /data/a  = 'x' or  selected( /data/uses , 'wood') or /data/n >= 2.5", "data")
    assert rule.join == "or" and rule.terms == [
        Term("=", "a", "x"),
        Term("selected", "uses", "wood"),
        Term(">=", "n", "2.5", numeric=True),
    ]
    assert rule.holds({"a": "x"}) and rule.holds({"uses": "food wood"}) and rule.holds({"n": "3"})
    assert not rule.holds({"a": "y", "uses": "food", "n": ""})  # an empty answer is not a number
    negated = parse_relevant("not(selected( /data/uses , 'wood'))", "data")
    assert negated.holds({}) and not negated.holds({"uses": "wood"})
    for beyond in [
        "/data/a = 'x' and /data/b = 'y' or /data/c = 'z'",
        "count(/data/r) > 1",
        "/other/a = 'x'",
        "/data/a > 'x'",
    ]:
        assert parse_relevant(beyond, "data") is None, beyond


@given(st.text(max_size=80))
def test_parsing_any_text_never_fails(text):
    parse_constraint(text)
    parse_relevant(text, "data")


def test_the_web_form_reads_conditions_patterns_and_photo_size(logic_form):
    webform = read_webform(logic_form.current_version.xform)
    assert webform.supported, webform.unsupported
    by_path = {q.path: q for q in webform.questions}
    assert by_path["code"].pattern == "^[A-Z]{2}-[0-9]{3}$"
    assert by_path["notes"].lengths == [(">=", 3), ("<=", 20)]
    assert json.loads(by_path["burnt_area"].relevant_json)["terms"] == [
        {"op": "=", "path": "burnt", "value": "yes", "numeric": False}
    ]
    assert by_path["photo"].max_pixels == 800


def test_a_condition_on_a_group_still_needs_collect(private_cast):
    data = xlsx(
        survey=[
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", ""],
            ["begin group", "g", "Group", "${a} = 'x'"],
            ["text", "b", "B", ""],
            ["end group", "", "", ""],
        ],
        choices=[],
        settings=[["form_id", "version"], ["grouped", "1"]],
    )
    _form, version, _created = services.form_upload(
        actor=private_cast.editor, landscape=private_cast.landscape, data=data, filename="g.xlsx"
    )
    assert read_webform(version.xform).unsupported == ["g"]


def fill(cast, form, answers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    url = f"/landscapes/{cast.landscape.slug}/field-data/forms/{form.pk}/fill/"
    html = client.get(url).content.decode()
    body = {"payload": json.dumps({"instanceID": f"uuid:{uuid.uuid4()}", "version": "1", "answers": answers})}
    response = client.post(url + "submit/", body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return html, response


def test_the_fill_page_carries_the_rules_for_the_browser(private_cast, logic_form):
    html, _response = fill(private_cast, logic_form, {})
    assert 'data-pattern="^[A-Z]{2}-[0-9]{3}$"' in html
    assert 'data-constraint-msg="Two letters, a dash, three digits."' in html
    assert 'data-relevant="{&quot;join&quot;: &quot;and&quot;' in html
    assert 'data-max-pixels="800"' in html and "at most 800 pixels" in html


def test_the_server_checks_patterns_lengths_and_conditions_again(private_cast, logic_form):
    _html, bad = fill(
        private_cast, logic_form, {"code": "ab-12", "notes": "no", "burnt": "yes", "burnt_area": ""}
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["code"] == ["Two letters, a dash, three digits."]
    assert set(errors) == {"code", "notes", "burnt_area"}  # burnt = yes: the area is asked and required
    assert not Submission.objects.exists()

    # burnt = no: the area is not asked, so its answer is dropped and "required" does not apply;
    # wood is selected and burnt is not yes: "which wood" is asked and required.
    _html, missing = fill(
        private_cast, logic_form, {"code": "AB-123", "burnt": "no", "burnt_area": "7", "uses": ["wood"]}
    )
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"wood_kind"}
    _html, good = fill(
        private_cast,
        logic_form,
        {"code": "AB-123", "burnt": "no", "burnt_area": "7", "uses": ["wood"], "wood_kind": "Teak"},
    )
    assert good.status_code == 201, good.content
    record = Submission.objects.get()
    assert record.data["burnt_area"] is None or record.data["burnt_area"] == ""
    assert record.data["wood_kind"] == "Teak" and record.data["code"] == "AB-123"
