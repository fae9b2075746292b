"""Warnings kept with a stable code and parameters, rendered in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

WARNINGS = {
    "resampled": gettext_noop(
        "The first map %(first)s is not on the grid of %(second)s: it is resampled onto that grid (nearest "
        "neighbour, so codes are never mixed) before change is measured. Cells along the edges of patches "
        "may show change that is only the shift between the grids."
    ),
    "reprojected": gettext_noop(
        "The first map %(first)s is in another coordinate reference system: it is reprojected onto the grid "
        "of %(second)s (%(crs)s) with nearest neighbour before change is measured."
    ),
}


def warning_texts(warnings: Iterable[Mapping[str, Any]]) -> list[str]:
    return [_(WARNINGS[w["code"]]) % w.get("params", {}) for w in warnings if w.get("code") in WARNINGS]
