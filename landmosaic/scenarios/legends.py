"""Default legends: names, colours and roles for the class codes found in a pair of land-cover maps.

ESA WorldCover (codes 10-100) gets its official names and colours; any other code gets a neutral
name ("Class 7") and a colour from the map's own palette when it has one, else from a fixed set of
distinguishable colours. Every legend is editable afterwards; names are written in the language of
the person who creates the set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import ClassRole

#: ESA WorldCover 10 m (v100/v200): code -> (English name, colour, role).
WORLDCOVER: dict[int, tuple[str, str, str]] = {
    10: (gettext_noop("Tree cover"), "#006400", ClassRole.NATURAL),
    20: (gettext_noop("Shrubland"), "#ffbb22", ClassRole.NATURAL),
    30: (gettext_noop("Grassland"), "#ffff4c", ClassRole.NATURAL),
    40: (gettext_noop("Cropland"), "#f096ff", ClassRole.FARMED),
    50: (gettext_noop("Built-up"), "#fa0000", ClassRole.BUILT),
    60: (gettext_noop("Bare or sparse vegetation"), "#b4b4b4", ClassRole.OTHER),
    70: (gettext_noop("Snow and ice"), "#f0f0f0", ClassRole.WATER),
    80: (gettext_noop("Permanent water bodies"), "#0064c8", ClassRole.WATER),
    90: (gettext_noop("Herbaceous wetland"), "#0096a0", ClassRole.NATURAL),
    95: (gettext_noop("Mangroves"), "#00cf75", ClassRole.NATURAL),
    100: (gettext_noop("Moss and lichen"), "#fae6a0", ClassRole.NATURAL),
}

#: Distinguishable colours for custom codes (Kelly's 22 minus white and black, then a few more).
PALETTE = (
    "#f3c300", "#875692", "#f38400", "#a1caf1", "#be0032", "#c2b280", "#848482", "#008856",
    "#e68fac", "#0067a5", "#f99379", "#604e97", "#f6a600", "#b3446c", "#dcd300", "#882d17",
    "#8db600", "#654522", "#e25822", "#2b3d26", "#1f78b4", "#33a02c", "#fb9a99", "#cab2d6",
)  # fmt: skip

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_CLASSES = 255


def is_worldcover(codes: Iterable[int]) -> bool:
    codes = set(codes)
    return bool(codes) and codes <= set(WORLDCOVER)


def hex_colour(rgb: Iterable[int]) -> str:
    r, g, b = list(rgb)[:3]
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def default_legend(
    codes: Iterable[int], *, colormap: Mapping[int, Iterable[int]] | None = None
) -> list[dict[str, object]]:
    """One entry per code, sorted: WorldCover names if every code is a WorldCover class, else custom."""
    codes = sorted({int(c) for c in codes})
    worldcover = is_worldcover(codes)
    legend = []
    for index, code in enumerate(codes):
        if worldcover:
            name, colour, role = WORLDCOVER[code]
            legend.append({"code": code, "name": _(name), "colour": colour, "role": str(role)})
            continue
        colour = PALETTE[index % len(PALETTE)]
        if colormap and code in colormap:
            colour = hex_colour(colormap[code])
        legend.append(
            {
                "code": code,
                "name": _("Class %(code)s") % {"code": code},
                "colour": colour,
                "role": str(ClassRole.OTHER),
            }
        )
    return legend


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def restoration_pairs(legend: Iterable[Mapping[str, object]]) -> tuple[list, list]:
    """(restoration, degradation) class pairs: to natural vegetation from farmed, built-up or other
    land; and back. Water, snow and ice count neither way."""
    natural = [int(e["code"]) for e in legend if e.get("role") == ClassRole.NATURAL]
    used = [
        int(e["code"])
        for e in legend
        if e.get("role") in (ClassRole.FARMED, ClassRole.BUILT, ClassRole.OTHER)
    ]
    restoration = [(source, target) for source in used for target in natural]
    degradation = [(source, target) for source in natural for target in used]
    return restoration, degradation
