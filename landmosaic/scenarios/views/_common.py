"""What every scenario page needs: the caller's powers and form errors placed on their fields."""

from __future__ import annotations

from typing import Any

from landmosaic.core import permissions
from landmosaic.core.forms import form_error  # noqa: F401 - re-exported for the views
from landmosaic.landscapes.models import Landscape

from ..selectors import sets_subject


def powers(user: Any, landscape: Landscape) -> dict[str, set[str]]:
    """The caller's allowed actions on the landscape and on its scenario sets."""
    return {
        "landscape": set(permissions.allowed_actions(user, landscape)),
        "sets": set(permissions.allowed_actions(user, sets_subject(landscape))),
    }
