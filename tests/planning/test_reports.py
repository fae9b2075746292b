"""The printable landscape plan and the plan exports: JSON (versioned format) and Miradi XMPZ2."""

from __future__ import annotations

import io
import json
import re
import zipfile
from xml.etree import ElementTree as ET

import pytest
from defusedxml.ElementTree import fromstring

from landmosaic.core.models import AuditEvent
from landmosaic.planning import miradi, planfile, services

from .conftest import (
    API,
    INSIDE,
    client_for,
    make_action,
    make_goal,
    make_indicator,
    make_objective,
    make_strategy,
)
from .miradi_schema import assert_valid_miradi
from .test_plan_pages import _fill

NS = {"m": miradi.NAMESPACE}


def _url(cast, tail):
    return f"/landscapes/{cast.landscape.slug}/plan/{tail}"


def _project(content: bytes) -> ET.Element:
    """The project XML of an XMPZ2 file, once it has passed Miradi's schema."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None and archive.namelist() == [miradi.ENTRY]
        xml = archive.read(miradi.ENTRY)
    assert_valid_miradi(xml)
    return fromstring(xml)


def _pool(root: ET.Element, name: str) -> dict[str, ET.Element]:
    return {e.get("Id"): e for e in root.findall(f"m:{name}Pool/m:{name}", NS)}


def _ids(element: ET.Element, container: str, item: str) -> list[str]:
    return [e.text for e in element.findall(f"m:{container}/m:{item}", NS)]


# --- The printable plan ----------------------------------------------------------------------


def test_printable_plan_has_every_part_and_a_map_that_needs_no_tiles(private_cast):
    objects = _fill(private_cast)
    html = client_for(private_cast.viewer).get(_url(private_cast, "print/")).content.decode()
    for text in ("Green hills", "Healthy forests", "Restore degraded hillsides", "Fence the springs"):
        assert text in html
    assert "Forest cover" in html and "Progress: 40 per cent" in html  # 4 of 0 → 10
    assert "overdue" in html and "900" in html  # members see budgets
    assert '<svg viewBox="0 0 600' in html and 'class="zone zone-natural"' in html and "#009E73" in html
    assert "<script" not in html and "tile" not in html.lower()
    assert 'href="/static/planning/print.css"' in html or "print.css" in html
    assert objects["zone"].name in html


def test_printable_plan_in_french_keeps_svg_numbers_with_points(private_cast):
    _fill(private_cast)
    html = (
        client_for(private_cast.viewer)
        .get(_url(private_cast, "print/"), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert 'lang="fr"' in html
    path = html.split('class="zone zone-natural"')[0].rsplit('d="', 1)[1].split('"')[0]
    pair = r"\d+\.\d,\d+\.\d"
    assert re.fullmatch(rf"(M{pair}(L{pair})*Z)+", path), path


def test_printable_plan_of_a_public_landscape_hides_budgets_from_the_public(public_cast):
    _fill(public_cast)
    html = client_for(public_cast.anonymous).get(_url(public_cast, "print/")).content.decode()
    assert "Fence the springs" in html and "900" not in html and "USD" not in html


def test_printable_plan_and_exports_of_a_private_landscape_are_hidden(private_cast):
    _fill(private_cast)
    for person in ("anonymous", "outsider", "superuser"):
        client = client_for(private_cast[person])
        for tail in ("print/", "export.json", "export.xmpz2"):
            assert client.get(_url(private_cast, tail)).status_code == 404, (person, tail)


def test_an_empty_plan_prints(private_cast):
    response = client_for(private_cast.viewer).get(_url(private_cast, "print/"))
    assert response.status_code == 200 and "No goals yet." in response.content.decode()


# --- JSON ------------------------------------------------------------------------------------


def test_json_export_is_versioned_and_cross_referenced(private_cast):
    objects = _fill(private_cast)
    response = client_for(private_cast.member).get(_url(private_cast, "export.json"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == planfile.FORMAT and data["format_version"] == 1
    assert list(data) == [
        "format",
        "format_version",
        "generated_at",
        "landscape",
        "budgets_included",
        "vision",
        "zones",
        "goals",
        "objectives",
        "strategies",
        "actions",
        "indicators",
    ]
    assert data["vision"]["statement"] == "Green hills" and data["budgets_included"] is True
    zone_ids = {z["id"] for z in data["zones"]}
    goal_ids = {g["id"] for g in data["goals"]}
    objective_ids = {o["id"] for o in data["objectives"]}
    strategy_ids = {s["id"] for s in data["strategies"]}
    assert all(set(g["zone_ids"]) <= zone_ids for g in data["goals"])
    assert all(o["goal_id"] in goal_ids for o in data["objectives"])
    assert all(s["objective_id"] in objective_ids for s in data["strategies"])
    assert all(a["strategy_id"] in strategy_ids for a in data["actions"])
    [action] = data["actions"]
    assert action["budget"] == "900.00" and action["currency"] == "USD" and action["overdue"] is True
    assert action["output"] is None  # names no ILM output: it implements the plan
    [indicator] = data["indicators"]
    assert indicator["objective_id"] == objects["objective"].pk and indicator["progress"] == 0.4
    assert [(m["value"], m["computed"]) for m in indicator["measurements"]] == [(4.0, False)]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="plan")
    assert event.actor == private_cast.member and event.landscape_id == private_cast.landscape.pk


def test_json_export_of_a_public_landscape_leaves_budgets_out(public_cast):
    _fill(public_cast)
    data = json.loads(client_for(public_cast.anonymous).get(_url(public_cast, "export.json")).content)
    [action] = data["actions"]
    assert data["budgets_included"] is False and action["budget"] is None and action["currency"] is None


def test_unknown_export_format_is_refused(private_cast):
    response = client_for(private_cast.viewer).get(_url(private_cast, "export.pdf"))
    assert response.status_code == 400 and b"json, xmpz2" in response.content


# --- Miradi XMPZ2 ----------------------------------------------------------------------------


def test_xmpz2_is_a_zip_with_a_miradi_project_whose_ids_cross_reference(private_cast):
    objects = _fill(private_cast)
    cast = private_cast
    second = make_objective(cast, objects["goal"], what="Protect springs")
    strategy = make_strategy(cast, second, title="Spring committees")
    for n in range(3):
        make_action(cast, strategy, title=f"Committee {n}")
    farms = services.zone_save(
        actor=cast.editor, landscape=cast.landscape, name="Farms", kind="combined", geometry=INSIDE
    )
    incomes = make_goal(cast, title="Fair incomes", return_kind="financial", zone_ids=[farms.pk])
    make_indicator(cast, goal=incomes, name="Income")
    response = client_for(cast.viewer).get(_url(cast, "export.xmpz2"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.xmpz2"')
    root = _project(response.content)
    assert root.tag == f"{{{miradi.NAMESPACE}}}ConservationProject"
    name = root.find("m:ProjectSummary/m:ProjectSummaryProjectName", NS).text
    assert name == cast.landscape.name
    assert "Green hills" in root.find("m:ProjectSummaryScope/m:ProjectSummaryScopeProjectVision", NS).text

    targets, goals = _pool(root, "BiodiversityTarget"), _pool(root, "Goal")
    objectives, strategies = _pool(root, "Objective"), _pool(root, "Strategy")
    indicators, measurements, tasks = (
        _pool(root, "Indicator"),
        _pool(root, "Measurement"),
        _pool(root, "Task"),
    )
    counts = [len(p) for p in (targets, goals, objectives, strategies, indicators, measurements, tasks)]
    assert counts == [1, 2, 2, 2, 2, 1, 4]
    every = [targets, goals, objectives, strategies, indicators, measurements, tasks]
    all_ids = [i for pool in every for i in pool]
    assert len(all_ids) == len(set(all_ids))  # Miradi ids are project-wide
    identifiers = [
        e.find(f"m:{name}Id", NS).text
        for name in (
            "BiodiversityTarget",
            "HumanWellbeingTarget",
            "Goal",
            "Objective",
            "Strategy",
            "Indicator",
            "Task",
        )
        for e in _pool(root, name).values()
    ]
    assert len(identifiers) == len(set(identifiers)) == 14  # Z1, G1, O1.1, S1, I1, A1 … never twice
    [target] = targets.values()
    assert target.find("m:BiodiversityTargetName", NS).text == "Forest"
    [people] = _pool(root, "HumanWellbeingTarget").values()
    assert people.find("m:HumanWellbeingTargetName", NS).text == "Farms"
    assert [
        goals[g].find("m:GoalName", NS).text for g in _ids(people, "HumanWellbeingTargetGoalIds", "GoalId")
    ] == ["Fair incomes"]
    assert set(_ids(target, "BiodiversityTargetGoalIds", "GoalId")) <= set(goals)
    for strategy_element in strategies.values():
        assert set(_ids(strategy_element, "StrategySortedActivityIds", "ActivityId")) <= set(tasks)
    spring = next(s for s in strategies.values() if s.find("m:StrategyName", NS).text == "Spring committees")
    assert len(_ids(spring, "StrategySortedActivityIds", "ActivityId")) == 3
    for objective in objectives.values():
        assert set(_ids(objective, "ObjectiveRelevantIndicatorIds", "IndicatorId")) <= set(indicators)
        assert set(_ids(objective, "ObjectiveRelevantStrategyIds", "StrategyId")) <= set(strategies)
    measured = [i for i in indicators.values() if _ids(i, "IndicatorMeasurementIds", "MeasurementId")]
    assert len(measured) == 1 and set(_ids(measured[0], "IndicatorMeasurementIds", "MeasurementId")) == set(
        measurements
    )
    [measurement] = measurements.values()
    assert measurement.find("m:MeasurementMeasurementValue", NS).text == "4 ha"
    # The same plan exported twice gives the same ids.
    again = _project(client_for(cast.viewer).get(_url(cast, "export.xmpz2")).content)
    assert list(_pool(again, "Goal")) == list(goals) and list(_pool(again, "Task")) == list(tasks)


def test_user_text_cannot_inject_xml(private_cast):
    cast = private_cast
    evil = 'Forest </StrategyName><Strategy Id="999"/> & "friends" \x01\x0b'
    goal = make_goal(cast, title="<Goal>")
    strategy = make_strategy(cast, make_objective(cast, goal), title=evil)
    make_action(cast, strategy, title="]]><!ENTITY x SYSTEM 'file:///etc/passwd'>")
    root = _project(services.plan_export(actor=cast.viewer, landscape=cast.landscape, fmt="xmpz2").content)
    [element] = _pool(root, "Strategy").values()
    assert (
        element.find("m:StrategyName", NS).text == 'Forest </StrategyName><Strategy Id="999"/> & "friends" '
    )
    [task] = _pool(root, "Task").values()
    assert task.find("m:TaskName", NS).text.startswith("]]><!ENTITY")
    assert [g.find("m:GoalName", NS).text for g in _pool(root, "Goal").values()] == ["<Goal>"]


@pytest.mark.parametrize("fmt", ["json", "xmpz2"])
def test_exports_query_count_stays_constant_as_the_plan_grows(
    private_cast, fmt, django_assert_max_num_queries
):
    objects = _fill(private_cast)
    client = client_for(private_cast.viewer)
    with django_assert_max_num_queries(40) as small:
        client.get(_url(private_cast, f"export.{fmt}"))
    for i in range(10):
        make_action(private_cast, objects["strategy"], title=f"More {i}")
    with django_assert_max_num_queries(40) as large:
        client.get(_url(private_cast, f"export.{fmt}"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_api_exports_the_plan_with_the_same_rules(public_cast, private_cast):
    _fill(public_cast)
    base = f"{API}/landscapes/{public_cast.landscape.slug}/plan"
    data = client_for(public_cast.anonymous).get(f"{base}/export.json").json()
    assert data["format"] == planfile.FORMAT and data["budgets_included"] is False
    xmpz2 = client_for(public_cast.member).get(f"{base}/export.xmpz2")
    assert xmpz2.status_code == 200 and _project(xmpz2.content).find("m:TaskPool", NS) is not None
    hidden = f"{API}/landscapes/{private_cast.landscape.slug}/plan/export.json"
    assert client_for(private_cast.outsider).get(hidden).status_code == 404
