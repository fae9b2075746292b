"""API of monitoring and results: the indicator library, indicators, measurements, progress."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions

from .. import selectors, services
from ..models import ComputedSource, LibraryIndicator, Measurement
from ..schemas.monitoring import (
    ComputeAccepted,
    ComputedSourceIn,
    ComputedSourceOut,
    ComputeIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    LibraryOut,
    MeasurementIn,
    MeasurementOut,
    ResultsOut,
)
from ..selectors import IndicatorView
from ._router import router

BASE = "/landscapes/{slug}/plan"


def _landscape(request: HttpRequest, slug: str) -> Any:
    return selectors.monitoring_landscape_get(actor=request.auth, slug=slug)


def _library(item: LibraryIndicator) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.localized("name"),
        "description": item.localized("description"),
        "unit": item.localized("unit"),
        "method": item.localized("method"),
        "direction": item.direction,
        "frequency": item.frequency,
        "pillar": item.pillar,
        "return_kind": item.return_kind,
    }


def _indicator(view: IndicatorView, slug: str) -> dict[str, Any]:
    i = view.indicator
    return {
        "id": i.pk,
        "goal_id": i.goal_id,
        "objective_id": i.objective_id,
        "return_kind": view.return_kind,
        "library_code": i.library_code,
        "name": i.name,
        "unit": i.unit,
        "baseline_value": i.baseline_value,
        "baseline_date": i.baseline_date,
        "target_value": i.target_value,
        "target_date": i.target_date,
        "direction": i.direction,
        "frequency": i.frequency,
        "method": i.method,
        "measured_by": i.measured_by,
        "weight": i.weight,
        "geometry": i.geometry,
        "latest": None
        if view.latest_value is None
        else {"value": view.latest_value, "date": view.latest_date},
        "progress": view.progress,
        "url": reverse("planning:indicator", kwargs={"slug": slug, "indicator_id": i.pk}),
    }


def _measurement(m: Measurement, *, show_people: bool) -> dict[str, Any]:
    return {
        "id": m.pk,
        "indicator_id": m.indicator_id,
        "value": m.value,
        "date": m.date,
        "source": m.source,
        "confidence": m.confidence,
        "recorded_by": m.recorded_by.display_name if show_people and m.recorded_by else None,
        "created_at": m.created_at,
    }


def _one(request: HttpRequest, landscape: Any, indicator_id: int) -> dict[str, Any]:
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    return _indicator(selectors.indicator_view(indicator=indicator), landscape.slug)


@router.get(
    f"{BASE}/indicator-library",
    response=list[LibraryOut],
    auth=ANYONE,
    summary="Starter library of indicators (LandScale pillars, the four returns), in the caller's language",
)
def library(request: HttpRequest, slug: str, pillar: str = "", return_kind: str = ""):
    _landscape(request, slug)
    return [_library(i) for i in selectors.library_list(pillar=pillar, return_kind=return_kind)]


@router.get(f"{BASE}/indicators", response=list[IndicatorOut], auth=ANYONE, summary="Indicators (5.2)")
def indicator_list(request: HttpRequest, slug: str, objective: int | None = None):
    landscape = _landscape(request, slug)
    views = selectors.indicator_list(actor=request.auth, landscape=landscape, objective_id=objective)
    return [_indicator(v, slug) for v in views]


@router.post(f"{BASE}/indicators", response={201: IndicatorOut}, auth=SIGNED_IN, summary="Add an indicator")
def indicator_create(request: HttpRequest, slug: str, payload: IndicatorIn):
    landscape = _landscape(request, slug)
    changes = {
        k: v for k, v in payload.dict().items() if v not in (None, "") or k in ("goal_id", "objective_id")
    }
    indicator = services.indicator_save(actor=request.auth, landscape=landscape, **changes)
    return 201, _one(request, landscape, indicator.pk)


@router.get(
    f"{BASE}/indicators/{{int:indicator_id}}", response=IndicatorOut, auth=ANYONE, summary="One indicator"
)
def indicator_detail(request: HttpRequest, slug: str, indicator_id: int):
    return _one(request, _landscape(request, slug), indicator_id)


@router.patch(
    f"{BASE}/indicators/{{int:indicator_id}}",
    response=IndicatorOut,
    auth=SIGNED_IN,
    summary="Change an indicator",
)
def indicator_update(request: HttpRequest, slug: str, indicator_id: int, payload: IndicatorPatch):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    changes = payload.dict(exclude_unset=True)
    services.indicator_save(actor=request.auth, landscape=landscape, indicator=indicator, **changes)
    return _one(request, landscape, indicator_id)


@router.delete(
    f"{BASE}/indicators/{{int:indicator_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove an indicator and its measurements",
)
def indicator_delete(request: HttpRequest, slug: str, indicator_id: int):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    services.indicator_delete(actor=request.auth, indicator=indicator)
    return 204, None


@router.get(
    f"{BASE}/indicators/{{int:indicator_id}}/measurements",
    response=list[MeasurementOut],
    auth=ANYONE,
    summary="Measurements of an indicator, oldest first",
)
def measurement_list(request: HttpRequest, slug: str, indicator_id: int):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    people = permissions.can(request.auth, "view_members", landscape)
    return [
        _measurement(m, show_people=people)
        for m in selectors.measurement_list(actor=request.auth, indicator=indicator)
    ]


@router.post(
    f"{BASE}/indicators/{{int:indicator_id}}/measurements",
    response={201: MeasurementOut},
    auth=SIGNED_IN,
    summary="Record a measurement (members)",
)
def measurement_create(request: HttpRequest, slug: str, indicator_id: int, payload: MeasurementIn):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    measurement = services.measurement_add(actor=request.auth, indicator=indicator, **payload.dict())
    return 201, _measurement(measurement, show_people=True)


@router.delete(
    f"{BASE}/measurements/{{int:measurement_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a measurement (editors, or the member who recorded it)",
)
def measurement_delete(request: HttpRequest, slug: str, measurement_id: int):
    landscape = _landscape(request, slug)
    measurement = selectors.measurement_get(
        actor=request.auth, landscape=landscape, measurement_id=measurement_id
    )
    services.measurement_delete(actor=request.auth, measurement=measurement)
    return 204, None


def _source(source: ComputedSource) -> dict[str, Any]:
    fields = ("operation", "column", "date_column", "date_from", "date_to", "match_column", "match_value")
    title = source.visible_dataset.title if source.visible_dataset else None
    return {
        "dataset_id": source.dataset_id,
        "dataset_title": title,
        **{f: getattr(source, f) for f in fields},
    }


@router.get(
    f"{BASE}/indicators/{{int:indicator_id}}/source",
    response={200: ComputedSourceOut, 204: None},
    auth=ANYONE,
    summary="The dataset an indicator is computed from (204: entered by hand)",
)
def computed_source_detail(request: HttpRequest, slug: str, indicator_id: int):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    source = selectors.computed_source_get(actor=request.auth, indicator=indicator)
    return (200, _source(source)) if source else (204, None)


@router.put(
    f"{BASE}/indicators/{{int:indicator_id}}/source",
    response=ComputedSourceOut,
    auth=SIGNED_IN,
    summary="Compute an indicator from a dataset of the commons (editors who can see the dataset)",
)
def computed_source_put(request: HttpRequest, slug: str, indicator_id: int, payload: ComputedSourceIn):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    services.computed_source_save(actor=request.auth, indicator=indicator, **payload.dict())
    return _source(selectors.computed_source_get(actor=request.auth, indicator=indicator))


@router.delete(
    f"{BASE}/indicators/{{int:indicator_id}}/source",
    response={204: None},
    auth=SIGNED_IN,
    summary="Stop computing an indicator from a dataset (its measurements stay)",
)
def computed_source_remove(request: HttpRequest, slug: str, indicator_id: int):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    services.computed_source_delete(actor=request.auth, indicator=indicator)
    return 204, None


@router.post(
    f"{BASE}/indicators/{{int:indicator_id}}/compute",
    response={202: ComputeAccepted},
    auth=SIGNED_IN,
    summary="Compute a measurement from the indicator's dataset (members); follow the job",
)
def measurement_compute(request: HttpRequest, slug: str, indicator_id: int, payload: ComputeIn):
    landscape = _landscape(request, slug)
    indicator = selectors.indicator_get(actor=request.auth, landscape=landscape, indicator_id=indicator_id)
    job = services.measurement_compute(actor=request.auth, indicator=indicator, date=payload.date)
    return 202, {"job": {"id": str(job.pk), "status": job.status, "url": f"/api/v1/jobs/{job.pk}"}}


@router.get(
    f"{BASE}/results",
    response=ResultsOut,
    auth=ANYONE,
    summary="Results (5.1): progress by goal and objective, the four returns side by side",
)
def results(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    result = selectors.results_get(actor=request.auth, landscape=landscape)
    return {
        "returns": [
            {
                "code": r.code,
                "label": r.label,
                "progress": r.progress,
                "measured": r.measured,
                "indicators": r.indicators,
            }
            for r in result.returns
        ],
        "goals": [
            {
                "id": g.goal.pk,
                "title": g.goal.title,
                "return_kind": g.goal.return_kind,
                "pillar": g.goal.pillar,
                "progress": g.progress,
                "objectives": [
                    {
                        "id": o.objective.pk,
                        "what": o.objective.what,
                        "progress": o.progress,
                        "measured": o.measured,
                        "indicators": len(o.indicators),
                    }
                    for o in g.objectives
                ],
            }
            for g in result.goals
        ],
    }
