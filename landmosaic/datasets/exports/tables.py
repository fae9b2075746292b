"""The normalised CSV of a table dataset, read back with the types of its Table Schema."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..ingest.columns import Columns

_NUMERIC = ("integer", "number", "boolean")


def _convert(texts: list[str], kind: str) -> np.ndarray:
    if kind in _NUMERIC:
        values = [np.nan if t == "" else (1.0 if t == "true" else 0.0) if kind == "boolean" else float(t)
                  for t in texts]  # fmt: skip
        return np.array(values, dtype=np.float64)
    if kind == "date":
        return np.array([t or "NaT" for t in texts], dtype="datetime64[D]")
    if kind == "datetime":
        return np.array([t or "NaT" for t in texts], dtype="datetime64[ms]")
    return np.array([t or None for t in texts], dtype=object)


def rows(path: Path, *, limit: int | None = None) -> Iterator[list[str]]:
    """Data rows as text (the header skipped), at most ``limit``."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, row in enumerate(reader):
            if limit is not None and number >= limit:
                return
            yield row


def read_columns(
    path: Path, fields: list[dict[str, str]], *, limit: int | None = None, only: list[str] | None = None
) -> Columns:
    """Typed columns of the normalised CSV (written by ``ingest.normalise.write_table``), all of them
    or ``only`` those named (in that order)."""
    positions = {f["name"]: i for i, f in enumerate(fields)}
    wanted = [positions[name] for name in only] if only is not None else list(range(len(fields)))
    names = [fields[i]["name"] for i in wanted]
    types = [fields[i]["type"] for i in wanted]
    texts: list[list[str]] = [[] for _ in names]
    for row in rows(path, limit=limit):
        for index, column in zip(wanted, texts, strict=True):
            column.append(row[index] if index < len(row) else "")
    arrays = [_convert(column, kind) for column, kind in zip(texts, types, strict=True)]
    return Columns(names, arrays, types, len(texts[0]) if texts else 0)
