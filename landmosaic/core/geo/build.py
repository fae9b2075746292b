"""From the features a reader found to one clean, measured boundary (or a precise refusal)."""

from __future__ import annotations

import re

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from landmosaic.core.geo.crs import to_lonlat
from landmosaic.core.geo.features import (
    PolygonRings,
    SourceLayer,
    check_rings,
    check_vertex_limit,
    format_number,
    vertex_total,
)
from landmosaic.core.geo.limits import BoundaryLimits
from landmosaic.core.geo.measure import DECIMALS, bounds, equal_area_centroid, geodesic_area_ha, to_geojson
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage
from landmosaic.core.geo.result import Boundary

GRID_SIZE = 10.0**-DECIMALS
_REASON = re.compile(r"^(?P<reason>.*?)\s*\[(?P<x>\S+) (?P<y>\S+)\]$")


def build_boundary(*, layer: SourceLayer, source_format: str, limits: BoundaryLimits) -> Boundary:
    """Check, reproject, validate and dissolve the layer into a Boundary."""
    if not layer.features:
        raise BoundaryError("no_features", filename=layer.filename)
    check_vertex_limit(count=vertex_total(layer.features), limit=limits.max_vertices, filename=layer.filename)
    check_rings(layer)
    layer, source_crs = to_lonlat(layer)
    polygons = [
        _valid_polygon(rings, feature=feature.number, filename=layer.filename)
        for feature in layer.features
        for rings in feature.polygons
    ]
    merged = _on_grid(shapely.union_all(polygons))
    merged = shapely.orient_polygons(merged, exterior_cw=False)  # RFC 7946 right-hand rule
    if merged.is_empty or merged.area == 0:
        raise BoundaryError("boundary_too_small", filename=layer.filename)
    warnings = list(layer.warnings)
    if len(layer.features) > 1:
        warnings.append(
            BoundaryMessage("features_dissolved", {"filename": layer.filename, "count": len(layer.features)})
        )
    return measured_boundary(
        merged, source_format=source_format, source_crs=source_crs, warnings=tuple(warnings)
    )


def measured_boundary(
    geometry: BaseGeometry, *, source_format: str, source_crs: str, warnings: tuple[BoundaryMessage, ...]
) -> Boundary:
    """Wrap a clean lon/lat polygonal geometry with its measures."""
    return Boundary(
        geometry=to_geojson(geometry),
        area_ha=round(geodesic_area_ha(geometry), 4),
        centroid=equal_area_centroid(geometry),
        bbox=bounds(geometry),
        vertex_count=int(shapely.get_num_coordinates(geometry)),
        source_format=source_format,
        source_crs=source_crs,
        warnings=warnings,
    )


def _on_grid(geometry: BaseGeometry) -> BaseGeometry:
    """Coordinates rounded to the output grid, snapping topologically only if rounding broke validity."""
    # Plain rounding is ten times faster than set_precision and almost always harmless.
    try:
        rounded = shapely.remove_repeated_points(
            shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))
        )
    except GEOSException:  # a ring collapsed to fewer than four distinct points
        rounded = None
    if rounded is not None and rounded.is_valid and not rounded.is_empty:
        return rounded
    return _polygonal(shapely.set_precision(geometry, GRID_SIZE))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Snapping can leave collapsed slivers as lines in a collection; only the areas count."""
    if isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if isinstance(part, shapely.Polygon)]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _valid_polygon(rings: PolygonRings, *, feature: int, filename: str) -> shapely.Polygon:
    polygon = shapely.Polygon(rings[0], rings[1:])
    # The hull too: a symmetric bow-tie also has a signed area of zero, yet it is a crossing.
    if polygon.area == 0 and polygon.convex_hull.area == 0:
        raise BoundaryError("zero_area", feature=feature, filename=filename)
    reason = shapely.is_valid_reason(polygon)
    if reason == "Valid Geometry":
        return polygon
    # Refuse rather than repair: a silently "fixed" boundary may not be the area the user meant.
    match = _REASON.match(reason)
    where = {"lon": "?", "lat": "?"}
    if match:
        where = {"lon": format_number(float(match["x"])), "lat": format_number(float(match["y"]))}
        reason = match["reason"]
    if reason == "Self-intersection" or reason == "Ring Self-intersection":
        raise BoundaryError("self_intersection", feature=feature, filename=filename, **where)
    raise BoundaryError("invalid_polygon", feature=feature, filename=filename, reason=reason, **where)
