"""A run: its progress (polled by htmx), cancelling it, and its results page with maps, charts and a
summary in plain words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.maps.tile_links import tile_template

from .. import commons, results, runs, selectors, services
from ..messages import warning_texts
from ..models import Run


def _run(request: HttpRequest, slug: str, run_id: int, action: str = "view") -> Run:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    return selectors.run_get(actor=request.user, run_id=run_id, landscape=landscape, action=action)


def _run_context(request: HttpRequest, run: Run) -> dict[str, Any]:
    scenario = run.scenario
    return {
        "landscape": scenario.scenario_set.landscape,
        "scenario_set": scenario.scenario_set,
        "scenario": scenario,
        "run": run,
        "job": run.job,
        "can": set(permissions.allowed_actions(request.user, run)),
        "results_url": reverse(
            "scenarios:results", kwargs={"slug": scenario.scenario_set.landscape.slug, "run_id": run.pk}
        ),
    }


def run_detail(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run(request, slug, run_id)
    if run.succeeded and not request.htmx:
        return redirect("scenarios:results", slug=slug, run_id=run.pk)
    template = "scenarios/_run_status.html" if request.htmx else "scenarios/run.html"
    return render(request, template, _run_context(request, run))


@login_required
@require_POST
def run_cancel(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run(request, slug, run_id, action="cancel")
    services.scenario_run_cancel(actor=request.user, run=run)
    messages.info(request, _("The run is cancelled; it stops before its next year."))
    return redirect(run.scenario.get_absolute_url())


def _map(run: Run, year: int, label: str, scenario_set: Any) -> dict[str, Any] | None:
    """A result map of one year: the commons' preview of the run's dataset version for that year."""
    dataset = run.landcover_dataset
    version = dataset.versions.filter(number=year - run.base_year).first() if dataset else None
    if version is None:
        return None
    quicklook = (version.details or {}).get("quicklook")
    return {
        "label": label,
        "year": year,
        "url": reverse(
            "datasets:quicklook",
            kwargs={"slug": dataset.landscape.slug, "dataset": dataset.slug, "number": version.number},
        )
        if quicklook
        else "",
        "bounds": ",".join(str(v) for v in quicklook["bounds_4326"]) if quicklook else "",
        "alt": results.map_alt(run.indicators, scenario_set, year=year, label=label),
        "dataset": dataset,
        # The tiles of every year: the page's script puts the version (year - base year) in "{v}".
        "tiles": tile_template(dataset=dataset, number="{v}"),
        "base_year": run.base_year,
        "bbox": ",".join(str(v) for v in version.bbox_4326 or []),
    }


def _layer(map_: dict[str, Any]) -> dict[str, Any]:
    """What the page's script needs to draw a run's yearly maps as tiles."""
    keys = ("tiles", "base_year", "bbox")
    return {"label": capfirst(str(map_["label"])), **{k: map_[k] for k in keys}}


def results_page(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run(request, slug, run_id)
    if not run.succeeded:
        return redirect("scenarios:run", slug=slug, run_id=run.pk)
    scenario = run.scenario
    scenario_set = scenario.scenario_set
    reference = selectors.reference_run(actor=request.user, run=run)
    years = run.indicators["years"][1:]
    try:
        year = int(request.GET.get("year", run.final_year))
    except ValueError:
        year = run.final_year
    year = year if year in years else run.final_year
    maps = [_map(run, year, scenario.name, scenario_set)]
    if reference is not None and year in reference.indicators["years"]:
        maps.insert(0, _map(reference, year, _("business as usual"), scenario_set))
    figures = results.class_figures(run, reference, scenario_set)
    context = {
        **_run_context(request, run),
        "reference": reference,
        "summary": results.summary(run, reference, figures),
        "charts": results.charts(run, reference, figures),
        "figures": figures,
        "zones": results.zone_rows(run, reference),
        "maps": [m for m in maps if m],
        "layers": [_layer(m) for m in maps if m],
        "year": year,
        "years": years,
        # How the two runs' maps are compared: a swipe on one map, or two maps side by side (?compare=side).
        "compare": "side" if request.GET.get("compare") == "side" else "swipe",
        "legend": [e for e in scenario_set.legend if int(e["code"]) in run.indicators["classes"]],
        "warnings": warning_texts(run.warnings),
        "table_dataset": run.table_dataset
        if commons.can_view(actor=request.user, dataset=run.table_dataset)
        else None,
        "final_year": run.final_year,
        "base_year": run.base_year,
        "bau_missing": reference is None and not scenario.is_bau,
    }
    return render(request, "scenarios/results.html", context)


def indicators_csv(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    run = _run(request, slug, run_id)
    if not run.succeeded:
        raise NotFound(_("This run has no results yet."))
    response = HttpResponse(runs.indicator_csv(run.indicators), content_type="text/csv; charset=utf-8")
    name = slugify(f"{run.scenario.name}-{run.pk}") or "run"
    response["Content-Disposition"] = f'attachment; filename="{name}-indicators.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
