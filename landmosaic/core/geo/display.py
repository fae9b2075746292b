"""Lighter geometries for maps that show many boundaries at once."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

from landmosaic.core.geo.measure import to_geojson

METRES_PER_DEGREE_LATITUDE = 111_320.0


def simplify_for_display(*, geometry: dict[str, Any], tolerance_m: float) -> dict[str, Any]:
    """Topology-preserving simplification with a tolerance in metres, for display only."""
    shape = shapely.geometry.shape(geometry)
    if tolerance_m <= 0 or shape.is_empty or not isinstance(shape, shapely.Polygon | shapely.MultiPolygon):
        return geometry
    # Stretch longitudes by cos(latitude) around the centroid so one tolerance means metres both ways.
    centre = shape.centroid
    scale = max(math.cos(math.radians(centre.y)), 1e-6)
    stretched = shapely.transform(shape, lambda xy: _scale_x(xy, origin=centre.x, factor=scale))
    simplified = shapely.simplify(stretched, tolerance_m / METRES_PER_DEGREE_LATITUDE, preserve_topology=True)
    restored = shapely.transform(simplified, lambda xy: _scale_x(xy, origin=centre.x, factor=1 / scale))
    return to_geojson(restored)


def _scale_x(xy: np.ndarray, *, origin: float, factor: float) -> np.ndarray:
    xy = xy.copy()
    xy[:, 0] = origin + (xy[:, 0] - origin) * factor
    return xy
