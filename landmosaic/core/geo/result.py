"""The clean boundary handed back to the rest of Landmosaic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landmosaic.core.geo.messages import BoundaryMessage


@dataclass(frozen=True, kw_only=True)
class Boundary:
    """A boundary in EPSG:4326: GeoJSON Polygon, MultiPolygon or Point, with its measures."""

    geometry: dict[str, Any] = field(hash=False)
    area_ha: float | None
    centroid: tuple[float, float]
    bbox: tuple[float, float, float, float]
    vertex_count: int
    source_format: str
    source_crs: str
    warnings: tuple[BoundaryMessage, ...] = ()
