"""Rows given by the platform itself (field records, tables made by code) as typed ``Columns``.

The columns are declared (name and Table Schema type); each value is converted to its column's type.
A value that does not fit keeps the whole column as text, with a warning that names the row, so a
late odd value never loses data. A date-time column whose every value states its time zone holds
known moments: stored in UTC and marked so (the GeoPackage then writes "Z"). A value without a zone
is a local time of unknown zone and stays so; a column mixing both is stored without zones, with a
warning, rather than inventing a zone for the values that had none.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .columns import Columns
from .coordinates import FIRST_DATA_ROW
from .messages import TYPE_LABELS, IngestError, IngestMessage

#: Types kept as such; any other declared type (time, geopoint, …) is stored as text.
TYPED = ("integer", "number", "boolean", "date", "datetime")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


class _Unfit(ValueError):
    """A value that does not fit its column's type."""


def _empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _integer(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int):
        return float(value)
    number = float(str(value).strip()) if not isinstance(value, float) else value
    if not number.is_integer():
        raise _Unfit(value)
    return number


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise _Unfit(value)
    number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    if math.isnan(number):
        raise _Unfit(value)
    return number


def _boolean(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1.0
    if text in _FALSE:
        return 0.0
    raise _Unfit(value)


def _date(value: Any) -> np.datetime64:
    if isinstance(value, dt.datetime):
        return np.datetime64(value.date(), "D")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    return np.datetime64(dt.date.fromisoformat(str(value).strip()[:10]), "D")


def _moment(value: Any) -> dt.datetime:
    """The value as a datetime, aware when the value stated its time zone."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return moment


def _datetime(value: Any) -> np.datetime64:
    """The value in UTC when it has a time zone, else as given (naive)."""
    moment = _moment(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(moment, "ms")


_PARSERS = {"integer": _integer, "number": _number, "boolean": _boolean, "date": _date, "datetime": _datetime}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _zones(values: list[Any]) -> tuple[bool, int | None]:
    """Of a column's date-times (already known to parse): whether every value states a time zone, and
    the index of the first value without one when others have one (a mixed column)."""
    aware = [_moment(v).utcoffset() is not None for v in values if not _empty(v)]
    if all(aware):
        return bool(aware), None
    if not any(aware):
        return False, None
    return False, next(i for i, v in enumerate(values) if not _empty(v) and _moment(v).utcoffset() is None)


def _typed(values: list[Any], kind: str) -> np.ndarray:
    """The values converted to ``kind`` (raises ``_Unfit`` with the index of the first misfit)."""
    parse = _PARSERS[kind]
    if kind in ("date", "datetime"):
        out = np.full(
            len(values), np.datetime64("NaT"), dtype="datetime64[D]" if kind == "date" else "M8[ms]"
        )
    else:
        out = np.full(len(values), np.nan)
    for index, value in enumerate(values):
        if _empty(value):
            continue
        try:
            out[index] = parse(value)
        except (ValueError, TypeError, OverflowError) as exc:
            raise _Unfit(index) from exc
    return out


def check_columns(columns: list[Mapping[str, str]], *, geometry: tuple[str, str] | None, name: str) -> None:
    """Refuse declarations that cannot make a table: none, a name twice, a position column missing."""
    if not columns:
        raise IngestError("rows_no_columns", filename=name)
    seen: set[str] = set()
    for column in columns:
        if column["name"] in seen:
            raise IngestError("rows_duplicate_column", filename=name, column=column["name"])
        seen.add(column["name"])
    for column in geometry or ():
        if column not in seen:
            raise IngestError("rows_geometry_column_missing", filename=name, column=column)


def columns_from_rows(
    columns: list[Mapping[str, str]], rows: Iterable[Mapping[str, Any]], *, name: str
) -> tuple[Columns, list[IngestMessage]]:
    """Typed columns from rows given as mappings (missing keys are nulls)."""
    names = [c["name"] for c in columns]
    cells: list[list[Any]] = [[] for _ in names]
    for row in rows:
        for index, column in enumerate(names):
            cells[index].append(row.get(column))
    arrays, types, warnings, utc = [], [], [], set()
    for column, values in zip(columns, cells, strict=True):
        kind = column.get("type", "string")
        if kind in TYPED:
            try:
                arrays.append(_typed(values, kind))
                types.append(kind)
                if kind == "datetime":
                    known, naive = _zones(values)
                    if known:
                        utc.add(column["name"])
                    elif naive is not None:
                        warnings.append(_mixed(name, column["name"], naive))
                continue
            except _Unfit as exc:
                index = exc.args[0]
                warnings.append(
                    IngestMessage(
                        "rows_column_as_text",
                        {
                            "filename": name,
                            "column": column["name"],
                            "type": TYPE_LABELS[kind],
                            "row": index + FIRST_DATA_ROW,
                            "value": str(values[index])[:40],
                        },
                    )
                )
        arrays.append(np.array([_text(v) for v in values], dtype=object))
        types.append("string")
    return Columns(names, arrays, types, len(cells[0]) if cells else 0, frozenset(utc)), warnings


def _mixed(name: str, column: str, index: int) -> IngestMessage:
    return IngestMessage(
        "rows_datetime_zones_mixed", {"filename": name, "column": column, "row": index + FIRST_DATA_ROW}
    )
