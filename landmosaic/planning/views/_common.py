"""What every planning page needs: the header's tabs and the caller's powers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.core.forms import form_error
from landmosaic.landscapes.models import Landscape

from ..models import (
    Output,
    action_plan_subject,
    agreement_subject,
    monitoring_subject,
    register_subject,
    stakeholder_subject,
    strategy_subject,
)
from ..selectors import Plan

#: Output.feature -> (URL name, object type and action the caller needs to use that page).
FEATURES = {
    Output.Feature.STAKEHOLDERS: ("planning:stakeholders", "register", "view"),
    Output.Feature.RELATIONS: ("planning:relations", "register", "view"),
    Output.Feature.BOUNDARY: ("landscapes:boundary", "landscape", "change"),
    Output.Feature.PARTNERSHIP: ("landscapes:partnership", "landscape", "change"),
    Output.Feature.AGREEMENT: ("planning:agreement", "agreement", "view"),
    Output.Feature.VISION: ("planning:vision", "strategy", "view"),
    Output.Feature.ACTIONS: ("planning:actions", "action_plan", "view"),
    Output.Feature.TRACKER: ("planning:tracker", "action_plan", "view"),
    Output.Feature.INDICATORS: ("planning:indicators", "monitoring", "view"),
}


def powers(user: Any, landscape: Landscape) -> dict[str, set[str]]:
    """The caller's allowed actions on the landscape, its register, its stakeholders and its plan."""
    return {
        "landscape": set(permissions.allowed_actions(user, landscape)),
        "register": set(permissions.allowed_actions(user, register_subject(landscape))),
        "stakeholder": set(permissions.allowed_actions(user, stakeholder_subject(landscape.pk))),
        "agreement": set(permissions.allowed_actions(user, agreement_subject(landscape))),
        "strategy": set(permissions.allowed_actions(user, strategy_subject(landscape))),
        "action_plan": set(permissions.allowed_actions(user, action_plan_subject(landscape))),
        "monitoring": set(permissions.allowed_actions(user, monitoring_subject(landscape))),
    }


def link_features(plan: Plan, can: dict[str, set[str]]) -> None:
    """Give each output the page where the caller can work on it, when there is one they may use."""
    for view in plan.outputs:
        feature = FEATURES.get(view.output.feature)
        if feature and feature[2] in can[feature[1]]:
            view.feature_url = reverse(feature[0], kwargs={"slug": plan.landscape.slug})


def page_context(user: Any, landscape: Landscape, tab: str, **extra: Any) -> dict[str, Any]:
    return {"landscape": landscape, "tab": tab, "can": powers(user, landscape), **extra}


def form_page(
    request: HttpRequest,
    landscape: Landscape,
    tab: str,
    *,
    form: Any,
    title: str,
    save: Callable[[dict], Any],
    success: Callable[[Any], str],
    message: str,
    cancel: str,
    draw: dict[str, Any] | None = None,
    multipart: bool = False,
) -> HttpResponse:
    """The one create/edit page of the plan: validate, call the service, show its errors by the fields.

    ``save`` gets the cleaned data and returns the saved object; ``success`` gives the address to go to.
    ``draw`` adds the map-drawing widget for a hidden GeoJSON field ({"input": id, "hint": text}).
    """
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(success(obj))
    context = page_context(
        request.user,
        landscape,
        tab,
        form=form,
        title=title,
        cancel=cancel,
        draw=draw,
        multipart=multipart,
    )
    return render(request, "planning/form.html", context, status=400 if request.method == "POST" else 200)

