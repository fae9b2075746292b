"""Previews read from normalised files: the first rows, and features for the map in EPSG:4326."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..ingest.columns import json_values
from . import vector
from .tables import read_columns

PREVIEW_ROWS = 50
# Above this many vertices in one response, geometries are simplified for display.
VERTEX_BUDGET = 100_000
MAX_TEXT = 200


def preview_rows(
    path: Path, *, normalised_format: str, fields: list[dict[str, str]], limit: int = PREVIEW_ROWS
) -> list[list[Any]]:
    """The first ``limit`` rows as JSON-safe values, in the order of ``fields``."""
    if normalised_format == "gpkg":
        columns, _geometries, _crs = vector.read_layer(path, max_features=limit)
    else:
        columns = read_columns(path, fields, limit=limit)
    values = [json_values(array, kind) for array, kind in zip(columns.arrays, columns.types, strict=True)]
    return [list(row) for row in zip(*values, strict=True)] if values else [[] for _ in range(columns.length)]


def _display_tolerance(geometries: np.ndarray) -> float:
    """Degrees: about a thousandth of the layer's extent, once there are too many vertices to draw."""
    if int(shapely.get_num_coordinates(geometries).sum()) <= VERTEX_BUDGET:
        return 0.0
    west, south, east, north = shapely.total_bounds(geometries)
    extent = math.hypot(east - west, north - south)
    return extent / 1000 if math.isfinite(extent) else 0.0


def _short(value: Any) -> Any:
    return value[:MAX_TEXT] + "…" if isinstance(value, str) and len(value) > MAX_TEXT else value


def features(
    path: Path,
    *,
    limit: int,
    bbox: tuple[float, float, float, float] | None = None,
    crs: str = "EPSG:4326",
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection in longitude/latitude for the map preview.

    At most ``limit`` features, read through the GeoPackage's spatial index when ``bbox`` (lon/lat)
    is given; simplified when they carry too many vertices. ``truncated`` says whether more exist.
    """
    box = vector.bbox_in(crs, bbox) if bbox else None
    columns, geometries, layer_crs = vector.read_layer(path, max_features=limit + 1, bbox=box)
    truncated = len(geometries) > limit
    if truncated:
        columns, geometries = columns.take(np.arange(limit)), geometries[:limit]
    geometries = vector.to_lonlat(geometries, layer_crs)
    tolerance = _display_tolerance(geometries)
    if tolerance:
        geometries = shapely.simplify(geometries, tolerance, preserve_topology=True)
    geometries = shapely.set_precision(geometries, 1e-7, mode="pointwise")
    texts = shapely.to_geojson(geometries)
    values = [json_values(a, k) for a, k in zip(columns.arrays, columns.types, strict=True)]
    items = []
    for index, text in enumerate(texts.tolist()):
        properties = {name: _short(column[index]) for name, column in zip(columns.names, values, strict=True)}
        items.append({
            "type": "Feature",
            "geometry": None if text is None else json.loads(text),
            "properties": properties,
        })  # fmt: skip
    return {
        "type": "FeatureCollection",
        "features": items,
        "numberReturned": len(items),
        "truncated": truncated,
        "simplified": bool(tolerance),
    }
