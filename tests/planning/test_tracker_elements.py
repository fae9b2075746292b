"""The tracker's status by ILM element: an action counts in the element of the output it works on;
an action that names no output implements the plan (element 4, Taking Action)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from landmosaic.core.errors import ValidationFailed
from landmosaic.planning import selectors, services
from landmosaic.planning.models import Action, Output

from .conftest import API, client_for, make_action, make_goal, make_objective, make_strategy

TODAY = timezone.localdate()


def test_the_tracker_counts_actions_by_ilm_element(private_cast):
    strategy = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))
    make_action(private_cast, strategy, title="Stakeholder workshop", output_code="1.1", status="done")
    make_action(
        private_cast, strategy, title="Partnership charter", output_code="1.2",
        end_date=TODAY - datetime.timedelta(days=3),
    )  # fmt: skip
    make_action(private_cast, strategy, title="Land-use survey", output_code="2.1", status="in_progress")
    make_action(private_cast, strategy, title="Fence the springs")  # implements the plan: element 4
    make_action(private_cast, strategy, title="Plant trees", output_code="4.2")

    tracker = selectors.tracker_get(actor=private_cast.viewer, landscape=private_cast.landscape, today=TODAY)
    rows = {g.key: (g.total, g.counts, g.overdue) for g in tracker.by_element}
    assert rows == {
        1: (2, {"done": 1, "planned": 1}, 1),
        2: (1, {"in_progress": 1}, 0),
        4: (2, {"planned": 2}, 0),
    }
    assert [g.label for g in tracker.by_element] == ["1. Landscape Partnership", "2. Shared Understanding",
                                                     "4. Taking Action"]  # fmt: skip

    slug = private_cast.landscape.slug
    body = client_for(private_cast.viewer).get(f"{API}/landscapes/{slug}/plan/tracker").json()
    assert [(g["id"], g["total"]) for g in body["by_element"]] == [(1, 2), (2, 1), (4, 2)]
    html = client_for(private_cast.viewer).get(f"/landscapes/{slug}/plan/tracker/").content.decode()
    assert 'id="by-element"' in html and "2. Shared Understanding" in html
    with translation.override("fr"):
        labels = [g.label for g in selectors.tracker_get(
            actor=private_cast.viewer, landscape=private_cast.landscape, today=TODAY
        ).by_element]  # fmt: skip
    assert labels[0] != "1. Landscape Partnership" and labels[0].startswith("1. ")  # the framework's French


def test_an_action_names_a_known_output(private_cast):
    strategy = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))
    with pytest.raises(ValidationFailed) as error:
        make_action(private_cast, strategy, output_code="9.9")
    assert error.value.details == {"output_code": ["There is no output 9.9 in the ILM framework."]}
    action = make_action(private_cast, strategy, output_code="2.1")
    assert action.output.code == "2.1"
    services.action_save(
        actor=private_cast.editor, landscape=private_cast.landscape, action=action, output_code=None
    )
    action.refresh_from_db()
    assert action.output is None
    slug = private_cast.landscape.slug
    editor = client_for(private_cast.editor)
    url = f"{API}/landscapes/{slug}/plan/actions/{action.pk}"
    assert (
        editor.patch(url, {"output_code": "1.3"}, content_type="application/json").json()["output"] == "1.3"
    )


def test_the_action_form_names_the_output(private_cast):
    strategy = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))
    slug = private_cast.landscape.slug
    editor = client_for(private_cast.editor)
    form = editor.get(f"/landscapes/{slug}/plan/actions/new/").content.decode()
    assert 'name="output"' in form and "1.1 Stakeholder identification" in form
    output = Output.objects.get(code="1.1")
    response = editor.post(
        f"/landscapes/{slug}/plan/actions/new/",
        {"strategy": strategy.pk, "title": "Stakeholder workshop", "status": "planned", "output": output.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(title="Stakeholder workshop")
    assert action.output == output
    page = editor.get(response["Location"]).content.decode()
    assert '/plan/outputs/1.1/">1.1</a>' in page


def test_the_json_export_names_each_actions_output(private_cast):
    strategy = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))
    make_action(private_cast, strategy, title="Land-use survey", output_code="2.1")
    make_action(private_cast, strategy, title="Fence the springs")
    slug = private_cast.landscape.slug
    data = client_for(private_cast.viewer).get(f"/landscapes/{slug}/plan/export.json").json()
    assert sorted((a["title"], a["output"]) for a in data["actions"]) == [
        ("Fence the springs", None),
        ("Land-use survey", "2.1"),
    ]
