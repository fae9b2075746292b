"""Zones a set reports its results by (villages, watersheds, management zones): chosen from a map
layer of the landscape, kept on the set as named polygons, burnt into numbered cells at run time and
measured from the first map to the last."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from django.utils.translation import gettext as _
from rasterio.features import rasterize

from landmosaic.core.errors import ValidationFailed

from .zones import clean_zone, projected

MAX_ZONES = 50
NAME_FIELDS = ("name", "Name", "NAME", "nom", "nombre", "nome", "title", "label")


def _name(properties: dict[str, Any], number: int) -> str:
    for key in NAME_FIELDS:
        if str(properties.get(key) or "").strip():
            return str(properties[key]).strip()[:120]
    text = next((str(v).strip() for v in properties.values() if isinstance(v, str) and v.strip()), "")
    return text[:120] or _("Zone %(number)s") % {"number": number}


def zones_from_features(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The polygons of a layer as [{name, geometry}], in longitude/latitude; refused with a message
    when the layer has none or too many."""
    zones = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        shape = shapely.geometry.shape(geometry)
        valid = shape if shape.is_valid else shapely.make_valid(shape)
        cleaned, _area = clean_zone(json.loads(shapely.to_geojson(valid)))
        zones.append({"name": _name(feature.get("properties") or {}, len(zones) + 1), "geometry": cleaned})
    if not zones:
        raise ValidationFailed(
            _("This map layer has no polygons; choose a layer of areas (e.g. villages or watersheds)."),
            code="no_polygons",
        )
    if len(zones) > MAX_ZONES:
        raise ValidationFailed(
            _("This map layer has %(count)s areas; report by at most %(max)s.")
            % {"count": len(zones), "max": MAX_ZONES},
            code="too_many_zones",
        )
    return zones


def zone_numbers(
    zones: list[dict[str, Any]], *, crs: Any, transform: Any, shape: tuple[int, int]
) -> np.ndarray:
    """Each cell's zone, 1…n in the order of ``zones`` (a later zone wins where two overlap), 0 outside."""
    shapes = [(projected(z["geometry"], crs), number) for number, z in enumerate(zones, start=1)]
    return rasterize(shapes, out_shape=shape, transform=transform, fill=0, dtype="uint16")


def zone_figures(impacts: Any, zones: list[dict[str, Any]], *, cell_area_ha: float) -> list[dict[str, Any]]:
    """Per zone, from the first map to the last: area, carbon at both ends, hectares restored and
    degraded (net change between the two maps), and each class's hectares at both ends."""
    ids = [int(z) for z in impacts.zone_ids]
    figures = []
    for number, zone in enumerate(zones, start=1):
        if number not in ids:
            figures.append({"name": zone["name"], "area_ha": 0.0})
            continue
        i = ids.index(number)
        start = impacts.transitions[i].sum(axis=1) * cell_area_ha  # rows: the class on the first map
        end = impacts.area_ha[i]
        figures.append({
            "name": zone["name"],
            "area_ha": round(float(end.sum()), 4),
            "carbon_end_mg": round(float(impacts.carbon_mg[i]), 4) if impacts.carbon_mg is not None else None,
            "carbon_change_mg": round(float(impacts.carbon_change_mg[i]), 4)
            if impacts.carbon_change_mg is not None else None,
            "restored_ha": round(float(impacts.restored_ha[i]), 4),
            "degraded_ha": round(float(impacts.degraded_ha[i]), 4),
            "classes": {str(int(c)): [round(float(start[k]), 4), round(float(end[k]), 4)]
                        for k, c in enumerate(impacts.classes)},
        })  # fmt: skip
    return figures
