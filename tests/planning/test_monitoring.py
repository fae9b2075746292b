"""Indicators and measurements (5.1, 5.2): validation, progress, the four returns, the library."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from landmosaic.core.errors import Forbidden, NotFound, ValidationFailed
from landmosaic.planning import selectors, services
from landmosaic.planning.models import LibraryIndicator, Measurement

from .conftest import API, PEOPLE, client_for, make_goal, make_indicator, make_objective

D = datetime.date
TODAY = timezone.localdate()


def _status(cast, code):
    return selectors.plan_get(actor=cast.manager, landscape=cast.landscape).output(code).suggestion


def _measure(cast, indicator, value, date, person="member", **extra):
    return services.measurement_add(actor=cast[person], indicator=indicator, value=value, date=date, **extra)


def test_the_starter_library_is_loaded_and_translated(db):
    library = list(LibraryIndicator.objects.all())
    assert 18 <= len(library) <= 25
    assert {i.pillar for i in library} == {"ecosystems", "human_well_being", "governance", "production"}
    assert {i.return_kind for i in library} == {"inspiration", "social", "natural", "financial"}
    cover = LibraryIndicator.objects.get(code="natural_ecosystem_area")
    with translation.override("fr"):
        assert cover.localized("name") == "Surface des écosystèmes naturels"
    for item in library:
        item.full_clean()


def test_picking_from_the_library_fills_in_the_indicator(private_cast):
    objective = make_objective(private_cast, make_goal(private_cast))
    with translation.override("fr"):
        indicator = services.indicator_save(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            objective_id=objective.pk,
            library_code="tree_cover_loss",
        )
    assert indicator.name == "Couvert arboré perdu dans l'année" and indicator.direction == "decrease"
    assert indicator.unit == "ha par an" and indicator.library_code == "tree_cover_loss"
    with pytest.raises(ValidationFailed, match="no indicator"):
        services.indicator_save(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            objective_id=objective.pk,
            library_code="nope",
        )


def test_indicator_validation(private_cast):
    goal = make_goal(private_cast)
    objective = make_objective(private_cast, goal)
    with pytest.raises(ValidationFailed, match="one goal or to one objective"):
        make_indicator(private_cast, objective=objective, goal=goal)
    with pytest.raises(ValidationFailed, match="one goal or to one objective"):
        make_indicator(private_cast)
    with pytest.raises(ValidationFailed, match="below the baseline"):
        make_indicator(private_cast, objective=objective, baseline_value=10, target_value=5)
    with pytest.raises(ValidationFailed, match="above the baseline"):
        make_indicator(
            private_cast, objective=objective, baseline_value=10, target_value=50, direction="decrease"
        )
    with pytest.raises(ValidationFailed, match="after the baseline date"):
        make_indicator(
            private_cast, objective=objective, baseline_date=D(2025, 1, 1), target_date=D(2024, 1, 1)
        )
    with pytest.raises(ValidationFailed):
        make_indicator(private_cast, objective=objective, weight=0)
    with pytest.raises(ValidationFailed):
        make_indicator(private_cast, objective=objective, frequency="hourly")
    with pytest.raises(Forbidden):
        services.indicator_save(
            actor=private_cast.member,
            landscape=private_cast.landscape,
            goal_id=goal.pk,
            name="x",
            unit="ha",
            direction="increase",
            frequency="yearly",
        )
    flat = make_indicator(private_cast, goal=goal, baseline_value=40, target_value=40)  # keep as it is
    assert flat.goal == goal


def test_measurements_units_dates_and_permissions(private_cast):
    indicator = make_indicator(
        private_cast,
        objective=make_objective(private_cast, make_goal(private_cast)),
        baseline_date=D(2024, 1, 1),
    )
    with pytest.raises(Forbidden):
        _measure(private_cast, indicator, 5, D(2024, 6, 1), person="viewer")
    with pytest.raises(ValidationFailed, match="measured in ha, not acres"):
        _measure(private_cast, indicator, 5, D(2024, 6, 1), unit="acres")
    _measure(private_cast, indicator, 5, D(2024, 6, 1), unit=" HA ")  # same unit, other spelling
    with pytest.raises(ValidationFailed, match="future"):
        _measure(private_cast, indicator, 5, TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationFailed, match="before the baseline"):
        _measure(private_cast, indicator, 5, D(2023, 12, 31))
    with pytest.raises(ValidationFailed):
        _measure(private_cast, indicator, float("nan"), D(2024, 6, 1))
    with pytest.raises(ValidationFailed, match="keep the unit"):
        services.indicator_save(
            actor=private_cast.editor, landscape=private_cast.landscape, indicator=indicator, unit="km2"
        )
    mine = Measurement.objects.get()
    other = _measure(private_cast, indicator, 6, D(2024, 7, 1), person="editor")
    with pytest.raises(Forbidden):
        services.measurement_delete(actor=private_cast.member, measurement=other)
    services.measurement_delete(actor=private_cast.member, measurement=mine)  # one's own
    services.measurement_delete(actor=private_cast.editor, measurement=other)
    assert not Measurement.objects.exists()


def test_progress_of_objectives_and_returns(private_cast):
    forests = make_goal(private_cast, "Forests", "natural", "ecosystems")
    income = make_goal(private_cast, "Income", "financial", "production")
    objective = make_objective(private_cast, forests)
    cover = make_indicator(private_cast, objective=objective, baseline_value=100, target_value=200, weight=3)
    loss = make_indicator(
        private_cast,
        objective=objective,
        name="Loss",
        baseline_value=50,
        target_value=10,
        direction="decrease",
    )
    make_indicator(private_cast, goal=income, name="Income", baseline_value=1, target_value=2)  # unmeasured
    _measure(private_cast, cover, 120, D(2024, 1, 1))
    _measure(private_cast, cover, 150, D(2025, 1, 1))  # the latest counts: 0.5
    _measure(private_cast, cover, 900, D(2023, 1, 1))  # older, ignored
    _measure(private_cast, loss, 0, D(2025, 1, 1))  # beyond the target: 1.0
    results = selectors.results_get(actor=private_cast.viewer, landscape=private_cast.landscape)
    forest_goal = results.goals[0]
    assert forest_goal.objectives[0].progress == pytest.approx((0.5 * 3 + 1.0 * 1) / 4)
    assert forest_goal.objectives[0].measured == 2
    by_return = {r.code: r for r in results.returns}
    assert by_return["natural"].progress == pytest.approx(0.625)
    assert by_return["financial"].progress is None and by_return["financial"].indicators == 1
    assert by_return["social"].indicators == 0
    assert len(results.returns) == 4  # side by side, never one score


def test_automatic_statuses_of_5_1_and_5_2(private_cast):
    objective = make_objective(private_cast, make_goal(private_cast))
    assert _status(private_cast, "5.2").status == "not_started"
    indicator = make_indicator(private_cast, objective=objective)
    suggestion = _status(private_cast, "5.2")
    assert suggestion.status == "not_started" and "method" in " ".join(suggestion.reasons)
    services.indicator_save(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        indicator=indicator,
        method="Land-cover map",
        measured_by="District forestry office",
    )
    assert _status(private_cast, "5.2").status == "in_progress"  # no baseline or target yet
    services.indicator_save(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        indicator=indicator,
        baseline_value=1,
        target_value=2,
    )
    assert _status(private_cast, "5.2").status == "complete"
    assert _status(private_cast, "5.1").status == "not_started"
    _measure(private_cast, indicator, 1.5, TODAY)
    assert _status(private_cast, "5.1").status == "in_progress"


# --- API and pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_results_api_of_a_private_landscape(private_cast, person):
    response = client_for(private_cast[person]).get(
        f"{API}/landscapes/{private_cast.landscape.slug}/plan/results"
    )
    assert response.status_code == (404 if person in ("anonymous", "outsider", "superuser") else 200)
    if response.status_code == 200:
        assert [r["code"] for r in response.json()["returns"]] == [
            "inspiration",
            "social",
            "natural",
            "financial",
        ]


def test_monitoring_api(private_cast):
    base = f"{API}/landscapes/{private_cast.landscape.slug}/plan"
    objective = make_objective(private_cast, make_goal(private_cast))
    editor = client_for(private_cast.editor)
    library = editor.get(f"{base}/indicator-library?pillar=governance").json()
    assert library and all(i["pillar"] == "governance" for i in library)
    created = editor.post(
        f"{base}/indicators",
        data={
            "objective_id": objective.pk,
            "library_code": "natural_ecosystem_area",
            "baseline_value": 10,
            "target_value": 20,
            "baseline_date": "2024-01-01",
            "target_date": "2030-01-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    indicator_id = created.json()["id"]
    measured = client_for(private_cast.member).post(
        f"{base}/indicators/{indicator_id}/measurements",
        data={"value": 15, "date": "2025-01-01", "source": "Survey", "confidence": "high"},
        content_type="application/json",
    )
    assert measured.status_code == 201, measured.content
    mismatch = client_for(private_cast.member).post(
        f"{base}/indicators/{indicator_id}/measurements",
        data={"value": 15, "date": "2025-01-01", "unit": "acres"},
        content_type="application/json",
    )
    assert mismatch.status_code == 400 and "unit" in mismatch.json()["error"]["details"]
    detail = client_for(private_cast.viewer).get(f"{base}/indicators/{indicator_id}").json()
    assert detail["progress"] == 0.5 and detail["latest"]["value"] == 15
    results = client_for(private_cast.viewer).get(f"{base}/results").json()
    natural = next(r for r in results["returns"] if r["code"] == "natural")
    assert natural["progress"] == 0.5
    assert results["goals"][0]["objectives"][0]["progress"] == 0.5
    assert client_for(private_cast.outsider).get(f"{base}/indicators").status_code == 404


def test_monitoring_pages(private_cast):
    slug = private_cast.landscape.slug
    objective = make_objective(private_cast, make_goal(private_cast))
    indicator = make_indicator(private_cast, objective=objective, baseline_value=0, target_value=10)
    _measure(private_cast, indicator, 5, TODAY)
    viewer = client_for(private_cast.viewer)
    listing = viewer.get(f"/landscapes/{slug}/plan/indicators/").content.decode()
    assert "Forest cover" in listing and "50" in listing
    returns = viewer.get(f"/landscapes/{slug}/plan/results/").content.decode()
    assert returns.count('<li class="return return-') == 4 and 'class="radar"' in returns
    assert "50%" in returns  # the natural return, and the objective
    detail = viewer.get(f"/landscapes/{slug}/plan/indicators/{indicator.pk}/").content.decode()
    assert "polyline" in detail or "<circle" in detail
    member = client_for(private_cast.member)
    url = f"/landscapes/{slug}/plan/indicators/{indicator.pk}/"
    future = str(TODAY + datetime.timedelta(days=3))
    bad = member.post(url, {"value": "3", "date": future, "confidence": "medium"})
    assert bad.status_code == 400 and "cannot be in the future" in bad.content.decode()
    good = member.post(url, {"value": "7", "date": str(TODAY), "confidence": "high", "source": "Survey"})
    assert good.status_code == 302 and indicator.measurements.count() == 2
    assert client_for(private_cast.viewer).post(url, {"value": "1", "date": str(TODAY)}).status_code in (
        200,
        403,
    )
    for person in ("anonymous", "outsider", "superuser"):
        assert client_for(private_cast[person]).get(f"/landscapes/{slug}/plan/results/").status_code == 404


def test_indicator_of_another_landscape_is_not_found(private_cast, public_cast):
    indicator = make_indicator(public_cast, goal=make_goal(public_cast))
    with pytest.raises(NotFound):
        selectors.indicator_get(
            actor=private_cast.manager, landscape=private_cast.landscape, indicator_id=indicator.pk
        )
