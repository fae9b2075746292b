"""Attribute columns as read by pyogrio, typed with Frictionless Table Schema types.

Every reader turns its source into ``Columns``; every writer (GeoPackage, CSV, exports, previews)
turns ``Columns`` back into values. Nulls stay nulls: pyogrio gives integers with nulls as floats
with NaN, so the Table Schema type, not the NumPy dtype, says what a column holds.
"""

from __future__ import annotations

import base64
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# GDAL field type (and subtype) -> Table Schema type.
_OGR_TYPES = {
    "OFTInteger": "integer",
    "OFTInteger64": "integer",
    "OFTReal": "number",
    "OFTString": "string",
    "OFTWideString": "string",
    "OFTDate": "date",
    "OFTDateTime": "datetime",
    "OFTTime": "time",
    "OFTBinary": "string",
}
TEMPORAL_TYPES = ("date", "datetime")
# Column names the GeoPackage writer keeps for itself.
RESERVED_NAMES = frozenset({"fid", "geom"})


@dataclass
class Columns:
    """Named attribute arrays of equal length with their Table Schema types."""

    names: list[str]
    arrays: list[np.ndarray]
    types: list[str]
    length: int = field(default=0)
    #: Date-time columns whose values are known moments, held in UTC (stored with the GeoPackage's
    #: "Z"); other date-time columns are local times of unknown zone.
    utc: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.arrays:
            self.length = len(self.arrays[0])

    def take(self, index: np.ndarray) -> Columns:
        return Columns(
            list(self.names), [a[index] for a in self.arrays], list(self.types), len(index), self.utc
        )

    def without(self, names: set[str]) -> Columns:
        keep = [i for i, n in enumerate(self.names) if n not in names]
        return Columns(
            [self.names[i] for i in keep],
            [self.arrays[i] for i in keep],
            [self.types[i] for i in keep],
            self.length,
            self.utc - names,
        )

    @classmethod
    def concat(cls, parts: list[Columns]) -> Columns:
        """Batches of one layer joined again (NumPy promotes integers to floats where a batch had nulls)."""
        first = parts[0]
        arrays = [np.concatenate([p.arrays[i] for p in parts]) for i in range(len(first.arrays))]
        return cls(list(first.names), arrays, list(first.types), sum(p.length for p in parts), first.utc)

    def column(self, name: str) -> np.ndarray:
        return self.arrays[self.names.index(name)]

    def fields(self) -> list[dict[str, str]]:
        return [{"name": n, "type": t} for n, t in zip(self.names, self.types, strict=True)]


def columns_from_ogr(meta: dict[str, Any], arrays: list[np.ndarray], length: int) -> Columns:
    """Columns from ``pyogrio.raw.read`` output, with values brought to one representation per type."""
    names, out, types = [], [], []
    subtypes = meta.get("ogr_subtypes") or [""] * len(arrays)
    for name, array, ogr_type, subtype in zip(
        meta["fields"], arrays, meta["ogr_types"], subtypes, strict=True
    ):
        kind = "boolean" if subtype == "OFSTBoolean" else _OGR_TYPES.get(ogr_type, "list")
        if subtype == "OFSTJSON":
            kind = "object"
        array = _canonical(array, kind, ogr_type)
        if kind in ("list", "object"):
            kind = "string"  # stored as its JSON text
        names.append(str(name))
        out.append(array)
        types.append(kind)
    return Columns(names, out, types, length)


def _canonical(array: np.ndarray, kind: str, ogr_type: str) -> np.ndarray:
    if kind in ("integer", "number", "boolean"):
        return array if array.dtype.kind in "biuf" else array.astype(np.float64)
    if kind in ("date", "datetime"):
        return array
    if ogr_type == "OFTBinary":
        return np.array(
            [None if v is None else base64.b64encode(bytes(v)).decode("ascii") for v in array.tolist()],
            dtype=object,
        )
    if kind in ("list", "object"):
        return np.array([_json_text(v) for v in array.tolist()], dtype=object)
    return array


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return json.dumps(value, ensure_ascii=False, default=str)


# --- Names ------------------------------------------------------------------------------------


