"""What every scenario page needs: the caller's powers and form errors placed on their fields."""

from __future__ import annotations

from typing import Any

from django import forms

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.landscapes.models import Landscape

from ..selectors import sets_subject


def powers(user: Any, landscape: Landscape) -> dict[str, set[str]]:
    """The caller's allowed actions on the landscape and on its scenario sets."""
    return {
        "landscape": set(permissions.allowed_actions(user, landscape)),
        "sets": set(permissions.allowed_actions(user, sets_subject(landscape))),
    }


def form_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal shown on the fields it names, or above the form."""
    placed = False
    for field, errors in exc.details.items():
        if field in form.fields and isinstance(errors, list):
            for error in errors:
                form.add_error(field, str(error))
            placed = True
    if not placed:
        form.add_error(None, exc.message)
