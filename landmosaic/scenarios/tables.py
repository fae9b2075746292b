"""The per-class tables of a scenario set: carbon pools (InVEST's columns) and water/income coefficients.

Tables come from the page's form or from a CSV file; both go through ``clean_rows``, which names
the row and column of every problem ("Row 4: c_soil is “abc”, not a number") and refuses the whole
table if anything is wrong, so nothing is stored half-way. Row numbers count the header as row 1,
as spreadsheet programs show them.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.spreadsheet import neutralise

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
MAX_ERRORS_SHOWN = 12
#: A cell starting with one of these is read as a formula by spreadsheet programs.


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table: which are required and whether values may be negative."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    negative: bool


POOLS = TableSpec(
    name="carbon_pools",
    columns=("lucode", "c_above", "c_below", "c_soil", "c_dead"),
    required=("lucode", "c_above", "c_below", "c_soil", "c_dead"),
    negative=False,
)
COEFFICIENTS = TableSpec(
    name="coefficients", columns=("lucode", "water", "income"), required=("lucode",), negative=True
)
SPECS = {spec.name: spec for spec in (POOLS, COEFFICIENTS)}


def _decode(data: bytes) -> str:
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise ValidationFailed(
            _("This is a spreadsheet file, not CSV. Save it as “CSV UTF-8” and import that."), code="not_csv"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what spreadsheet programs on Windows write by default
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            _("The file's text encoding is not recognised. Save it as “CSV UTF-8” and import it again."),
            code="encoding",
        ) from exc


def read_csv(data: bytes, *, spec: TableSpec) -> list[dict[str, str]]:
    """The rows of a CSV file as {column: text}, with the header's names in lower case."""
    if not data.strip():
        raise ValidationFailed(_("The file is empty."), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(size)s kB; a class table is much smaller.")
            % {"size": MAX_BYTES // 1000},
            code="too_large",
        )
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        records = list(reader)
    except (StopIteration, csv.Error) as exc:
        raise ValidationFailed(_("The file could not be read as CSV."), code="not_csv") from exc
    missing = [column for column in spec.required if column not in header]
    if missing:
        raise ValidationFailed(
            _("The file has no column %(missing)s. Its first row must name the columns: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(spec.columns)},
            code="missing_columns",
        )
    if len(records) > MAX_ROWS:
        raise ValidationFailed(
            _("The file has more than %(count)s rows.") % {"count": MAX_ROWS}, code="too_many_rows"
        )
    rows = []
    for record in records:
        if not any(cell.strip() for cell in record):
            rows.append({})  # a blank line keeps its place, so row numbers match the file
            continue
        rows.append({name: (record[i] if i < len(record) else "") for i, name in enumerate(header)})
    return rows


def _number(text: str) -> float | None:
    value = text.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")  # decimal comma, from semicolon-separated files
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _shown(text: object) -> str:
    value = str(text)
    return value[:40] + ("…" if len(value) > 40 else "")


def clean_rows(
    rows: Sequence[Mapping[str, object] | None],
    *,
    spec: TableSpec,
    codes: Iterable[int],
    first_row: int = 2,
) -> list[dict[str, float | int]]:
    """Checked rows sorted by lucode; ``codes`` (the legend's classes) must each have a row.

    Refuses with every problem, row by row; rows for other codes are kept (a shared table may list
    more classes than this landscape has).
    """
    errors: list[str] = []
    cleaned: dict[int, dict[str, float | int]] = {}
    seen_at: dict[int, int] = {}
    for offset, row in enumerate(rows):
        number = first_row + offset
        if not row:
            continue
        raw_code = str(row.get("lucode", "")).strip()
        code_value = _number(raw_code) if raw_code else None
        if code_value is None or not code_value.is_integer() or not 0 <= code_value <= 65535:
            errors.append(
                _("Row %(row)s: lucode “%(value)s” is not a class code (a whole number from 0 to 65535).")
                % {"row": number, "value": _shown(raw_code)}
            )
            continue
        code = int(code_value)
        if code in seen_at:
            errors.append(
                _("Row %(row)s: lucode %(code)s is already on row %(first)s.")
                % {"row": number, "code": code, "first": seen_at[code]}
            )
            continue
        seen_at[code] = number
        values: dict[str, float | int] = {"lucode": code}
        for column in spec.columns[1:]:
            raw = row.get(column)
            text = "" if raw is None else str(raw).strip()
            if not text and column not in spec.required:
                values[column] = 0.0
                continue
            value = _number(text) if text else None
            if value is None:
                errors.append(
                    _("Row %(row)s: %(column)s is “%(value)s”, not a number.")
                    % {"row": number, "column": column, "value": _shown(text)}
                    if text
                    else _("Row %(row)s: %(column)s is empty; write 0 if there is none.")
                    % {"row": number, "column": column}
                )
                continue
            if value < 0 and not spec.negative:
                errors.append(
                    _("Row %(row)s: %(column)s is %(value)s; carbon densities cannot be negative.")
                    % {"row": number, "column": column, "value": _shown(text)}
                )
                continue
            values[column] = value
        cleaned[code] = values
    missing = sorted(set(int(c) for c in codes) - set(cleaned)) if not errors else []
    if missing:
        errors.append(
            _("The table has no row for the classes %(codes)s of the legend; add a row for each.")
            % {"codes": ", ".join(str(c) for c in missing)}
        )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        message = _("Nothing was saved; correct the table and try again.") + " " + " ".join(shown)
        if more:
            message += " " + _("…and %(count)s more problems.") % {"count": more}
        raise ValidationFailed(message, code="invalid_table", details={"rows": errors})
    return [cleaned[code] for code in sorted(cleaned)]


def write_csv(
    rows: Iterable[Mapping[str, object]], *, columns: Sequence[str], extra: Mapping[int, str] | None = None
) -> str:
    """A table as CSV text (InVEST's columns; ``extra`` adds a class name column ``lulc_name``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = list(columns) + (["lulc_name"] if extra is not None else [])
    writer.writerow(header)
    for row in rows:
        cells = [_plain(row.get(column, "")) for column in columns]
        if extra is not None:
            cells.append(neutralise(extra.get(int(row["lucode"]), "")))
        writer.writerow(cells)
    return buffer.getvalue()


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def default_rows(codes: Iterable[int], *, spec: TableSpec) -> list[dict[str, float | int]]:
    """Zeros for every class: the set page asks the landscape to fill in its own values."""
    return [{"lucode": int(code), **{column: 0.0 for column in spec.columns[1:]}} for code in sorted(codes)]