def safe_names(names: list[str], *, reserved: bool) -> tuple[list[str], list[str]]:
    """Names unique ignoring case and not empty (and, with ``reserved``, not the GeoPackage's own
    fid/geom), and the renamings made, as "old → new"."""
    taken: set[str] = set()
    forbidden = RESERVED_NAMES if reserved else frozenset()
    result, renamed = [], []
    for number, name in enumerate(names, start=1):
        candidate = (name or "").strip() or f"field_{number}"
        base, n = candidate, 2
        while candidate.lower() in taken or candidate.lower() in forbidden:
            candidate = f"{base}_{n}"
            n += 1
        taken.add(candidate.lower())
        result.append(candidate)
        if candidate != name:
            renamed.append(f"{name or '?'} → {candidate}")
    return result, renamed


def normalise_name(name: str) -> str:
    """Lower case, no accents, letters and digits only: "Latitude (°)" -> "latitude"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


# --- Values -----------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _datetime_texts(array: np.ndarray) -> list[str]:
    unit = "s"
    valid = array[~np.isnat(array)]
    if valid.size and (valid.astype("datetime64[ms]").astype(np.int64) % 1000).any():
        unit = "ms"
    texts = np.datetime_as_string(array, unit=unit).tolist()
    return ["" if t == "NaT" else t for t in texts]


def cell_texts(array: np.ndarray, kind: str) -> list[str]:
    """The values of one column as CSV cells: ISO dates, "true"/"false", "" for null."""
    if kind == "date":
        return ["" if t == "NaT" else t for t in np.datetime_as_string(array, unit="D").tolist()]
    if kind == "datetime":
        return _datetime_texts(array)
    values = array.tolist()
    if kind == "boolean":
        return ["" if v is None or v != v else ("true" if v else "false") for v in values]
    if kind == "integer":
        return ["" if v is None or v != v else str(int(v)) for v in values]
    if kind == "number":
        return ["" if v is None else _number_text(float(v)) for v in values]
    return ["" if v is None else str(v) for v in values]


def json_values(array: np.ndarray, kind: str) -> list[Any]:
    """The values of one column as JSON-safe Python values (None for null, NaN and infinity)."""
    if kind in TEMPORAL_TYPES:
        return [t or None for t in cell_texts(array, kind)]
    values = array.tolist()
    if kind == "boolean":
        return [None if v is None or v != v else bool(v) for v in values]
    if kind == "integer":
        return [None if v is None or v != v else int(v) for v in values]
    if kind == "number":
        return [None if v is None or not math.isfinite(v) else float(v) for v in values]
    return values


def ogr_arrays(columns: Columns) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Arrays and null masks for ``pyogrio.raw.write``: integers and booleans keep their type."""
    arrays, masks = [], []
    for array, kind in zip(columns.arrays, columns.types, strict=True):
        if kind in ("integer", "boolean") and array.dtype.kind == "f":
            mask = np.isnan(array)
            filled = np.where(mask, 0, array)
            arrays.append(filled.astype(bool if kind == "boolean" else np.int64))
            masks.append(mask)
        else:
            arrays.append(array)
            masks.append(None)
    return arrays, masks


# --- Summaries --------------------------------------------------------------------------------


def temporal_ranges(columns: Columns) -> list[dict[str, str]]:
    """First and last value of every date or date-time column that has any."""
    ranges = []
    for name, array, kind in zip(columns.names, columns.arrays, columns.types, strict=True):
        if kind not in TEMPORAL_TYPES or array.dtype.kind != "M":
            continue
        valid = array[~np.isnat(array)]
        if not valid.size:
            continue
        low, high = cell_texts(np.array([valid.min(), valid.max()]), kind)
        ranges.append({"field": name, "start": low, "end": high})
    return ranges


def table_schema(fields: list[dict[str, str]], *, extra: list[dict[str, str]] = ()) -> dict[str, Any]:
    """A Frictionless Table Schema for CSV files written with ``cell_texts``."""
    return {
        "fields": [{"name": f["name"], "type": f["type"]} for f in [*fields, *extra]],
        "missingValues": [""],
    }
