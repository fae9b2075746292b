"""Pages of features from a normalised GeoPackage, fast on large layers; free of Django.

A page is one SQL query on the GeoPackage (it is SQLite): ``bbox`` goes through the layer's
R-tree spatial index, every value is a bound parameter and every column name comes from the
layer's own schema. Rows are turned into GeoJSON here (GeoPackage geometry blobs are WKB behind a
small header), values in the representation the rest of the data commons uses, geometries
reprojected to longitude/latitude. Opening the file with GDAL would cost more than the whole
query, so pyogrio (by fid) only reads the rare pages whose geometries use GeoPackage extensions.

Order: by fid without ``bbox``; with ``bbox``, the R-tree's own order (as GDAL reads it), which is
stable because a version's file never changes. So offsets page through the same sequence.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

from ..exports.vector import bbox_in, to_lonlat
from ..ingest.columns import columns_from_ogr, json_values

Box = tuple[float, float, float, float]
# The extent stored at ingest is rounded to 7 decimals: widen it a little before comparing.
EXTENT_MARGIN = 1e-6
# Coordinates written with 7 decimals of a degree: about a centimetre.
PRECISION = 1e-7


@dataclass(frozen=True)
class Layer:
    """The one feature table of a normalised GeoPackage."""

    table: str
    geometry: str
    fid: str
    rtree: str | None
    #: The attribute columns, in the table's order.
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Condition:
    """A piece of WHERE clause on the feature table (alias ``t``) and the values bound to it."""

    sql: str
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Feature:
    fid: int
    #: GeoJSON geometry as text (None when the feature has no geometry).
    geometry: str | None
    properties: dict[str, Any]

    def as_json(self, links: list[dict[str, str]] | None = None) -> str:
        """The GeoJSON Feature as text, without parsing the geometry text again."""
        extra = f',"links":{json.dumps(links)}' if links else ""
        return (
            f'{{"type":"Feature","id":{self.fid},"geometry":{self.geometry or "null"},'
            f'"properties":{json.dumps(self.properties, ensure_ascii=False)}{extra}}}'
        )

    def as_dict(self) -> dict[str, Any]:
        return json.loads(self.as_json())


def quote(name: str) -> str:
    """A SQLite identifier; names only ever come from the GeoPackage's own schema."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """Read-only; ``immutable`` because a version's file never changes (no locks, no journal)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True, check_same_thread=False)) as conn:
        yield conn


def describe(conn: sqlite3.Connection) -> Layer:
    row = conn.execute(
        "SELECT g.table_name, g.column_name FROM gpkg_geometry_columns g "
        "JOIN gpkg_contents c ON c.table_name = g.table_name WHERE c.data_type = 'features' LIMIT 1"
    ).fetchone()
    if row is None:
        raise ValueError("no feature table in the GeoPackage")
    table, geometry = row
    info = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    fid = next((r[1] for r in info if r[5]), "fid")
    rtree = f"rtree_{table}_{geometry}"
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (rtree,)).fetchone()
    columns = tuple(r[1] for r in info if r[1] not in (fid, geometry))
    return Layer(table, geometry, fid, rtree if found else None, columns)


# --- Filters ---------------------------------------------------------------------------------


def property_condition(layer: Layer, name: str, kind: str, value: Any) -> Condition:
    """Exact match on one field, in the field's type (dates and times as GeoPackage stores them)."""
    if name not in layer.columns:
        raise KeyError(name)
    column = f"t.{quote(name)}"
    if kind == "datetime":
        return Condition(f"julianday({column}) = julianday(?)", (_sql_datetime(value),))
    return Condition(f"{column} = ?", (value,))


