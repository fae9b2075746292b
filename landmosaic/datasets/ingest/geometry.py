"""Geometry checks shared by every vector source: parse, bound, place, repair, sort by kind.

Features are numbered from 1 in the order of their layer, as a GIS shows them, so that every
message can name the one to fix.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from landmosaic.core.geo.crs import LONLAT_SLACK
from landmosaic.core.geo.features import COORDINATE_LIMIT, format_number

from .crs import crs_label
from .messages import IngestError, IngestMessage, short_list

FAMILIES = ("points", "lines", "polygons")
_FAMILY_OF_TYPE = {0: "points", 4: "points", 1: "lines", 2: "lines", 5: "lines", 3: "polygons", 6: "polygons"}
_MULTI_TYPE_IDS = (4, 5, 6)
SINGLE_TYPES = {"points": "Point", "lines": "LineString", "polygons": "Polygon"}
MULTI_TYPES = {"points": "MultiPoint", "lines": "MultiLineString", "polygons": "MultiPolygon"}
_MULTI_BUILDERS = {
    "points": shapely.multipoints,
    "lines": shapely.multilinestrings,
    "polygons": shapely.multipolygons,
}
_DIMENSION_FAMILY = {0: "points", 1: "lines", 2: "polygons"}


def _feature(index: int, start: int = 0) -> int:
    """The feature's number as a GIS shows it; ``start``: rows of the layer before this batch."""
    return start + int(index) + 1


def parse_wkb(wkb: np.ndarray, *, filename: str, layer: str, start: int = 0) -> np.ndarray:
    """Shapely geometries (None for null or empty); unreadable WKB refuses the feature."""
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    broken = np.flatnonzero(np.not_equal(wkb, None) & shapely.is_missing(geometries))
    if broken.size:
        raise IngestError(
            "malformed_geometry", filename=filename, layer=layer, feature=_feature(broken[0], start)
        )
    geometries[shapely.is_empty(geometries)] = None
    return geometries


def check_coordinates(geometries: np.ndarray, *, filename: str, layer: str, start: int = 0) -> None:
    """Refuse NaN, infinite and absurdly large coordinates, naming the first such feature."""
    coords, index = shapely.get_coordinates(geometries, return_index=True)
    if not len(coords):
        return
    finite = np.isfinite(coords).all(axis=1)
    if not finite.all():
        first = int(np.argmin(finite))
        raise IngestError(
            "coordinate_not_finite", filename=filename, layer=layer, feature=_feature(index[first], start)
        )
    large = (np.abs(coords) > COORDINATE_LIMIT).any(axis=1)
    if large.any():
        first = int(np.argmax(large))
        value = coords[first][np.argmax(np.abs(coords[first]))]
        raise IngestError(
            "coordinate_too_large",
            filename=filename,
            layer=layer,
            feature=_feature(index[first], start),
            value=f"{value:.6g}",
        )


def drop_z(geometries: np.ndarray, *, filename: str, layer: str) -> tuple[np.ndarray, list[IngestMessage]]:
    """2D geometries; a warning when real heights (not all zero) were dropped."""
    has_z = shapely.has_z(geometries)
    if not has_z.any():
        return geometries, []
    heights = shapely.get_coordinates(geometries[has_z], include_z=True)[:, 2]
    warnings = []
    if np.nan_to_num(heights).any():
        warnings.append(IngestMessage("z_dropped", {"filename": filename, "layer": layer}))
    return shapely.force_2d(geometries), warnings


def _outside_lonlat(geometries: np.ndarray) -> int | None:
    bounds = shapely.bounds(geometries)
    with np.errstate(invalid="ignore"):
        outside = (
            (bounds[:, 0] < -180 - LONLAT_SLACK)
            | (bounds[:, 2] > 180 + LONLAT_SLACK)
            | (bounds[:, 1] < -90 - LONLAT_SLACK)
            | (bounds[:, 3] > 90 + LONLAT_SLACK)
        )
    return int(np.argmax(outside)) if outside.any() else None


def _example(geometry: shapely.Geometry) -> dict[str, str]:
    x, y = shapely.get_coordinates(geometry)[0]
    return {"x": format_number(float(x)), "y": format_number(float(y))}


def resolve_crs(
    crs: str | None,
    geometries: np.ndarray,
    *,
    filename: str,
    layer: str,
    missing_code: str = "no_crs_not_lonlat",
    start: int = 0,
    **params: str,
) -> tuple[str, list[IngestMessage]]:
    """(CRS to write, warnings). Without a CRS, lon/lat is assumed only
    when every coordinate fits it; a geographic CRS must hold coordinates in range."""
    if not crs:
        outside = _outside_lonlat(geometries)
        if outside is not None:
            example = _example(geometries[outside])
            raise IngestError(missing_code, filename=filename, layer=layer, **example, **params)
        return "EPSG:4326", [IngestMessage("assumed_wgs84", {"filename": filename, "layer": layer})]
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as exc:
        raise IngestError("unknown_crs", filename=filename, crs=crs[:200]) from exc
    if parsed.is_geographic:
        outside = _outside_lonlat(geometries)
        if outside is not None:
            raise IngestError(
                "coordinates_not_lonlat",
                filename=filename,
                layer=layer,
                feature=_feature(outside, start),
                crs=crs_label(crs),
                **_example(geometries[outside]),
            )
    return crs, []


