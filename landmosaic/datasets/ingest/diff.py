"""What changed between two versions: rows added and removed, fields added, removed or retyped.

Rows are compared as multisets of fingerprints (a hash of every value and of the geometry), so a
reordered file shows no change and a duplicated row counts once more. Both versions are read from
their normalised files, which the same code wrote.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw

from .columns import cell_texts, columns_from_ogr
from .workspace import quiet_gdal


@dataclass(frozen=True)
class VersionFacts:
    number: int
    fields: list[dict[str, str]]
    row_count: int | None
    geometry_type: str
    crs: str
    normalised: Path | None
    normalised_format: str


def _hash(parts: list[bytes]) -> int:
    return int.from_bytes(hashlib.blake2b(b"\x1f".join(parts), digest_size=8).digest(), "little")


def fingerprints(path: Path, normalised_format: str, names: list[str]) -> np.ndarray:
    """One 64-bit fingerprint per row of a normalised file, over the columns ``names`` (and the
    geometry), so that a new column does not make every row look changed."""
    if normalised_format == "gpkg":
        with quiet_gdal():
            meta, _fids, wkb, arrays = pyogrio.raw.read(str(path), columns=names)
        columns = columns_from_ogr(meta, arrays, len(wkb))
        texts = [cell_texts(columns.column(n), columns.types[columns.names.index(n)]) for n in names]
        geometry = [b"" if g is None else bytes(g) for g in wkb.tolist()]
        rows = zip(*texts, geometry, strict=True)
        return np.fromiter(
            (_hash([*(t.encode() for t in row[:-1]), row[-1]]) for row in rows),
            dtype=np.uint64,
            count=len(wkb),
        )
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        index = [header.index(n) for n in names]
        return np.fromiter(
            (_hash([(row[i] if i < len(row) else "").encode() for i in index]) for row in reader),
            dtype=np.uint64,
        )


def _multiset_difference(before: np.ndarray, after: np.ndarray) -> tuple[int, int]:
    """(added, removed): rows of ``after`` not matched in ``before``, and the other way round."""
    old_values, old_counts = np.unique(before, return_counts=True)
    new_values, new_counts = np.unique(after, return_counts=True)
    _common, old_index, new_index = np.intersect1d(
        old_values, new_values, assume_unique=True, return_indices=True
    )
    kept = int(np.minimum(old_counts[old_index], new_counts[new_index]).sum())
    return len(after) - kept, len(before) - kept


def change_summary(previous: VersionFacts, current: VersionFacts) -> dict[str, Any]:
    """The change from ``previous`` to ``current``, as stored on the newer version."""
    old_types = {f["name"]: f["type"] for f in previous.fields}
    new_types = {f["name"]: f["type"] for f in current.fields}
    summary: dict[str, Any] = {
        "previous": previous.number,
        "rows_before": previous.row_count,
        "rows_after": current.row_count,
        "fields_added": [n for n in new_types if n not in old_types],
        "fields_removed": [n for n in old_types if n not in new_types],
        "fields_retyped": [
            {"name": n, "before": old_types[n], "after": t}
            for n, t in new_types.items()
            if n in old_types and old_types[n] != t
        ],
    }
    if previous.geometry_type != current.geometry_type:
        summary["geometry_type"] = {"before": previous.geometry_type, "after": current.geometry_type}
    if previous.crs != current.crs:
        summary["crs"] = {"before": previous.crs, "after": current.crs}
    comparable = (
        previous.normalised is not None
        and current.normalised is not None
        and previous.normalised_format == current.normalised_format
        and current.normalised_format in ("gpkg", "csv")  # rows exist in tables and layers only
    )
    if comparable:
        common = [n for n in new_types if n in old_types]
        added, removed = _multiset_difference(
            fingerprints(previous.normalised, previous.normalised_format, common),
            fingerprints(current.normalised, current.normalised_format, common),
        )
        summary.update(rows_added=added, rows_removed=removed)
    return summary
