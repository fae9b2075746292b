"""Bring a layer's coordinates to EPSG:4326 longitude/latitude, or say why that is impossible."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from landmosaic.core.geo.features import SourceFeature, SourceLayer, format_number
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage

WGS84 = CRS.from_epsg(4326)
# Float noise in real exports (e.g. 180.00000000000006) must not make a file "projected".
LONLAT_SLACK = 1e-6


def to_lonlat(layer: SourceLayer) -> tuple[SourceLayer, str]:
    """The layer in lon/lat with any CRS warnings added, and the source CRS as a string."""
    coords = _all_coordinates(layer)
    if layer.crs is None:
        return _assume_lonlat(layer, coords), "EPSG:4326"
    source = _parse_crs(layer.crs, filename=layer.filename)
    authority = source.to_authority(min_confidence=90)
    # Short label for messages; the full definition when there is no code, so nothing is lost.
    label = ":".join(authority) if authority else source.name
    source_crs = ":".join(authority) if authority else source.to_wkt() or layer.crs
    if source.is_geographic:
        outside = first_outside_lonlat(coords)
        if outside is not None:
            if layer.crs_origin == "format":
                raise BoundaryError(
                    "coordinates_out_of_range", filename=layer.filename, format=layer.format_label, **outside
                )
            raise BoundaryError("coordinates_outside_crs", filename=layer.filename, crs=label, **outside)
        if source.equals(WGS84, ignore_axis_order=True):
            return layer, source_crs
    lonlat = _transform(coords, source=source, label=label, filename=layer.filename)
    warnings = [BoundaryMessage("reprojected", {"filename": layer.filename, "crs": label})]
    if not _within_area_of_use(source, lonlat):
        warnings.append(BoundaryMessage("outside_crs_area", {"filename": layer.filename, "crs": label}))
    return _with_coordinates(layer, lonlat, warnings), source_crs


def _parse_crs(text: str, *, filename: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise BoundaryError("unknown_crs", filename=filename, crs=text[:200]) from exc


def _assume_lonlat(layer: SourceLayer, coords: np.ndarray) -> SourceLayer:
    outside = first_outside_lonlat(coords)
    if outside is not None:
        raise BoundaryError("no_crs_not_lonlat", filename=layer.filename, **outside)
    warning = BoundaryMessage("assumed_wgs84", {"filename": layer.filename})
    return replace(layer, warnings=(*layer.warnings, warning))


def first_outside_lonlat(coords: np.ndarray) -> dict[str, str] | None:
    """Message parameters x/y of the first position that is not lon/lat, or None."""
    bad = (np.abs(coords[:, 0]) > 180 + LONLAT_SLACK) | (np.abs(coords[:, 1]) > 90 + LONLAT_SLACK)
    if not bad.any():
        return None
    x, y = coords[bad][0]
    return {"x": format_number(x), "y": format_number(y)}


def _transform(coords: np.ndarray, *, source: CRS, label: str, filename: str) -> np.ndarray:
    try:
        transformer = Transformer.from_crs(source, WGS84, always_xy=True)
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1], errcheck=False)
    except (CRSError, ProjError) as exc:
        raise BoundaryError("reprojection_failed", filename=filename, crs=label) from exc
    result = np.column_stack([lon, lat])
    # PROJ signals points outside a projection's domain with inf instead of raising.
    if not np.isfinite(result).all() or first_outside_lonlat(result) is not None:
        raise BoundaryError("reprojection_failed", filename=filename, crs=label)
    return result


def _within_area_of_use(source: CRS, lonlat: np.ndarray) -> bool:
    area = source.area_of_use
    if area is None:
        return True
    west, south, east, north = area.bounds
    if west > east:  # area of use crossing the antimeridian: do not guess
        return True
    margin = 1.0  # degrees; areas of use are coarse
    return bool(
        lonlat[:, 0].max() >= west - margin
        and lonlat[:, 0].min() <= east + margin
        and lonlat[:, 1].max() >= south - margin
        and lonlat[:, 1].min() <= north + margin
    )


def _all_coordinates(layer: SourceLayer) -> np.ndarray:
    rings = [ring for feature in layer.features for polygon in feature.polygons for ring in polygon]
    return np.concatenate(rings) if rings else np.empty((0, 2))


def _with_coordinates(layer: SourceLayer, coords: np.ndarray, warnings: list[BoundaryMessage]) -> SourceLayer:
    """Put transformed coordinates back into the same feature/polygon/ring structure."""
    offset = 0
    features = []
    for feature in layer.features:
        polygons = []
        for polygon in feature.polygons:
            rings = []
            for ring in polygon:
                rings.append(coords[offset : offset + len(ring)])
                offset += len(ring)
            polygons.append(tuple(rings))
        features.append(SourceFeature(feature.number, tuple(polygons)))
    return replace(layer, features=tuple(features), warnings=(*layer.warnings, *warnings))
