"""Pages of the shared vision and strategy: vision (and its image), zones on the map, goals, objectives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError

from .. import selectors, services
from ..forms import GoalForm, ObjectiveForm, VisionForm, ZoneForm
from ..models import Return, ZoneKind
from ._common import form_page, page_context


def _back(slug: str, anchor: str = "") -> str:
    return reverse("planning:vision", kwargs={"slug": slug}) + (f"#{anchor}" if anchor else "")


def vision(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug)
    zones = selectors.zone_list(actor=request.user, landscape=landscape)
    goals = selectors.goal_list(actor=request.user, landscape=landscape)
    returns = dict(Return.choices)
    context = page_context(
        request.user,
        landscape,
        "vision",
        vision=selectors.vision_get(actor=request.user, landscape=landscape),
        zones=zones,
        zones_geojson=selectors.zones_geojson(zones, slug=slug),
        zone_kinds=ZoneKind.choices,
        goals=goals,
        returns_without_goal=[returns[r] for r in Return.values if r not in {g.return_kind for g in goals}],
    )
    return render(request, "planning/vision.html", context)


def vision_image(request: HttpRequest, slug: str) -> FileResponse:
    """The vision's image, only for those who may see the strategy (never from a public URL)."""
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug)
    found = selectors.vision_get(actor=request.user, landscape=landscape)
    if found is None or not found.image:
        raise Http404
    response = FileResponse(found.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def vision_edit(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug, action="change")
    current = selectors.vision_get(actor=request.user, landscape=landscape)
    form = VisionForm(request.POST or None, request.FILES or None, instance=current)

    def save(data):
        image = (
            data["image"]
            if "image" in request.FILES
            else (None if data.get("remove_image") else services.UNSET)
        )
        return services.vision_save(
            actor=request.user,
            landscape=landscape,
            statement=data["statement"],
            horizon_year=data["horizon_year"],
            image_alt=data["image_alt"],
            image=image,
        )

    return form_page(
        request,
        landscape,
        "vision",
        form=form,
        title=_("Shared vision"),
        save=save,
        success=lambda v: _back(slug),
        message=_("The vision is saved."),
        cancel=_back(slug),
        multipart=True,
    )


@login_required
@require_POST
def vision_agree(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug)
    agreed = request.POST.get("agreed") != "0"
    try:
        services.vision_agree(actor=request.user, landscape=landscape, agreed=agreed)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The vision is marked agreed.") if agreed else _("The agreed mark is withdrawn.")
        )
    return redirect(_back(slug))


# --- Zones, goals, objectives ----------------------------------------------------------------


def _strategy_landscape(request: HttpRequest, slug: str):
    return selectors.strategy_landscape_get(actor=request.user, slug=slug, action="change")


def _zone_draw() -> dict[str, str]:
    return {
        "input": "id_geometry",
        "label": _("Draw the zone on the map"),
        "hint": _("Tap or click to add corners; close the shape on the first corner. Edges must not cross."),
    }


@login_required
def zone_form(request: HttpRequest, slug: str, zone_id: int | None = None) -> HttpResponse:
    landscape = _strategy_landscape(request, slug)
    zone = (
        selectors.zone_get(actor=request.user, landscape=landscape, zone_id=zone_id, action="change")
        if zone_id
        else None
    )
    form = ZoneForm(request.POST or None, instance=zone)

    def save(data):
        values = {f: data[f] for f in ("name", "kind", "description", "geometry")}
        return services.zone_save(actor=request.user, landscape=landscape, zone=zone, **values)

    return form_page(
        request,
        landscape,
        "vision",
        form=form,
        title=_("Edit the zone") if zone else _("Draw a zone"),
        save=save,
        success=lambda z: _back(slug, "zones"),
        message=_("The zone is saved."),
        cancel=_back(slug, "zones"),
        draw=_zone_draw(),
    )


@login_required
def goal_form(request: HttpRequest, slug: str, goal_id: int | None = None) -> HttpResponse:
    landscape = _strategy_landscape(request, slug)
    goal = (
        selectors.goal_get(actor=request.user, landscape=landscape, goal_id=goal_id, action="change")
        if goal_id
        else None
    )
    form = GoalForm(request.POST or None, instance=goal, landscape=landscape)
    return form_page(
        request,
        landscape,
        "vision",
        form=form,
        title=_("Edit the goal") if goal else _("Add a long-term goal"),
        save=lambda data: services.goal_save(
            actor=request.user, landscape=landscape, goal=goal, **form.service_kwargs()
        ),
        success=lambda g: _back(slug, f"goal-{g.pk}"),
        message=_("The goal is saved."),
        cancel=_back(slug, "goals"),
    )


@login_required
def objective_form(request: HttpRequest, slug: str, objective_id: int | None = None) -> HttpResponse:
    landscape = _strategy_landscape(request, slug)
    objective = (
        selectors.objective_get(
            actor=request.user, landscape=landscape, objective_id=objective_id, action="change"
        )
        if objective_id
        else None
    )
    initial = {"goal": request.GET.get("goal")} if objective is None else None
    form = ObjectiveForm(request.POST or None, instance=objective, landscape=landscape, initial=initial)
    return form_page(
        request,
        landscape,
        "vision",
        form=form,
        title=_("Edit the objective") if objective else _("Add a SMART objective"),
        save=lambda data: services.objective_save(
            actor=request.user, landscape=landscape, objective=objective, **form.service_kwargs()
        ),
        success=lambda o: _back(slug, f"goal-{o.goal_id}"),
        message=_("The objective is saved."),
        cancel=_back(slug, "goals"),
    )


@login_required
@require_POST
def strategy_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Remove a zone, a goal or an objective (editors); refusals come back as messages."""
    landscape = _strategy_landscape(request, slug)
    getters = {
        "zone": (selectors.zone_get, "zone_id", services.zone_delete, "zone"),
        "goal": (selectors.goal_get, "goal_id", services.goal_delete, "goal"),
        "objective": (selectors.objective_get, "objective_id", services.objective_delete, "objective"),
    }
    if kind not in getters:
        raise Http404
    get, key, delete, arg = getters[kind]
    obj = get(actor=request.user, landscape=landscape, action="change", **{key: pk})
    try:
        delete(actor=request.user, **{arg: obj})
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed."))
    return redirect(_back(slug))
