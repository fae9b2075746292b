"""Pages of the action plan and tracker: timeline and list, map, tracker, actions and strategies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError
from landmosaic.core.pagination import paginate

from .. import selectors, services
from ..forms import ActionForm, ReportForm, StrategyForm
from ..models import ActionStatus
from ._common import form_error, form_page, page_context

PAGE_SIZE = 50


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def actions(request: HttpRequest, slug: str) -> HttpResponse:
    """The action plan: one row per action with a bar over the years, and the same as a list."""
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    status = status if status in ActionStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    page = paginate(
        selectors.action_list(
            actor=request.user, landscape=landscape, today=today, status=status, overdue=overdue
        ),
        page=request.GET.get("page", 1),
        page_size=PAGE_SIZE,
    )
    for item in page.items:
        item.overdue = item.is_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    context = page_context(
        request.user,
        landscape,
        "actions",
        page=page,
        query=query.urlencode(),
        timeline=selectors.timeline_of(page.items, today=today),
        today=today,
        status=status,
        overdue=overdue,
        statuses=ActionStatus.choices,
        strategies=list(selectors.strategy_list(actor=request.user, landscape=landscape)),
    )
    return render(request, "planning/actions.html", context)


def actions_map(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    data = selectors.actions_geojson(actor=request.user, landscape=landscape, today=timezone.localdate())
    context = page_context(
        request.user,
        landscape,
        "actions",
        geojson=data,
        located=len(data["features"]),
        matched=data["numberMatched"],
    )
    return render(request, "planning/actions_map.html", context)


def tracker(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    result = selectors.tracker_get(actor=request.user, landscape=landscape, today=timezone.localdate())
    context = page_context(request.user, landscape, "actions", tracker=result)
    return render(request, "planning/tracker.html", context)


def action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    """One action with its progress notes; members report progress here."""
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    found = selectors.action_get(actor=request.user, landscape=landscape, action_id=action_id)
    context = page_context(request.user, landscape, "actions", action=found, today=timezone.localdate())
    form = None
    status = 200
    if "report" in context["can"]["action_plan"]:
        form = ReportForm(request.POST or None, initial={"status": found.status})
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.action_report(
                        actor=request.user,
                        action=found,
                        text=form.cleaned_data["text"],
                        status=form.cleaned_data["status"],
                    )
                except DomainError as exc:
                    if exc.status in (403, 404):
                        raise
                    form_error(form, exc)
                else:
                    messages.success(request, _("Progress reported."))
                    return redirect("planning:action", slug=slug, action_id=action_id)
            status = 400
    context.update(
        form=form,
        notes=selectors.action_notes(actor=request.user, action=found),
        overdue=found.is_overdue(context["today"]),
    )
    return render(request, "planning/action.html", context, status=status)


@login_required
def action_form(request: HttpRequest, slug: str, action_id: int | None = None) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug, action="change")
    found = (
        selectors.action_get(actor=request.user, landscape=landscape, action_id=action_id, action="change")
        if action_id
        else None
    )
    initial = {"strategy": _int(request.GET.get("strategy", ""))} if found is None else None
    form = ActionForm(request.POST or None, instance=found, landscape=landscape, initial=initial)
    return form_page(
        request,
        landscape,
        "actions",
        form=form,
        title=_("Edit the action") if found else _("Add an action"),
        save=lambda data: services.action_save(
            actor=request.user, landscape=landscape, action=found, **form.service_kwargs()
        ),
        success=lambda a: reverse("planning:action", kwargs={"slug": slug, "action_id": a.pk}),
        message=_("The action is saved."),
        cancel=reverse("planning:actions", kwargs={"slug": slug}),
        draw={
            "input": "id_area",
            "label": _("Or draw the area of the action on the map"),
            "hint": _(
                "Give a longitude and latitude for a place, or draw an area. Leave both empty for none."
            ),
        },
    )


@login_required
def strategy_form(request: HttpRequest, slug: str, strategy_id: int | None = None) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug, action="change")
    found = (
        selectors.strategy_get(
            actor=request.user, landscape=landscape, strategy_id=strategy_id, action="change"
        )
        if strategy_id
        else None
    )
    initial = {"objective": _int(request.GET.get("objective", ""))} if found is None else None
    form = StrategyForm(request.POST or None, instance=found, landscape=landscape, initial=initial)
    return form_page(
        request,
        landscape,
        "actions",
        form=form,
        title=_("Edit the strategy") if found else _("Add a strategy"),
        save=lambda data: services.strategy_save(
            actor=request.user, landscape=landscape, strategy=found, **form.service_kwargs()
        ),
        success=lambda s: reverse("planning:actions", kwargs={"slug": slug}) + "#strategies",
        message=_("The strategy is saved."),
        cancel=reverse("planning:actions", kwargs={"slug": slug}),
    )


@login_required
@require_POST
def action_delete(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    found = selectors.action_get(
        actor=request.user, landscape=landscape, action_id=action_id, action="change"
    )
    services.action_delete(actor=request.user, action=found)
    messages.success(request, _("The action is removed."))
    return redirect("planning:actions", slug=slug)


@login_required
@require_POST
def strategy_delete(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    landscape = selectors.action_plan_landscape_get(actor=request.user, slug=slug)
    found = selectors.strategy_get(
        actor=request.user, landscape=landscape, strategy_id=strategy_id, action="change"
    )
    try:
        services.strategy_delete(actor=request.user, strategy=found)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The strategy is removed."))
    return redirect(reverse("planning:actions", kwargs={"slug": slug}) + "#strategies")
