"""Default legends: names, colours and roles for the class codes found in a pair of land-cover maps.

Three common global products have their official names and colours: ESA WorldCover (codes 10-100),
the Esri / Impact Observatory 10-class land use/land cover (1-11) and Google Dynamic World (0-8).
WorldCover is recognised from the codes; the other two use small codes that custom maps use too, so
they apply only when chosen. Any other code gets a neutral name ("Class 7") and a colour from the
map's own palette when it has one, else from a fixed set of distinguishable colours. Every legend is
editable afterwards; names are written in the language of the person who creates the set.
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

#: Esri / Impact Observatory 10-class land use/land cover (Sentinel-2, 10 m): code -> (name, colour, role).
ESRI_LULC: dict[int, tuple[str, str, str]] = {
    1: (gettext_noop("Water"), "#419bdf", ClassRole.WATER),
    2: (gettext_noop("Trees"), "#397d49", ClassRole.NATURAL),
    4: (gettext_noop("Flooded vegetation"), "#7a87c6", ClassRole.NATURAL),
    5: (gettext_noop("Crops"), "#e49635", ClassRole.FARMED),
    7: (gettext_noop("Built area"), "#c4281b", ClassRole.BUILT),
    8: (gettext_noop("Bare ground"), "#a59b8f", ClassRole.OTHER),
    9: (gettext_noop("Snow and ice"), "#a8ebff", ClassRole.WATER),
    10: (gettext_noop("Clouds"), "#616161", ClassRole.OTHER),
    11: (gettext_noop("Rangeland"), "#e3e2c3", ClassRole.NATURAL),
}

#: Google Dynamic World (the "label" band): code -> (name, colour, role).
DYNAMIC_WORLD: dict[int, tuple[str, str, str]] = {
    0: (gettext_noop("Water"), "#419bdf", ClassRole.WATER),
    1: (gettext_noop("Trees"), "#397d49", ClassRole.NATURAL),
    2: (gettext_noop("Grass"), "#88b053", ClassRole.NATURAL),
    3: (gettext_noop("Flooded vegetation"), "#7a87c6", ClassRole.NATURAL),
    4: (gettext_noop("Crops"), "#e49635", ClassRole.FARMED),
    5: (gettext_noop("Shrub and scrub"), "#dfc35a", ClassRole.NATURAL),
    6: (gettext_noop("Built"), "#c4281b", ClassRole.BUILT),
    7: (gettext_noop("Bare"), "#a59b8f", ClassRole.OTHER),
    8: (gettext_noop("Snow and ice"), "#b39fe1", ClassRole.WATER),
}

#: The legends a set can start from; "auto" is WorldCover when every code is one of its, else custom.
AUTO, CUSTOM = "auto", "custom"
PRODUCTS: dict[str, dict[int, tuple[str, str, str]]] = {
    "worldcover": WORLDCOVER,
    "esri_lulc": ESRI_LULC,
    "dynamic_world": DYNAMIC_WORLD,
}
PRODUCT_CHOICES = (AUTO, *PRODUCTS, CUSTOM)

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
    codes: Iterable[int], *, colormap: Mapping[int, Iterable[int]] | None = None, product: str = AUTO
) -> list[dict[str, object]]:
    """One entry per code, sorted. ``product`` is one of ``PRODUCT_CHOICES``: a product's codes get its
    names, colours and kinds of land; codes it does not have (and every code with "custom") are custom."""
    codes = sorted({int(c) for c in codes})
    if product == AUTO:
        product = "worldcover" if is_worldcover(codes) else CUSTOM
    known = PRODUCTS.get(product, {})
    legend = []
    for index, code in enumerate(codes):
        if code in known:
            name, colour, role = known[code]
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