def _flatten(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    parts = []
    for part in shapely.get_parts(geometry):
        if shapely.get_type_id(part) in (*_MULTI_TYPE_IDS, 7):
            parts.extend(_flatten(part))
        elif not part.is_empty:
            parts.append(part)
    return parts


def _combine(parts: list[shapely.Geometry], family: str) -> shapely.Geometry:
    return parts[0] if len(parts) == 1 else _MULTI_BUILDERS[family](parts)


def resolve_collections(geometries: np.ndarray, *, filename: str, layer: str, start: int = 0) -> np.ndarray:
    """Geometry collections of one kind become multi-geometries; mixed ones refuse the feature."""
    for index in np.flatnonzero(shapely.get_type_id(geometries) == 7):
        parts = _flatten(geometries[index])
        families = {_FAMILY_OF_TYPE[shapely.get_type_id(p)] for p in parts}
        if len(families) > 1:
            raise IngestError(
                "mixed_collection", filename=filename, layer=layer, feature=_feature(index, start)
            )
        geometries[index] = _combine(parts, families.pop()) if parts else None
    return geometries


def repair(geometries: np.ndarray, *, filename: str, layer: str) -> tuple[np.ndarray, list[IngestMessage]]:
    """Invalid lines and polygons repaired with ``make_valid`` when the result keeps their kind."""
    geometries, features = repair_batch(geometries, filename=filename, layer=layer)
    return geometries, repaired_warnings(features, count=len(features), filename=filename, layer=layer)


def repair_batch(
    geometries: np.ndarray, *, filename: str, layer: str, start: int = 0
) -> tuple[np.ndarray, list[int]]:
    """``repair`` for a batch of a layer: the geometries and the numbers of the repaired features."""
    type_ids = shapely.get_type_id(geometries)
    candidates = np.flatnonzero((type_ids > 0) & (type_ids != 4))
    if not candidates.size:
        return geometries, []
    invalid = candidates[~shapely.is_valid(geometries[candidates])]
    for index in invalid:
        original = geometries[index]
        family = _FAMILY_OF_TYPE[shapely.get_type_id(original)]
        fixed = shapely.make_valid(original, method="structure", keep_collapsed=False)
        parts = [p for p in _flatten(fixed) if _DIMENSION_FAMILY[shapely.get_dimensions(p)] == family]
        if not parts:
            raise IngestError(
                "unrepairable_geometry",
                filename=filename,
                layer=layer,
                feature=_feature(index, start),
                reason=shapely.is_valid_reason(original),
            )
        geometries[index] = _combine(parts, family)
    return geometries, [_feature(i, start) for i in invalid]


def repaired_warnings(features: list[int], *, count: int, filename: str, layer: str) -> list[IngestMessage]:
    """The warning naming repaired features (``features``: the first few of ``count``)."""
    if not count:
        return []
    return [
        IngestMessage(
            "invalid_repaired",
            {"filename": filename, "layer": layer, "count": count, "features": short_list(features)},
        )
    ]


def split_by_family(geometries: np.ndarray) -> dict[str, np.ndarray]:
    """Row indices per kind of geometry, in FAMILIES order; rows without geometry join the first."""
    type_ids = shapely.get_type_id(geometries)
    groups = {
        family: np.flatnonzero(np.isin(type_ids, [t for t, f in _FAMILY_OF_TYPE.items() if f == family]))
        for family in FAMILIES
    }
    groups = {family: rows for family, rows in groups.items() if rows.size}
    empty = np.flatnonzero(type_ids < 0)
    if groups and empty.size:
        first = next(iter(groups))
        groups[first] = np.sort(np.concatenate([groups[first], empty]))
    return groups


def unify_type(geometries: np.ndarray, family: str) -> tuple[np.ndarray, str]:
    """One geometry type per layer: singles become multi-geometries when both occur."""
    type_ids = shapely.get_type_id(geometries)
    present = type_ids >= 0
    multi = np.isin(type_ids, _MULTI_TYPE_IDS)
    if not multi.any():
        return geometries, SINGLE_TYPES[family]
    singles = np.flatnonzero(present & ~multi)
    if singles.size:
        geometries = geometries.copy()
        geometries[singles] = _MULTI_BUILDERS[family](geometries[singles], indices=np.arange(singles.size))
    return geometries, MULTI_TYPES[family]


def family_index(type_ids: np.ndarray) -> np.ndarray:
    """Each geometry's kind as its index in FAMILIES (-1 for none, 7 for a collection left)."""
    table = np.full(8, -1, dtype=np.int8)
    for type_id, family in _FAMILY_OF_TYPE.items():
        table[type_id] = FAMILIES.index(family)
    table[7] = 7
    return np.where(type_ids >= 0, table[np.clip(type_ids, 0, 7)], -1)


def is_multi(type_ids: np.ndarray) -> np.ndarray:
    return np.isin(type_ids, _MULTI_TYPE_IDS)


def promote(geometries: np.ndarray, family: str) -> np.ndarray:
    """Single geometries of ``family`` as multi-geometries of one part (a kind that has both)."""
    type_ids = shapely.get_type_id(geometries)
    singles = np.flatnonzero((type_ids >= 0) & ~is_multi(type_ids))
    if not singles.size:
        return geometries
    geometries = geometries.copy()
    geometries[singles] = _MULTI_BUILDERS[family](geometries[singles], indices=np.arange(singles.size))
    return geometries
