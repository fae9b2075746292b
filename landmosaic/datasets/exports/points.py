"""Positions and a few attributes of a normalised table or point layer, for point maps.

Positions come from the layer's own point geometries (in longitude/latitude) or from two columns of
degrees; rows without a usable position are counted, not refused: a map shows what it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

from ..ingest.columns import Columns, columns_from_ogr, json_values
from ..ingest.workspace import quiet_gdal
from .tables import read_columns
from .vector import to_lonlat


@dataclass
class Points:
    """Longitudes, latitudes and the requested columns (JSON-safe), for the rows that have a position."""

    lon: list[float]
    lat: list[float]
    values: dict[str, list[Any]]
    types: dict[str, str]
    skipped: int
    truncated: bool


def degrees(values: np.ndarray) -> np.ndarray:
    """Floats from numbers or text (a decimal comma accepted); NaN where a value is not a number."""
    if values.dtype.kind in "iuf":
        return values.astype(np.float64)
    out = np.full(len(values), np.nan)
    for index, value in enumerate(values.tolist()):
        if value is None:
            continue
        try:
            out[index] = float(str(value).strip().replace(",", "."))
        except ValueError:
            continue
    return out


def _read(
    path: Path, *, normalised_format: str, fields: list[dict[str, str]], names: list[str], limit: int,
    geometry: bool,
) -> tuple[Columns, np.ndarray | None, str]:  # fmt: skip
    if normalised_format == "csv":
        return read_columns(path, fields, limit=limit, only=names), None, "EPSG:4326"
    with quiet_gdal():
        meta, _fids, wkb, arrays = pyogrio.raw.read(
            str(path), columns=names, read_geometry=geometry, max_features=limit
        )
    length = len(arrays[0]) if arrays else (len(wkb) if wkb is not None else 0)
    columns = columns_from_ogr(meta, arrays, length)
    return columns, (shapely.from_wkb(wkb) if geometry else None), meta["crs"] or "EPSG:4326"


def read_points(
    path: Path,
    *,
    normalised_format: str,
    fields: list[dict[str, str]],
    columns: list[str],
    latitude: str = "",
    longitude: str = "",
    limit: int,
) -> Points:
    """At most ``limit`` rows' positions and ``columns``. Without ``latitude``/``longitude`` the
    layer's point geometries are used (a multipoint at its centroid)."""
    from_columns = bool(latitude and longitude)
    names = list(dict.fromkeys([*columns, *([latitude, longitude] if from_columns else [])]))
    table, geometries, crs = _read(
        path, normalised_format=normalised_format, fields=fields, names=names, limit=limit + 1,
        geometry=not from_columns,
    )  # fmt: skip
    truncated = table.length > limit
    if from_columns:
        lat, lon = degrees(table.column(latitude)), degrees(table.column(longitude))
    else:
        centres = shapely.centroid(to_lonlat(geometries, crs))
        lon, lat = shapely.get_x(centres), shapely.get_y(centres)
    with np.errstate(invalid="ignore"):
        valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    valid[limit:] = False
    rows = np.flatnonzero(valid)
    kept = table.take(rows)
    return Points(
        lon=np.round(lon[rows], 7).tolist(),
        lat=np.round(lat[rows], 7).tolist(),
        values={n: json_values(kept.column(n), kept.types[kept.names.index(n)]) for n in columns},
        types={n: kept.types[kept.names.index(n)] for n in columns},
        skipped=int(min(table.length, limit) - len(rows)),
        truncated=truncated,
    )
