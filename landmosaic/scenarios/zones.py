"""Intervention zones: polygons in longitude/latitude, checked when drawn or copied, burnt into masks.

A zone is stored as GeoJSON (EPSG:4326) on its intervention, so a run reproduces the zone it was
given even if the vector dataset it came from changes later. At run time the zone is transformed to
the maps' CRS and rasterised on their grid; a zone smaller than a cell takes the cells it touches.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.geo import boundary as geo
from landmosaic.scenarios.engine.io import rasterize_geometries

#: A zone drawn by hand or taken from a dataset; larger zones should be simplified first.
MAX_ZONE_VERTICES = 200_000


def clean_zone(geometry: Any) -> tuple[dict[str, Any], float | None]:
    """A Polygon or MultiPolygon in longitude/latitude, validated and repaired like a drawn boundary,
    with its area in hectares."""
    if not isinstance(geometry, dict):
        raise ValidationFailed(_("Draw the zone on the map, or choose a map layer."), code="no_zone")
    try:
        boundary = geo.boundary_from_geojson(
            geometry=geometry, limits=geo.BoundaryLimits(max_vertices=MAX_ZONE_VERTICES)
        )
    except geo.BoundaryError as exc:
        raise ValidationFailed(exc.render(_), code=exc.code) from exc
    return boundary.geometry, boundary.area_ha


def zone_from_features(collection: dict[str, Any]) -> tuple[dict[str, Any], float | None]:
    """The union of the polygons of a feature collection (points and lines are left out)."""
    shapes = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        shape = shapely.geometry.shape(geometry)
        shapes.append(shape if shape.is_valid else shapely.make_valid(shape))
    if not shapes:
        raise ValidationFailed(
            _("This map layer has no polygons; choose a layer of areas (e.g. protected areas)."),
            code="no_polygons",
        )
    union = shapely.union_all(shapes)
    polygons = [g for g in getattr(union, "geoms", [union]) if g.geom_type in ("Polygon", "MultiPolygon")]
    merged = shapely.union_all(polygons)
    return clean_zone(json.loads(shapely.to_geojson(merged)))


def overlaps_bbox(geometry: dict[str, Any], bbox_4326: list[float] | None) -> bool:
    """Whether a zone meets a map's extent in longitude/latitude (True when the extent is unknown)."""
    if not bbox_4326:
        return True
    return shapely.geometry.shape(geometry).intersects(shapely.box(*bbox_4326))


def projected(geometry: dict[str, Any], crs: Any) -> dict[str, Any]:
    """A GeoJSON geometry in longitude/latitude, in the maps' CRS."""
    target = CRS.from_user_input(crs.to_wkt() if hasattr(crs, "to_wkt") else crs)
    transformer = Transformer.from_crs("EPSG:4326", target, always_xy=True)
    shape = shapely.transform(
        shapely.geometry.shape(geometry), lambda x, y: transformer.transform(x, y), interleaved=False
    )
    return json.loads(shapely.to_geojson(shape))


def zone_mask(*, geometry: dict[str, Any], crs: Any, transform: Any, shape: tuple[int, int]) -> np.ndarray:
    """The cells of the maps' grid inside a zone (cells touched, if the zone is smaller than a cell)."""
    features = [projected(geometry, crs)]
    mask = rasterize_geometries(geometries=features, transform=transform, shape=shape)
    if not mask.any():
        mask = rasterize_geometries(geometries=features, transform=transform, shape=shape, all_touched=True)
    return mask
