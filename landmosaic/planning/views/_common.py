"""What every planning page needs: the header's tabs and the caller's powers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.landscapes.models import Landscape

from ..models import Output, register_subject, stakeholder_subject
from ..selectors import Plan

#: Output.feature -> (URL name, object type and action the caller needs to use that page).
FEATURES = {
    Output.Feature.STAKEHOLDERS: ("planning:stakeholders", "register", "view"),
    Output.Feature.RELATIONS: ("planning:relations", "register", "view"),
    Output.Feature.BOUNDARY: ("landscapes:boundary", "landscape", "change"),
    Output.Feature.PARTNERSHIP: ("landscapes:partnership", "landscape", "change"),
}


def powers(user: Any, landscape: Landscape) -> dict[str, set[str]]:
    """The caller's allowed actions on the landscape, its register and its stakeholders."""
    return {
        "landscape": set(permissions.allowed_actions(user, landscape)),
        "register": set(permissions.allowed_actions(user, register_subject(landscape))),
        "stakeholder": set(permissions.allowed_actions(user, stakeholder_subject(landscape.pk))),
    }


def link_features(plan: Plan, can: dict[str, set[str]]) -> None:
    """Give each output the page where the caller can work on it, when there is one they may use."""
    for view in plan.outputs:
        feature = FEATURES.get(view.output.feature)
        if feature and feature[2] in can[feature[1]]:
            view.feature_url = reverse(feature[0], kwargs={"slug": plan.landscape.slug})


def page_context(user: Any, landscape: Landscape, tab: str, **extra: Any) -> dict[str, Any]:
    return {"landscape": landscape, "tab": tab, "can": powers(user, landscape), **extra}


def form_error(form, exc: DomainError) -> None:
    """Show a domain error next to the fields it names, or above the form."""
    placed = False
    for field, errors in exc.details.items():
        if field in form.fields:
            for error in errors if isinstance(errors, list) else [errors]:
                form.add_error(field, str(error))
            placed = True
    if not placed:
        form.add_error(None, exc.message)
