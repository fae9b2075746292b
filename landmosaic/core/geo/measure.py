"""Geodesic area, equal-area centroid, bbox and GeoJSON output of lon/lat geometries."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Proj
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
DECIMALS = 7  # about 1 cm; more digits only make pages heavier
SQUARE_METRES_PER_HECTARE = 10_000
# Bounds for the densifying step: 0.1 degree keeps area errors far below 0.01 %; relative to the
# extent so thin strips keep their centroid inside; never finer than about a metre.
MAX_SEGMENT_DEGREES = 0.1
MIN_SEGMENT_DEGREES = 1e-5


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, whatever the ring orientation of the input."""
    oriented = shapely.orient_polygons(densified(geometry), exterior_cw=False)
    area_m2, _perimeter = GEOD.geometry_area_perimeter(oriented)
    return abs(area_m2) / SQUARE_METRES_PER_HECTARE


def equal_area_centroid(geometry: BaseGeometry) -> tuple[float, float]:
    """Centroid computed in a Lambert azimuthal equal-area projection centred on the bbox."""
    minx, miny, maxx, maxy = geometry.bounds
    # A bare projection on the WGS84 ellipsoid: lon/lat in, metres out, no datum shift to look up.
    laea = Proj(proj="laea", lat_0=(miny + maxy) / 2, lon_0=(minx + maxx) / 2, ellps="WGS84")
    projected = shapely.transform(densified(geometry), lambda xy: np.column_stack(laea(xy[:, 0], xy[:, 1])))
    centre = projected.centroid
    lon, lat = laea(centre.x, centre.y, inverse=True)
    return round(lon, DECIMALS), round(lat, DECIMALS)


def densified(geometry: BaseGeometry) -> BaseGeometry:
    """Edges are straight in lon/lat, as maps draw them; split long ones so that geodesic and
    projected measures follow the same lines rather than shortcuts between far-apart vertices."""
    minx, miny, maxx, maxy = geometry.bounds
    step = min(MAX_SEGMENT_DEGREES, max((max(maxx - minx, maxy - miny)) / 1000, MIN_SEGMENT_DEGREES))
    return shapely.segmentize(geometry, step)


def bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = geometry.bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def geometry_bbox(*, geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a GeoJSON geometry dict."""
    return bounds(shapely.geometry.shape(geometry))


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON dict with positions rounded to DECIMALS; Python's round gives the shortest repr."""
    if isinstance(geometry, shapely.Point):
        return {"type": "Point", "coordinates": _positions(geometry)[0]}
    if isinstance(geometry, shapely.Polygon):
        return {"type": "Polygon", "coordinates": _polygon(geometry)}
    if isinstance(geometry, shapely.MultiPolygon):
        return {"type": "MultiPolygon", "coordinates": [_polygon(part) for part in geometry.geoms]}
    raise TypeError(f"unexpected boundary geometry {geometry.geom_type}")


def _polygon(polygon: shapely.Polygon) -> list[list[list[float]]]:
    return [_positions(polygon.exterior)] + [_positions(ring) for ring in polygon.interiors]


def _positions(geometry: BaseGeometry) -> list[list[float]]:
    # k / 1e7 as a double prints as the short decimal, so the JSON carries at most 7 decimals.
    return np.round(shapely.get_coordinates(geometry), DECIMALS).tolist()
