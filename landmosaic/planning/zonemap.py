"""A small map of the landscape and its zones as SVG paths, for pages that must print without tiles.

Pure computation (no Django): longitudes are scaled by the cosine of the middle latitude so shapes keep
their proportions; numbers are formatted here, never by the template, so a French decimal comma can
never reach an SVG attribute.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: One colour per kind of zone, the same on the interactive maps and in print (colour-blind safe
#: Okabe-Ito hues; the legend and the lists also say the kind in words).
ZONE_COLOURS = {"natural": "#009E73", "combined": "#E69F00", "economic": "#CC79A7"}
DEFAULT_COLOUR = "#666666"
WIDTH = 600.0
PAD = 8.0


@dataclass(frozen=True)
class Shape:
    d: str
    name: str
    kind: str
    colour: str


@dataclass(frozen=True)
class ZoneMap:
    width: float
    height: float
    boundary: str
    shapes: list[Shape]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def _polygons(geometry: dict[str, Any] | None) -> list[list[list[list[float]]]]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def zone_map(
    boundary: dict[str, Any] | None, zones: Iterable[tuple[str, str, dict[str, Any]]]
) -> ZoneMap | None:
    """The boundary (if a polygon) and each (name, kind, geometry) zone as SVG paths; None if nothing
    to draw."""
    zones = list(zones)
    points = [p for poly in _polygons(boundary) for ring in poly for p in ring]
    points += [p for _n, _k, g in zones for poly in _polygons(g) for ring in poly for p in ring]
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD

    def path(geometry: dict[str, Any] | None) -> str:
        parts = []
        for poly in _polygons(geometry):
            for ring in poly:
                xy = [
                    f"{PAD + (lon - west) * squeeze * scale:.1f},{PAD + (north - lat) * scale:.1f}"
                    for lon, lat, *_ in ring
                ]
                parts.append("M" + "L".join(xy) + "Z")
        return "".join(parts)

    shapes = [Shape(path(g), name, kind, ZONE_COLOURS.get(kind, DEFAULT_COLOUR)) for name, kind, g in zones]
    return ZoneMap(width=WIDTH, height=round(height, 1), boundary=path(boundary), shapes=shapes)
