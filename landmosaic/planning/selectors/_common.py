"""Helpers shared by the planning selectors."""

from __future__ import annotations

from typing import Any

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.core.permissions import Subject
from landmosaic.landscapes.models import Landscape
from landmosaic.landscapes.selectors import landscape_get


def section_landscape_get(*, actor: Any, slug: str, subject: Any, action: str = "view") -> Landscape:
    """The landscape of a plan section; 404 if hidden, 403 if ``action`` on the section is not allowed.

    ``subject`` builds the section's permission subject from the landscape.
    """
    landscape = landscape_get(actor=actor, slug=slug)
    permissions.check(actor, action, subject(landscape))
    return landscape


def get_in(queryset: Any, landscape: Landscape, pk: Any, *, actor: Any, action: str, message: str) -> Any:
    """One object of the landscape by id, permission-checked; 404 with ``message`` if absent."""
    obj = queryset.filter(landscape=landscape, pk=pk).first() if isinstance(pk, int) else None
    if obj is None:
        raise NotFound(message)
    obj.landscape = landscape
    permissions.check(actor, action, obj)
    return obj


def actions_on(actor: Any, subject: Subject) -> set[str]:
    return set(permissions.allowed_actions(actor, subject))