def interval_condition(layer: Layer, name: str, kind: str, start: Any, end: Any) -> Condition:
    """The field's value lies within [start, end] (UTC date-times; None leaves that end open).

    GeoPackage stores dates as "YYYY-MM-DD" text, compared as text; date-times through julianday().
    """
    if name not in layer.columns:
        raise KeyError(name)
    column = f"t.{quote(name)}"
    parts, params = [f"{column} IS NOT NULL"], []
    for value, operator in ((start, ">="), (end, "<=")):
        if value is None:
            continue
        if kind == "date":
            parts.append(f"{column} {operator} ?")
            params.append(value.date().isoformat())
        else:
            parts.append(f"julianday({column}) {operator} julianday(?)")
            params.append(_sql_datetime(value))
    return Condition(" AND ".join(parts), tuple(params))


def _sql_datetime(value: Any) -> str:
    """A UTC date-time as SQLite's julianday() reads it."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def boxes_for(bbox: Box, *, extent: Sequence[float] | None, crs: str) -> list[Box] | None:
    """The longitude/latitude ``bbox`` as boxes in the layer's CRS for its spatial index.

    None: the box holds the whole layer, no spatial filter is needed. []: it holds nothing. A box
    crossing the antimeridian (west > east) becomes two. Each is first clipped to the layer's
    extent, which keeps the reprojection within the area the layer's CRS is made for.
    """
    if extent is None:
        return []
    west, south, east, north = (
        extent[0] - EXTENT_MARGIN,
        extent[1] - EXTENT_MARGIN,
        extent[2] + EXTENT_MARGIN,
        extent[3] + EXTENT_MARGIN,
    )
    pieces = (
        [bbox]
        if bbox[0] <= bbox[2]
        else [(bbox[0], bbox[1], 180.0, bbox[3]), (-180.0, bbox[1], bbox[2], bbox[3])]
    )
    if any(p[0] <= west and p[1] <= south and p[2] >= east and p[3] >= north for p in pieces):
        return None
    boxes = []
    for w, s, e, n in pieces:
        clipped = (max(w, west), max(s, south), min(e, east), min(n, north))
        if clipped[0] > clipped[2] or clipped[1] > clipped[3]:
            continue
        box = bbox_in(crs, clipped)
        if all(math.isfinite(v) for v in box):
            boxes.append(box)
    return boxes


# --- Choosing and counting -------------------------------------------------------------------


def _where(layer: Layer, boxes: list[Box] | None, conditions: Sequence[Condition]) -> tuple[str, str, list]:
    """FROM and WHERE clauses (the R-tree first when there is a spatial filter) with their values."""
    sql_parts, params = [], []
    if boxes is not None:
        if layer.rtree is None:
            raise ValueError("the GeoPackage has no spatial index")
        source = f"{quote(layer.rtree)} r CROSS JOIN {quote(layer.table)} t ON t.{quote(layer.fid)} = r.id"
        spatial = []
        for west, south, east, north in boxes:
            spatial.append("(r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?)")
            params += [east, west, north, south]
        sql_parts.append("(" + " OR ".join(spatial) + ")")
    else:
        source = f"{quote(layer.table)} t"
    for condition in conditions:
        sql_parts.append(f"({condition.sql})")
        params += list(condition.params)
    return source, " AND ".join(sql_parts) or "1", params


def _columns(layer: Layer) -> str:
    return ", ".join(f"t.{quote(c)}" for c in (layer.fid, layer.geometry, *layer.columns))


def select(
    conn: sqlite3.Connection,
    layer: Layer,
    *,
    boxes: list[Box] | None,
    conditions: Sequence[Condition] = (),
    limit: int,
    offset: int = 0,
    count: bool = True,
) -> tuple[list[tuple], int | None]:
    """The rows of one page (fid, geometry blob, attributes), and how many match in all (``count``)."""
    if boxes == []:
        return [], 0
    source, where, params = _where(layer, boxes, conditions)
    order = "" if boxes is not None else f" ORDER BY t.{quote(layer.fid)}"
    rows = conn.execute(
        f"SELECT {_columns(layer)} FROM {source} WHERE {where}{order} LIMIT ? OFFSET ?",  # noqa: S608 - names quoted, values bound
        [*params, limit, offset],
    ).fetchall()
    matched = None
    if count:
        if boxes is not None and not conditions:
            source = f"{quote(layer.rtree)} r"  # the index alone answers
        matched = conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]  # noqa: S608
    return rows, matched


def row(conn: sqlite3.Connection, layer: Layer, fid: int) -> tuple | None:
    """One feature's row by fid."""
    sql = f"SELECT {_columns(layer)} FROM {quote(layer.table)} t WHERE t.{quote(layer.fid)} = ?"  # noqa: S608
    return conn.execute(sql, (fid,)).fetchone()


