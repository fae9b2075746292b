"""Figures computed from a dataset's columns for an indicator's measurement (pure: numpy arrays in).

Operations: ``count`` of rows (records of a field form are rows of its dataset), ``sum`` and ``mean``
of a numeric column, and ``value`` of a numeric column in the one row where another column equals a
given value (a scenario run's indicators table: the value of ``carbon_mg`` where ``year`` is 2035).
Rows may be limited to a date range on a date column (both ends included). Empty cells are left out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed

OPERATIONS = ("count", "sum", "mean", "value")
NUMERIC = ("integer", "number")
DATES = ("date", "datetime")
#: Units a column name can carry as one of its words (``area_ha``, ``carbon_mg``, ``rain_mm``), and the
#: first words of an indicator unit that mean the same. Mg is the megagram (tonne) of carbon accounting.
UNIT_WORDS = {
    "ha": {"ha", "hectare", "hectares"},
    "km2": {"km2", "km²"},
    "mg": {"mg", "t", "tonne", "tonnes"},
    "kg": {"kg"},
    "mm": {"mm"},
    "cm": {"cm"},
    "m3": {"m3", "m³"},
    "usd": {"usd", "us$"},
}


@dataclass(frozen=True)
class Figure:
    value: float
    rows: int


def _error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def column_unit(column: str) -> str | None:
    """The unit a column's name says, if one of its words is a known unit (``area_ha_3`` -> ha)."""
    for word in re.split(r"[_\W]+", column.casefold()):
        if word in UNIT_WORDS:
            return word
    return None


def check_unit(*, operation: str, column: str, indicator_unit: str) -> None:
    """Refuse figures whose unit is plainly not the indicator's: a count of rows is not in hectares,
    and the sum of ``area_ha`` is not in tonnes."""
    first = (indicator_unit.strip().casefold().split() or [""])[0]
    physical = next((unit for unit, words in UNIT_WORDS.items() if first in words), None)
    if operation == "count":
        if physical:
            raise _error(
                "operation",
                _("A count of records cannot be measured in %(unit)s: use an indicator counted in records, "
                  "plots, people or another count, or sum a column in %(unit)s.")
                % {"unit": indicator_unit},
            )  # fmt: skip
        return
    said = column_unit(column)
    if said and first not in UNIT_WORDS[said]:
        raise _error(
            "column",
            _("The column “%(column)s” is in %(said)s, but the indicator is measured in %(unit)s: choose "
              "another column or an indicator in %(said)s.")
            % {"column": column, "said": said, "unit": indicator_unit},
        )  # fmt: skip


def check_columns(
    *,
    fields: list[dict[str, str]],
    operation: str,
    column: str,
    date_column: str,
    match_column: str,
) -> list[str]:
    """The columns to read, checked against the version's fields (names and types)."""
    types = {f["name"]: f["type"] for f in fields}
    if operation not in OPERATIONS:
        raise _error("operation", _("Choose count, sum, mean or value."))
    wanted = []
    if operation != "count":
        if types.get(column) not in NUMERIC:
            numeric = ", ".join(n for n, t in types.items() if t in NUMERIC) or _("none")
            raise _error(
                "column",
                _("“%(column)s” is not a numeric column of this dataset. Numeric columns: %(columns)s.")
                % {"column": column, "columns": numeric},
            )
        wanted.append(column)
    if date_column:
        if types.get(date_column) not in DATES:
            dates = ", ".join(n for n, t in types.items() if t in DATES) or _("none")
            raise _error(
                "date_column",
                _("“%(column)s” is not a date column of this dataset. Date columns: %(columns)s.")
                % {"column": date_column, "columns": dates},
            )
        wanted.append(date_column)
    if operation == "value":
        if types.get(match_column) not in NUMERIC:
            raise _error(
                "match_column",
                _("Say in which numeric column to find the row, such as “year”."),
            )
        wanted.append(match_column)
    return list(dict.fromkeys(wanted))


def compute(
    arrays: dict[str, np.ndarray],
    length: int,
    *,
    operation: str,
    column: str = "",
    date_column: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    match_column: str = "",
    match_value: float | None = None,
) -> Figure:
    """The figure over the rows kept by the date range (and, for ``value``, the matching row)."""
    keep = np.ones(length, dtype=bool)
    if date_column:
        dates = arrays[date_column].astype("datetime64[D]")
        keep &= ~np.isnat(dates)
        if date_from:
            keep &= dates >= np.datetime64(date_from, "D")
        if date_to:
            keep &= dates <= np.datetime64(date_to, "D")
    if operation == "count":
        return Figure(float(keep.sum()), int(keep.sum()))
    values = arrays[column].astype(np.float64)
    keep &= ~np.isnan(values)
    if operation == "value":
        keep &= arrays[match_column].astype(np.float64) == float(match_value)
        if keep.sum() != 1:
            raise _error(
                "match_value",
                _("%(count)d rows have %(column)s = %(value)s; exactly one is needed.")
                % {"count": int(keep.sum()), "column": match_column, "value": f"{match_value:g}"},
            )
        return Figure(float(values[keep][0]), 1)
    if not keep.any():
        raise _error("column", _("No row has a value in “%(column)s” here.") % {"column": column})
    chosen = values[keep]
    value = float(chosen.sum() if operation == "sum" else chosen.mean())
    return Figure(value, int(keep.sum()))
