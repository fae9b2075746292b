"""Scenarios: a new alternative, its page with interventions (zones drawn on a map or taken from a map
layer), its runs, deleting it, and starting a run."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError

from .. import selectors, services
from ..describe import describe
from ..forms import InterventionForm, ScenarioForm
from ..models import Scenario
from ._common import form_error


def _scenario(
    request: HttpRequest, slug: str, set_id: int, scenario_id: int, action: str = "view"
) -> Scenario:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    scenario_set = selectors.scenario_set_get(actor=request.user, landscape=landscape, set_id=set_id)
    return selectors.scenario_get(
        actor=request.user, scenario_set=scenario_set, scenario_id=scenario_id, action=action
    )


def _zones(scenario: Scenario) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": item["zone"],
            "properties": {"name": _("Intervention %(number)s") % {"number": number}},
        }
        for number, item in enumerate(scenario.interventions, start=1)
        if item.get("zone")
    ]
    return {"type": "FeatureCollection", "features": features}


def _context(request: HttpRequest, scenario: Scenario, **extra: Any) -> dict[str, Any]:
    scenario_set = scenario.scenario_set
    user = request.user
    can = set(permissions.allowed_actions(user, scenario))
    context = {
        "landscape": scenario_set.landscape,
        "scenario_set": scenario_set,
        "scenario": scenario,
        "can": can,
        "interventions": [describe(item, scenario_set) for item in scenario.interventions],
        "zones": _zones(scenario),
        "runs": selectors.run_list(actor=user, scenario=scenario),
        "first_year": scenario_set.t1_year + 1,
        "final_year": scenario_set.final_year,
    }
    if "change" in can and not scenario.is_bau:
        layers = selectors.vector_choices(actor=user, landscape=scenario_set.landscape)
        context["form"] = InterventionForm(scenario_set=scenario_set, layers=layers)
        context["scenario_form"] = ScenarioForm(
            initial={"name": scenario.name, "description": scenario.description}
        )
    context.update(extra)
    return context


@login_required
@require_POST
def scenario_new(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    scenario_set = selectors.scenario_set_get(
        actor=request.user, landscape=landscape, set_id=set_id, action="change"
    )
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            scenario = services.scenario_create(
                actor=request.user,
                scenario_set=scenario_set,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Scenario created. Add its interventions."))
            return redirect(scenario.get_absolute_url())
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{scenario_set.get_absolute_url()}#scenarios")


def scenario_detail(request: HttpRequest, slug: str, set_id: int, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id)
    return render(request, "scenarios/scenario.html", _context(request, scenario))


@login_required
@require_POST
def scenario_edit(request: HttpRequest, slug: str, set_id: int, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id, action="change")
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_update(
                actor=request.user,
                scenario=scenario,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Scenario saved."))
            return redirect(scenario.get_absolute_url())
    scenario.refresh_from_db()
    return render(
        request, "scenarios/scenario.html", _context(request, scenario, scenario_form=form), status=400
    )


@login_required
@require_POST
def intervention_add(request: HttpRequest, slug: str, set_id: int, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id, action="change")
    layers = selectors.vector_choices(actor=request.user, landscape=scenario.scenario_set.landscape)
    form = InterventionForm(request.POST, scenario_set=scenario.scenario_set, layers=layers)
    if form.is_valid():
        try:
            services.intervention_add(actor=request.user, scenario=scenario, data=form.intervention())
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Intervention added."))
            return redirect(f"{scenario.get_absolute_url()}#interventions")
    return render(request, "scenarios/scenario.html", _context(request, scenario, form=form), status=400)


@login_required
@require_POST
def intervention_remove(
    request: HttpRequest, slug: str, set_id: int, scenario_id: int, index: int
) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id, action="change")
    services.intervention_remove(actor=request.user, scenario=scenario, index=index)
    messages.success(request, _("Intervention removed."))
    return redirect(f"{scenario.get_absolute_url()}#interventions")


@login_required
def scenario_delete(request: HttpRequest, slug: str, set_id: int, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id, action="delete")
    scenario_set = scenario.scenario_set
    if request.method == "POST":
        services.scenario_delete(actor=request.user, scenario=scenario)
        messages.success(request, _("Scenario deleted. Its results stay in the landscape's data."))
        return redirect(scenario_set.get_absolute_url())
    context = {
        "landscape": scenario_set.landscape,
        "object_title": scenario.name,
        "back": scenario.get_absolute_url(),
        "explanation": _(
            "The scenario and its runs are deleted. The maps and tables its runs stored stay in the "
            "landscape's data until a manager deletes them there."
        ),
    }
    return render(request, "scenarios/confirm_delete.html", context)


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str, set_id: int, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, slug, set_id, scenario_id, action="run")
    try:
        run = services.scenario_run_start(
            actor=request.user, scenario=scenario, force=bool(request.POST.get("force"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(scenario.get_absolute_url())
    return redirect(run.get_absolute_url())