# --- Reading ---------------------------------------------------------------------------------

# Bytes of the envelope after the 8-byte header, by the envelope code in bits 1-3 of the flags.
_ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class NeedsGdal(ValueError):
    """A geometry blob this module does not decode (GeoPackage extensions): read it with GDAL."""


def wkb(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob (header: "GP", version, flags, srs id, envelope)."""
    if blob is None:
        return None
    if len(blob) < 8 or blob[:2] != b"GP":
        raise NeedsGdal("not a GeoPackage geometry")
    flags = blob[3]
    if flags & 0b100000:
        raise NeedsGdal("extended GeoPackage geometry")
    envelope = _ENVELOPE.get((flags >> 1) & 0b111)
    if envelope is None:
        raise NeedsGdal("unknown envelope")
    return bytes(blob[8 + envelope :])


def _value(value: Any, kind: str) -> Any:
    """A stored value as the data commons shows it (see ingest.columns.json_values).

    Dates and date-times come from SQLite as the GeoPackage's own text and are given as they are:
    "…Z" for known moments (UTC), no zone for local times whose zone the source did not state.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if kind == "boolean":
        return bool(value)
    if kind == "integer" and isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if kind == "number" and isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _geojson(wkbs: list[bytes | None], crs: str) -> list[str | None]:
    geometries = shapely.from_wkb(np.array(wkbs, dtype=object))
    geometries = to_lonlat(geometries, crs)
    geometries = shapely.set_precision(geometries, PRECISION, mode="pointwise")
    return shapely.to_geojson(geometries).tolist()


def features(rows: Sequence[tuple], layer: Layer, *, kinds: dict[str, str], crs: str) -> list[Feature]:
    """GeoJSON features from rows of ``select``, geometries in longitude/latitude.

    Raises NeedsGdal when a geometry uses a GeoPackage extension.
    """
    if not rows:
        return []
    try:
        texts = _geojson([wkb(r[1]) for r in rows], crs)
    except shapely.errors.GEOSException as exc:
        raise NeedsGdal(str(exc)) from exc
    names = [(index, name, kinds.get(name, "")) for index, name in enumerate(layer.columns, start=2)]
    return [
        Feature(
            fid=int(r[0]),
            geometry=text,
            properties={name: _value(r[index], kind) for index, name, kind in names},
        )
        for r, text in zip(rows, texts, strict=True)
    ]


def read(path: Path, layer: Layer, fids: Sequence[int], *, crs: str) -> list[Feature]:
    """The features with these fids, in this order, read with GDAL (for what ``features`` cannot)."""
    if not fids:
        return []
    meta, _fids, blobs, arrays = pyogrio.raw.read(
        str(path), layer=layer.table, fids=np.asarray(fids, dtype=np.int64)
    )
    columns = columns_from_ogr(meta, arrays, len(blobs))
    texts = _geojson(list(blobs), meta["crs"] or crs)
    values = [json_values(array, kind) for array, kind in zip(columns.arrays, columns.types, strict=True)]
    return [
        Feature(
            fid=int(fid),
            geometry=texts[index],
            properties={name: column[index] for name, column in zip(columns.names, values, strict=True)},
        )
        for index, fid in enumerate(fids)
    ]
