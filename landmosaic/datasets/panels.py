"""Sections that apps above the data commons add to its pages (the maps app lists the point maps of
a dataset, and of a landscape's data). The commons cannot import them: they register here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

#: A panel renders HTML for the page's viewer, or "" when it has nothing to show.
Panel = Callable[[HttpRequest, Any], str]

_DATASET_PANELS: list[Panel] = []
_LANDSCAPE_DATA_PANELS: list[Panel] = []


def register_dataset_panel(panel: Panel) -> Panel:
    """Add a section to every dataset page (called with the request and the dataset)."""
    if panel not in _DATASET_PANELS:
        _DATASET_PANELS.append(panel)
    return panel


def register_landscape_data_panel(panel: Panel) -> Panel:
    """Add a section to every landscape's data page (called with the request and the landscape)."""
    if panel not in _LANDSCAPE_DATA_PANELS:
        _LANDSCAPE_DATA_PANELS.append(panel)
    return panel


def dataset_panels(request: HttpRequest, dataset: Any) -> list[str]:
    return [html for panel in _DATASET_PANELS if (html := panel(request, dataset))]


def landscape_data_panels(request: HttpRequest, landscape: Any) -> list[str]:
    return [html for panel in _LANDSCAPE_DATA_PANELS if (html := panel(request, landscape))]
