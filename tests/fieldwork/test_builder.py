"""Forms built in the page: names, limits and choices checked, written as an XLSForm that pyxform
converts, stored like an upload, listed to phones, and filled into the landscape's dataset."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client
from openpyxl import load_workbook

from landmosaic.core.errors import ValidationFailed
from landmosaic.fieldwork import services
from landmosaic.fieldwork.builder import (
    Definition,
    Question,
    check,
    complete,
    constraint_of,
    from_xlsx,
    name_from,
    to_xlsx,
)
from landmosaic.fieldwork.models import Form, Submission
from landmosaic.fieldwork.webform import read_webform
from landmosaic.fieldwork.xlsform import convert_xlsform
from tests.fieldwork.conftest import JPEG, collect_with_token, xlsx

XFORMS = "{http://openrosa.org/xforms/xformsList}"


def survey() -> list[Question]:
    return [
        Question(
            "text",
            "Species name",
            hint="As on the field guide",
            required=True,
            min_length=2,
            pattern="^[A-Z]",
        ),
        Question("integer", "How many?", minimum=Decimal(0), maximum=Decimal(500)),
        Question("decimal", "Height (m)", minimum=Decimal("0.5")),
        Question("date", "Seen on"),
        Question("select_one", "Habitat", choices=["Forest", "Wetland", "", "Farm land"]),
        Question("select_multiple", "Behaviour", choices=["Feeding", "Singing"]),
        Question("geopoint", "Where", required=True),
        Question("image", "Photo"),
        Question("note", "Thank you: the record is saved on the phone."),
    ]


def definition(**kw) -> Definition:
    return Definition(
        title=kw.pop("title", "Bird count"),
        form_id=kw.pop("form_id", ""),
        version="1",
        questions=kw.pop("questions", survey()),
    )


def convert(data: bytes):
    return convert_xlsform(data=data, filename="built.xlsx", default_version="0", max_bytes=10**7)


# --- Pure: names, checks, the workbook ----------------------------------------------------------------


def test_names_are_made_from_labels_unique_and_valid_xml():
    used: set[str] = set()
    assert name_from("Tree height (m)", used) == "tree_height_m"
    assert name_from("Tree height (m)!", used) == "tree_height_m_2"
    assert name_from("Espèce observée", used) == "espece_observee"
    assert name_from("2nd visit", used) == "q_2nd_visit"
    assert name_from("…", used, fallback="q7") == "q7"
    assert name_from("Meta", used) == "meta_2"  # reserved for the record's metadata
    done = complete(definition(title="Oiseaux d'été"))
    assert done.form_id == "oiseaux_d_ete"
    assert [q.name for q in done.questions][:3] == ["species_name", "how_many", "height_m"]


@pytest.mark.parametrize(
    ("question", "code", "field"),
    [
        (Question("text", ""), "label_required", "label"),
        (Question("text", "A", name="1abc"), "bad_name", "name"),
        (Question("text", "A", name="has space"), "bad_name", "name"),
        (Question("text", "A", name="_lon"), "bad_name", "name"),
        (Question("text", "A", name="instanceID"), "reserved_name", "name"),
        (Question("rating", "A"), "bad_type", "type"),
        (Question("select_one", "A", choices=["", " "]), "choices_required", "choices"),
        (Question("text", "A", minimum=Decimal(1)), "numbers_only", "minimum"),
        (Question("integer", "A", minimum=Decimal(5), maximum=Decimal(1)), "min_above_max", "minimum"),
        (Question("integer", "A", minimum=Decimal("0.5")), "whole_limits", "minimum"),
        (Question("date", "A", max_length=3), "text_only", "min_length"),
        (Question("text", "A", min_length=9, max_length=3), "min_above_max", "min_length"),
        (Question("text", "A", pattern="([a-z"), "bad_pattern", "pattern"),
        (Question("text", "A", pattern='it\'s "x"'), "pattern_quotes", "pattern"),
    ],
)
def test_each_bad_question_is_refused_on_its_field(question, code, field):
    done = complete(definition(questions=[Question("text", "First"), question]))
    problems = [(p.code, p.field, p.question) for p in check(done)]
    assert problems == [(code, field, 1)]


def test_duplicate_names_and_form_level_problems():
    done = complete(
        Definition(
            title=" ",
            form_id="9x",
            version="1 0",
            questions=[Question("text", "A", name="Tree"), Question("text", "B", name="tree")],
        )
    )
    assert {(p.code, p.field, p.question) for p in check(done)} == {
        ("title_required", "title", None),
        ("bad_form_id", "form_id", None),
        ("bad_version", "version", None),
        ("duplicate_name", "name", 1),
    }
    assert [p.code for p in check(complete(definition(questions=[])))] == ["no_questions"]


def test_constraints_are_xpath_the_phone_evaluates():
    assert (
        constraint_of(Question("integer", "A", minimum=Decimal(0), maximum=Decimal(500)))
        == ". >= 0 and . <= 500"
    )
    assert constraint_of(Question("decimal", "A", minimum=Decimal("0.50"))) == ". >= 0.50"
    assert (
        constraint_of(Question("text", "A", min_length=2, max_length=9, pattern="^it's$"))
        == 'string-length(.) >= 2 and string-length(.) <= 9 and regex(., "^it\'s$")'
    )
    assert constraint_of(Question("date", "A")) == ""


def test_the_workbook_converts_with_pyxform_and_keeps_every_question():
    result = convert(to_xlsx(complete(definition())))
    assert (result.form_id, result.version, result.title) == ("bird_count", "1", "Bird count")
    types = {f.path: f.type for f in result.schema.fields}
    assert types["species_name"] == "string" and types["how_many"] == "int" and types["height_m"] == "decimal"
    assert types["seen_on"] == "date" and types["where"] == "geopoint" and types["photo"] == "binary"
    assert [i for i in result.issues if i.level == "error"] == []
    assert 'orx:max-pixels="1600"' in result.xform  # Collect scales photos down before sending
    assert "regex(., '^[A-Z]')" in result.xform and "string-length(.) &gt;= 2" in result.xform
    # The web form can fill a built form: every type of the page is in its subset.
    webform = read_webform(result.xform)
    assert webform.supported, webform.unsupported
    kinds = {q.path: q.kind for q in webform.questions}
    assert kinds["habitat"] == "select_one" and kinds["behaviour"] == "select_multiple"
    habitat = next(q for q in webform.questions if q.path == "habitat")
    assert habitat.choices == [("forest", "Forest"), ("wetland", "Wetland"), ("farm_land", "Farm land")]


def test_labels_starting_with_an_equals_sign_stay_text_in_the_workbook():
    done = complete(definition(questions=[Question("text", '=HYPERLINK("http://x")', name="q1")]))
    sheet = load_workbook(io.BytesIO(to_xlsx(done)))["survey"]
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


# --- Service: stored like an upload, listed to phones, records into the dataset ---------------------


def test_built_form_is_stored_listed_to_phones_and_receives_records(
    private_cast, django_capture_on_commit_callbacks
):
    editor = private_cast.editor
    form, version = services.form_build(
        actor=editor,
        landscape=private_cast.landscape,
        definition=definition(),
        method="Point counts at dawn.",
    )
    assert (form.form_id, form.title, form.method, version.version) == (
        "bird_count",
        "Bird count",
        "Point counts at dawn.",
        "1",
    )
    assert version.xlsform_name == "bird_count.xlsx" and version.xlsform.read().startswith(b"PK")
    services.form_publish(actor=editor, form=form)

    collect, _access, _secret = collect_with_token(private_cast.landscape, editor)
    listing = fromstring(collect.get("formList").content)
    assert [x.findtext(f"{XFORMS}formID") for x in listing.iter(f"{XFORMS}xform")] == ["bird_count"]
    xform = collect.get("forms/bird_count/form.xml").content.decode()
    assert "Species name" in xform

    xml = (
        b'<?xml version="1.0"?><data id="bird_count" version="1">'
        b"<species_name>Ploceus</species_name><how_many>12</how_many><height_m>2.5</height_m>"
        b"<seen_on>2024-05-01</seen_on><habitat>wetland</habitat><behaviour>feeding singing</behaviour>"
        b"<where>-8.1 36.1 1200 5</where><photo>bird.jpg</photo><thank_you_the_record_is_saved_on_the_phone/>"
        b"<start>2024-05-01T09:00:00+03:00</start><end>2024-05-01T09:05:00+03:00</end>"
        b"<today>2024-05-01</today><deviceid>collect:1</deviceid><username>amina</username>"
        b"<meta><instanceID>uuid:built-1</instanceID></meta></data>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = collect.submit(xml, {"bird.jpg": JPEG})
    assert response.status_code == 201, response.content
    record = Submission.objects.get()
    assert record.data["how_many"] == "12" and record.data["behaviour"] == "feeding singing"
    assert (record.lon, record.lat) == (36.1, -8.1) and record.attachments.count() == 1
    form.refresh_from_db()
    assert form.dataset_id is not None  # the landscape's dataset of this form holds the record


def test_refusals_say_which_question_and_store_nothing(private_cast):
    bad = definition(
        questions=[
            Question("text", "Tree", name="tree"),
            Question("integer", "Tree", name="tree", minimum=Decimal(3), maximum=Decimal(1)),
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        services.form_build(actor=private_cast.editor, landscape=private_cast.landscape, definition=bad)
    details = caught.value.details
    assert set(details["questions"][1]) == {"name", "minimum"}
    assert "unique" in details["questions"][1]["name"][0]
    assert not Form.objects.exists()


def test_a_form_id_already_used_is_refused_not_turned_into_a_version(private_cast):
    services.form_build(actor=private_cast.editor, landscape=private_cast.landscape, definition=definition())
    with pytest.raises(ValidationFailed) as caught:
        services.form_build(
            actor=private_cast.editor, landscape=private_cast.landscape, definition=definition()
        )
    assert caught.value.code == "form_id_taken"
    assert Form.objects.get().versions.count() == 1


# --- The page ----------------------------------------------------------------------------------------


def post_data(rows: list[dict], **details) -> dict:
    data = {
        "title": "Tree planting",
        "form_id": "",
        "version": "",
        "method": "",
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "200",
        **details,
    }
    for index, row in enumerate(rows):
        for key, value in {"type": "text", **row}.items():
            data[f"questions-{index}-{key}"] = value
    return data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(cast) -> str:
    return f"/landscapes/{cast.landscape.slug}/field-data/build/"


@pytest.mark.parametrize(
    ("person", "status"), [("outsider", 404), ("viewer", 403), ("member", 403), ("editor", 200)]
)
def test_the_builder_is_for_editors(private_cast, person, status):
    assert client_for(private_cast[person]).get(url(private_cast)).status_code == status


def test_building_in_the_page_orders_removes_and_links_the_xlsform(private_cast):
    rows = [
        {"label": "Seedlings planted", "type": "integer", "minimum": "1", "ORDER": "2"},
        {"label": "Species", "required": "on", "ORDER": "1"},
        {"label": "Left out", "ORDER": "3", "DELETE": "on"},
        {"label": "Kind", "type": "select_one", "choices": "Native\nFruit", "ORDER": "4"},
        {"label": "", "ORDER": "5"},  # an empty row, as the page leaves at the end
    ]
    response = client_for(private_cast.editor).post(
        url(private_cast), post_data(rows, method="Count at planting.")
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    form = Form.objects.get()
    assert response["Location"] == form.get_absolute_url()
    assert [f["path"] for f in form.current_version.fields][:3] == ["species", "seedlings_planted", "kind"]
    assert form.method == "Count at planting." and form.form_id == "tree_planting"
    page = client_for(private_cast.editor).get(form.get_absolute_url()).content.decode()
    assert f"/versions/{form.current_version_id}/form.xlsx" in page
    download = client_for(private_cast.editor).get(
        f"{form.get_absolute_url()}versions/{form.current_version_id}/form.xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["survey"]
    assert [sheet.cell(row=r, column=3).value for r in (2, 3, 4)] == ["Species", "Seedlings planted", "Kind"]


def test_page_errors_are_shown_on_their_question_and_nothing_is_stored(private_cast):
    rows = [
        {"label": "Species", "name": "sp"},
        {"label": "Other", "name": "sp"},
        {"label": "Kind", "type": "select_one"},
    ]
    response = client_for(private_cast.editor).post(url(private_cast), post_data(rows))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Another question already has this name" in text and "List the choices, one per line." in text
    assert not Form.objects.exists()


def test_add_a_question_without_javascript_posts_back_one_more_row(private_cast):
    rows = [{"label": "Species"}]
    response = client_for(private_cast.editor).post(
        url(private_cast), {**post_data(rows), "add_question": "1"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="questions-TOTAL_FORMS" value="2"' in text and 'name="questions-1-label"' in text
    assert re.search(
        r'name="questions-0-label"[^>]*value="Species"|value="Species"[^>]*name="questions-0-label"', text
    )
    assert not Form.objects.exists()


# --- New versions in the builder -------------------------------------------------------------------------


def test_the_builders_workbook_reads_back_into_the_same_rows():
    done = complete(definition())
    again = from_xlsx(to_xlsx(done))
    assert (again.title, again.form_id, again.version) == ("Bird count", "bird_count", "1")
    assert [(q.type, q.name, q.label, q.required) for q in again.questions] == [
        (q.type, q.name, q.label.strip(), q.required and q.type != "note") for q in done.questions
    ]
    first, count, height = again.questions[:3]
    assert (first.min_length, first.pattern, first.hint) == (2, "^[A-Z]", "As on the field guide")
    assert (count.minimum, count.maximum, height.minimum) == (Decimal(0), Decimal(500), Decimal("0.5"))
    assert again.questions[4].choices == ["Forest", "Wetland", "Farm land"]
    assert to_xlsx(again) and check(complete(again)) == []


@pytest.mark.parametrize(
    "survey",
    [
        [["type", "name", "label", "relevant"], ["text", "a", "A", "${b} = 'x'"]],
        [["type", "name", "label"], ["calculate", "a", ""]],
        [["type", "name", "label", "constraint"], ["integer", "a", "A", ". > 0"]],
        [["type", "name", "label::English (en)"], ["text", "a", "A"]],
    ],
)
def test_workbooks_beyond_the_page_are_not_read_back(survey):
    assert from_xlsx(xlsx(survey=survey, choices=[])) is None
    assert from_xlsx(b"not a workbook") is None


def rebuild_url(cast, form) -> str:
    return f"/landscapes/{cast.landscape.slug}/field-data/forms/{form.pk}/build/"


def test_a_new_version_in_the_builder_keeps_the_form_id(private_cast):
    form, _version = services.form_build(
        actor=private_cast.editor, landscape=private_cast.landscape, definition=definition(), method="Dawn."
    )
    client = client_for(private_cast.editor)
    assert "New version in the builder" in client.get(form.get_absolute_url()).content.decode()
    page = client.get(rebuild_url(private_cast, form)).content.decode()
    assert 'value="Species name"' in page and 'name="questions-INITIAL_FORMS" value="9"' in page
    assert "Forest\nWetland\nFarm land" in page
    rows = [{"label": "Species name", "name": "species_name", "ORDER": "1"}, {"label": "Wind", "ORDER": "2"}]
    data = post_data(rows, title="Bird count", form_id="hijack", version="2", method="Dawn.")
    data["questions-INITIAL_FORMS"] = "0"
    response = client.post(rebuild_url(private_cast, form), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    form.refresh_from_db()
    assert form.form_id == "bird_count" and form.versions.count() == 2
    assert form.current_version.version == "2"
    assert [f["path"] for f in form.current_version.fields if not f["preload"]][:2] == [
        "species_name",
        "wind",
    ]


def test_a_form_beyond_the_builder_is_explained_not_shown(field):
    # A version with a condition (the relevant column): the page cannot show it, and says so.
    data = xlsx(
        survey=[
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", ""],
            ["text", "b", "B", "${a} = 'x'"],
        ],
        choices=[],
        settings=[["form_id", "version"], ["trees", "2030"]],
    )
    services.form_upload(
        actor=field.cast.editor, landscape=field.landscape, data=data, filename="t.xlsx", form=field.form
    )
    page = client_for(field.cast.editor).get(rebuild_url(field.cast, field.form)).content.decode()
    assert "features the builder cannot show" in page and "builder.js" not in page


@pytest.mark.parametrize(("person", "status"), [("outsider", 404), ("member", 403), ("editor", 200)])
def test_new_versions_in_the_builder_are_for_editors(field, person, status):
    assert client_for(field.cast[person]).get(rebuild_url(field.cast, field.form)).status_code == status
