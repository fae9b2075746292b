"""REST endpoints for scenario sets, scenarios and runs (their indicators as JSON or CSV), and hindcasts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions
from landmosaic.core.errors import NotFound

from . import commons, runs, selectors, services, tables
from .describe import describe
from .messages import warning_texts
from .models import Hindcast, Run, Scenario, ScenarioSet
from .schemas import (
    DriverAddIn,
    DriverIn,
    HindcastAccepted,
    HindcastIn,
    HindcastOut,
    NoChangeIn,
    ReportZonesIn,
    RunAccepted,
    RunOut,
    RunStartIn,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatch,
    ScenarioSetIn,
    ScenarioSetOut,
    ScenarioSetPatch,
)
from .services.drivers import scenario_set_add_derived_driver

router = Router(tags=["scenarios"])
API = "/api/v1"


def _map(version: Any, year: int) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "dataset_id": version.dataset_id,
        "version": version.number,
        "title": version.dataset.title,
        "year": year,
    }


def _set(scenario_set: ScenarioSet, actor: Any) -> dict[str, Any]:
    change = scenario_set.change or None
    return {
        "id": scenario_set.pk,
        "landscape": scenario_set.landscape.slug,
        "title": scenario_set.title,
        "description": scenario_set.description,
        "first_map": _map(scenario_set.t0_version, scenario_set.t0_year),
        "second_map": _map(scenario_set.t1_version, scenario_set.t1_year),
        "horizon_years": scenario_set.horizon_years,
        "final_year": scenario_set.final_year,
        "seed": scenario_set.seed,
        "currency": scenario_set.currency,
        "carbon_price": scenario_set.carbon_price,
        "discount_rate": scenario_set.discount_rate,
        "price_change": scenario_set.price_change,
        "legend": scenario_set.legend,
        "carbon_pools": scenario_set.carbon_pools,
        "coefficients": scenario_set.coefficients,
        "drivers": scenario_set.drivers,
        "no_change": _no_change(scenario_set.no_change or {}),
        "report_zones": {
            "zone_dataset_id": (scenario_set.report_zones or {}).get("dataset_id"),
            "title": (scenario_set.report_zones or {}).get("title"),
            "names": [z["name"] for z in (scenario_set.report_zones or {}).get("zones", [])],
        },
        "warnings": warning_texts(scenario_set.warnings),
        "annual_change": {k: change[k] for k in ("classes", "matrix", "method", "residual") if k in change}
        if change
        else None,
        "scenarios": [
            {"id": s.pk, "name": s.name, "kind": s.kind, "url": f"{API}/scenarios/{s.pk}"}
            for s in selectors.scenario_list(actor=actor, scenario_set=scenario_set)
        ],
        "allowed_actions": permissions.allowed_actions(actor, scenario_set),
        "url": scenario_set.get_absolute_url(),
        "created_at": scenario_set.created_at,
        "updated_at": scenario_set.updated_at,
    }


def _scenario(scenario: Scenario, actor: Any) -> dict[str, Any]:
    scenario_set = scenario.scenario_set
    return {
        "id": scenario.pk,
        "scenario_set_id": scenario_set.pk,
        "name": scenario.name,
        "description": scenario.description,
        "kind": scenario.kind,
        "interventions": [
            {
                **{k: item.get(k) for k in ("kind", "start_year", "end_year", "from_class", "to_class")},
                "multiplier": item.get("multiplier"),
                "hectares_per_year": item.get("hectares_per_year"),
                "zone": item.get("zone"),
                "zone_source": item.get("zone_source"),
                "description": describe(item, scenario_set),
            }
            for item in scenario.interventions
        ],
        "runs": [
            {"id": r.pk, "status": r.status, "created_at": r.created_at, "url": f"{API}/scenario-runs/{r.pk}"}
            for r in selectors.run_list(actor=actor, scenario=scenario)
        ],
        "allowed_actions": permissions.allowed_actions(actor, scenario),
        "url": scenario.get_absolute_url(),
    }


def _dataset(actor: Any, dataset: Any) -> dict[str, Any] | None:
    if not commons.can_view(actor=actor, dataset=dataset):
        return None
    return {"id": dataset.pk, "title": dataset.title, "url": f"{API}/datasets/{dataset.pk}"}


def _run(run: Run, actor: Any) -> dict[str, Any]:
    job = run.job
    return {
        "id": run.pk,
        "scenario_id": run.scenario_id,
        "status": run.status,
        "progress": 100 if run.succeeded else (job.progress if job else 0),
        "message": job.message if job else "",
        "error": run.error,
        "base_year": run.base_year,
        "final_year": run.final_year,
        "job": {"id": str(job.pk), "status": job.status, "url": f"{API}/jobs/{job.pk}"} if job else None,
        "indicators": run.indicators or None,
        "warnings": warning_texts(run.warnings),
        "landcover_dataset": _dataset(actor, run.landcover_dataset),
        "table_dataset": _dataset(actor, run.table_dataset),
        "allowed_actions": permissions.allowed_actions(actor, run),
        "url": reverse(
            "scenarios:run", kwargs={"slug": run.scenario.scenario_set.landscape.slug, "run_id": run.pk}
        ),
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _hindcast(hindcast: Hindcast) -> dict[str, Any]:
    job, figures, scenario_set = hindcast.job, hindcast.figures or {}, hindcast.scenario_set
    later = _map(hindcast.t2_version, hindcast.t2_year)
    if later is None and figures:  # the map was deleted since: the figures keep what it was
        later = {"dataset_id": figures["t2_dataset_id"], "version": figures["t2_version"],
                 "title": figures["t2_title"], "year": figures["t2_year"]}  # fmt: skip
    return {
        "id": hindcast.pk,
        "scenario_set_id": scenario_set.pk,
        "status": hindcast.status,
        "progress": 100 if hindcast.succeeded else (job.progress if job else 0),
        "message": job.message if job else "",
        "error": hindcast.error,
        "later_map": later,
        "calibration_years": figures.get("calibration") or [scenario_set.t0_year, scenario_set.t1_year],
        "job": {"id": str(job.pk), "status": job.status, "url": f"{API}/jobs/{job.pk}"} if job else None,
        "model": figures.get("model"),
        "null_model": figures.get("null"),
        "matrix_method": figures.get("matrix_method"),
        "inputs": figures.get("inputs"),
        "url": f"{API}/scenario-hindcasts/{hindcast.pk}",
        "created_at": hindcast.created_at,
        "finished_at": hindcast.finished_at,
    }


# --- Scenario sets --------------------------------------------------------------------------------


@router.get(
    "/landscapes/{slug}/scenario-sets",
    response=list[ScenarioSetOut],
    auth=ANYONE,
    summary="A landscape's scenario sets",
)
def set_list(request: HttpRequest, slug: str):
    landscape = selectors.scenarios_landscape_get(actor=request.auth, slug=slug)
    return [
        _set(s, request.auth) for s in selectors.scenario_set_list(actor=request.auth, landscape=landscape)
    ]


@router.post(
    "/landscapes/{slug}/scenario-sets",
    response={201: ScenarioSetOut},
    auth=SIGNED_IN,
    summary="Create a scenario set from two raster datasets of the landscape, with its business as usual",
)
def set_create(request: HttpRequest, slug: str, payload: ScenarioSetIn):
    landscape = selectors.scenarios_landscape_get(actor=request.auth, slug=slug)
    scenario_set = services.scenario_set_create(
        actor=request.auth,
        landscape=landscape,
        title=payload.title,
        description=payload.description,
        t0_dataset_id=payload.first_dataset_id,
        t1_dataset_id=payload.second_dataset_id,
        t0_year=payload.first_year,
        t1_year=payload.second_year,
        horizon_years=payload.horizon_years,
        legend_product=payload.legend,
    )
    return 201, _set(scenario_set, request.auth)


@router.get("/scenario-sets/{set_id}", response=ScenarioSetOut, auth=ANYONE, summary="One scenario set")
def set_detail(request: HttpRequest, set_id: int):
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.patch(
    "/scenario-sets/{set_id}",
    response=ScenarioSetOut,
    auth=SIGNED_IN,
    summary="Change a set: settings, legend, carbon pools, coefficients (all or nothing)",
)
def set_update(request: HttpRequest, set_id: int, payload: ScenarioSetPatch):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    data = payload.dict(exclude_unset=True)
    renames = {"first_year": "t0_year", "second_year": "t1_year"}
    fields = {
        renames.get(k, k): v for k, v in data.items() if k not in ("legend", "carbon_pools", "coefficients")
    }
    services.scenario_set_change(
        actor=request.auth,
        scenario_set=scenario_set,
        fields=fields,
        legend=data.get("legend"),
        carbon_pools=data.get("carbon_pools"),
        coefficients=data.get("coefficients"),
    )
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


def _no_change(kept: dict[str, Any]) -> dict[str, Any]:
    source = kept.get("zone_source") or {}
    return {
        "classes": kept.get("classes", []),
        "zone_dataset_id": source.get("dataset_id"),
        "zone_title": source.get("title"),
    }


@router.put(
    "/scenario-sets/{set_id}/drivers",
    response=ScenarioSetOut,
    auth=SIGNED_IN,
    summary="Replace the driver rasters of a set (an empty list removes them)",
)
def set_drivers(request: HttpRequest, set_id: int, payload: list[DriverIn]):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    services.scenario_set_update_drivers(
        actor=request.auth, scenario_set=scenario_set, drivers=[d.dict() for d in payload]
    )
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.post(
    "/scenario-sets/{set_id}/drivers",
    response={201: ScenarioSetOut},
    auth=SIGNED_IN,
    summary="Add one driver: a raster as it is, the distance to a map layer, or an elevation map's slope",
)
def add_driver(request: HttpRequest, set_id: int, payload: DriverAddIn):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    entry = payload.dict()
    kind = entry.pop("kind")
    if kind == "raster":
        drivers = [*scenario_set.drivers, entry]
        services.scenario_set_update_drivers(actor=request.auth, scenario_set=scenario_set, drivers=drivers)
    else:
        scenario_set_add_derived_driver(actor=request.auth, scenario_set=scenario_set, kind=kind, **entry)
    return 201, _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.put(
    "/scenario-sets/{set_id}/no-change",
    response=ScenarioSetOut,
    auth=SIGNED_IN,
    summary="Set the land that never changes: classes and the polygons of a map layer",
)
def set_no_change(request: HttpRequest, set_id: int, payload: NoChangeIn):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    services.scenario_set_update_no_change(
        actor=request.auth,
        scenario_set=scenario_set,
        classes=payload.classes,
        zone_dataset_id=payload.zone_dataset_id,
    )
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.put(
    "/scenario-sets/{set_id}/zones",
    response=ScenarioSetOut,
    auth=SIGNED_IN,
    summary="Report the set's results by the polygons of a map layer (null: the whole landscape only)",
)
def set_report_zones(request: HttpRequest, set_id: int, payload: ReportZonesIn):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    services.scenario_set_update_report_zones(
        actor=request.auth, scenario_set=scenario_set, dataset_id=payload.zone_dataset_id
    )
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.post(
    "/scenario-sets/{set_id}/tables/{table}",
    response=ScenarioSetOut,
    auth=SIGNED_IN,
    summary="Replace the carbon_pools or coefficients table with a CSV file (row 1 names the columns)",
)
def set_table_import(request: HttpRequest, set_id: int, table: str, file: File[UploadedFile]):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    services.scenario_set_import_table(
        actor=request.auth, scenario_set=scenario_set, table=table, data=file.read(tables.MAX_BYTES + 1)
    )
    return _set(selectors.scenario_set_by_id(actor=request.auth, set_id=set_id), request.auth)


@router.delete(
    "/scenario-sets/{set_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Delete a set (its runs' datasets stay in the commons)",
)
def set_delete(request: HttpRequest, set_id: int):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    services.scenario_set_delete(actor=request.auth, scenario_set=scenario_set)
    return 204, None


# --- Scenarios --------------------------------------------------------------------------------------


@router.get(
    "/scenario-sets/{set_id}/scenarios",
    response=list[ScenarioOut],
    auth=ANYONE,
    summary="A set's scenarios, business as usual first",
)
def scenario_list(request: HttpRequest, set_id: int):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    return [
        _scenario(s, request.auth)
        for s in selectors.scenario_list(actor=request.auth, scenario_set=scenario_set)
    ]


@router.post(
    "/scenario-sets/{set_id}/scenarios",
    response={201: ScenarioOut},
    auth=SIGNED_IN,
    summary="Add an alternative scenario with its interventions",
)
def scenario_create(request: HttpRequest, set_id: int, payload: ScenarioIn):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    scenario = services.scenario_create(
        actor=request.auth,
        scenario_set=scenario_set,
        name=payload.name,
        description=payload.description,
        interventions=[i.dict() for i in payload.interventions],
    )
    return 201, _scenario(scenario, request.auth)


@router.get("/scenarios/{scenario_id}", response=ScenarioOut, auth=ANYONE, summary="One scenario")
def scenario_detail(request: HttpRequest, scenario_id: int):
    return _scenario(selectors.scenario_get(actor=request.auth, scenario_id=scenario_id), request.auth)


@router.patch(
    "/scenarios/{scenario_id}",
    response=ScenarioOut,
    auth=SIGNED_IN,
    summary="Rename a scenario or replace its interventions",
)
def scenario_update(request: HttpRequest, scenario_id: int, payload: ScenarioPatch):
    scenario = selectors.scenario_get(actor=request.auth, scenario_id=scenario_id)
    data = payload.dict(exclude_unset=True)
    scenario = services.scenario_update(
        actor=request.auth,
        scenario=scenario,
        name=data.get("name"),
        description=data.get("description"),
        interventions=data.get("interventions"),
    )
    return _scenario(scenario, request.auth)


@router.delete("/scenarios/{scenario_id}", response={204: None}, auth=SIGNED_IN, summary="Delete a scenario")
def scenario_delete(request: HttpRequest, scenario_id: int):
    scenario = selectors.scenario_get(actor=request.auth, scenario_id=scenario_id)
    services.scenario_delete(actor=request.auth, scenario=scenario)
    return 204, None


# --- Runs -----------------------------------------------------------------------------------------


@router.post(
    "/scenarios/{scenario_id}/runs",
    response={202: RunAccepted},
    auth=SIGNED_IN,
    summary="Run a scenario (a job); a run of the same inputs under way or finished is returned instead",
)
def run_start(request: HttpRequest, scenario_id: int, payload: RunStartIn | None = None):
    scenario = selectors.scenario_get(actor=request.auth, scenario_id=scenario_id)
    run = services.scenario_run_start(
        actor=request.auth, scenario=scenario, force=bool(payload and payload.force)
    )
    run = selectors.run_get(actor=request.auth, run_id=run.pk)
    return 202, {"run": _run(run, request.auth)}


@router.get(
    "/scenario-runs/{run_id}",
    response=RunOut,
    auth=ANYONE,
    summary="A run: its status and progress, then its yearly indicators and datasets",
)
def run_detail(request: HttpRequest, run_id: int):
    return _run(selectors.run_get(actor=request.auth, run_id=run_id), request.auth)


@router.post("/scenario-runs/{run_id}/cancel", response=RunOut, auth=SIGNED_IN, summary="Cancel a run")
def run_cancel(request: HttpRequest, run_id: int):
    run = selectors.run_get(actor=request.auth, run_id=run_id, action="cancel")
    services.scenario_run_cancel(actor=request.auth, run=run)
    return _run(selectors.run_get(actor=request.auth, run_id=run_id), request.auth)


@router.get(
    "/scenario-runs/{run_id}/indicators.csv",
    auth=ANYONE,
    summary="A run's yearly indicators as CSV",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def run_indicators_csv(request: HttpRequest, run_id: int):
    run = selectors.run_get(actor=request.auth, run_id=run_id)
    if not run.succeeded:
        raise NotFound(_("This run has no results yet."))
    response = HttpResponse(runs.indicator_csv(run.indicators), content_type="text/csv; charset=utf-8")
    name = slugify(f"{run.scenario.name}-{run.pk}") or "run"
    response["Content-Disposition"] = f'attachment; filename="{name}-indicators.csv"'
    return response


# --- Hindcasts ------------------------------------------------------------------------------------


@router.post(
    "/scenario-sets/{set_id}/hindcasts",
    response={202: HindcastAccepted},
    auth=SIGNED_IN,
    summary="Check the set's model against a later observed land-cover map (a job); 409 while the same "
    "hindcast is under way",
)
def hindcast_start(request: HttpRequest, set_id: int, payload: HindcastIn):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    hindcast = services.scenario_set_hindcast_start(
        actor=request.auth,
        scenario_set=scenario_set,
        t2_dataset_id=payload.later_dataset_id,
        t2_year=payload.later_year,
    )
    return 202, {"hindcast": _hindcast(selectors.hindcast_get(actor=request.auth, hindcast_id=hindcast.pk))}


@router.get(
    "/scenario-sets/{set_id}/hindcasts",
    response=list[HindcastOut],
    auth=ANYONE,
    summary="A set's hindcasts, newest first, with their figures once done",
)
def hindcast_list(request: HttpRequest, set_id: int):
    scenario_set = selectors.scenario_set_by_id(actor=request.auth, set_id=set_id)
    return [_hindcast(h) for h in selectors.hindcast_list(actor=request.auth, scenario_set=scenario_set)]


@router.get(
    "/scenario-hindcasts/{hindcast_id}",
    response=HindcastOut,
    auth=ANYONE,
    summary="A hindcast: its status, then the Figure of Merit and disagreement of the model and of the "
    "no-change model",
)
def hindcast_detail(request: HttpRequest, hindcast_id: int):
    return _hindcast(selectors.hindcast_get(actor=request.auth, hindcast_id=hindcast_id))
