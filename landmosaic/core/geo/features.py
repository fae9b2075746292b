"""What every reader produces: numbered features made of coordinate rings, before any cleaning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage

# A projected coordinate beyond a million kilometres exists in no coordinate system on Earth.
COORDINATE_LIMIT = 1e9

# "format": the format itself fixes lon/lat (GeoJSON, KML, GPX); "declared": the file names a CRS;
# "missing": the format allows a CRS but the file has none (shapefile without .prj).
CrsOrigin = Literal["format", "declared", "missing"]

Ring = np.ndarray  # (n, 2) float64, x/y or lon/lat
PolygonRings = tuple[Ring, ...]  # shell first, then holes


@dataclass(frozen=True)
class SourceFeature:
    """One feature as the user counts it (1-based), with its polygons."""

    number: int
    polygons: tuple[PolygonRings, ...]


@dataclass(frozen=True)
class SourceLayer:
    """All polygon features of a file, the CRS they are in, and what the reader noticed."""

    features: tuple[SourceFeature, ...]
    filename: str
    format_label: str
    crs: str | None = "EPSG:4326"
    crs_origin: CrsOrigin = "format"
    warnings: tuple[BoundaryMessage, ...] = ()


def ring_from_values(values: object, *, feature: int, filename: str) -> Ring:
    """Turn nested position lists into an (n, 2) array, refusing anything that is not numbers."""
    try:
        array = np.asarray(values)
    except (ValueError, TypeError, OverflowError) as exc:  # ragged positions
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename) from exc
    if array.size == 0:
        return np.empty((0, 2))
    # Strings, booleans and None would be coerced by NumPy; GeoJSON positions are numbers only.
    if array.ndim != 2 or array.shape[1] < 2 or array.dtype.kind not in "if":
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
    return np.ascontiguousarray(array[:, :2], dtype=np.float64)


def format_number(value: float) -> str:
    """Short, readable number for messages (metres without decimals, degrees with six)."""
    if not np.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.6f}".rstrip("0").rstrip(".")


def vertex_total(features: tuple[SourceFeature, ...] | list[SourceFeature]) -> int:
    return sum(len(ring) for feature in features for polygon in feature.polygons for ring in polygon)


def check_vertex_limit(*, count: int, limit: int, filename: str) -> None:
    if count > limit:
        raise BoundaryError("too_many_vertices", filename=filename, limit=limit)


def check_rings(layer: SourceLayer) -> None:
    """Refuse non-numbers, absurd values, short and open rings, in that order per ring."""
    for feature in layer.features:
        ring_number = 0
        for polygon in feature.polygons:
            for ring in polygon:
                ring_number += 1
                _check_ring(ring, feature=feature.number, ring_number=ring_number, filename=layer.filename)


def _check_ring(ring: Ring, *, feature: int, ring_number: int, filename: str) -> None:
    finite = np.isfinite(ring)
    if not finite.all():
        value = ring[~finite][0]
        raise BoundaryError("invalid_coordinate", feature=feature, filename=filename, value=str(value))
    if len(ring) and np.abs(ring).max() > COORDINATE_LIMIT:
        value = ring.flat[np.abs(ring).argmax()]
        raise BoundaryError("coordinate_too_large", feature=feature, filename=filename, value=f"{value:.6g}")
    if len(ring) < 4:
        raise BoundaryError(
            "too_few_positions", feature=feature, filename=filename, ring=ring_number, count=len(ring)
        )
    if not np.array_equal(ring[0], ring[-1]):
        raise BoundaryError("ring_not_closed", feature=feature, filename=filename, ring=ring_number)
