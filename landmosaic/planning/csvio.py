"""Reading and writing the stakeholder register as CSV (plain text in, plain text out; no database).

Reading checks the file's shape (size, encoding, columns); the service then checks each row's
values. An Excel workbook (.xlsx) is read by ``xlsxio`` into the same rows of text, so both formats
pass the same checks. Writing neutralises spreadsheet formulas (DESIGN.md §4.5).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.spreadsheet import neutralise, restore

from . import xlsxio

COLUMNS = (
    "name",
    "organisation",
    "sector",
    "type",
    "role",
    "contact",
    "influence",
    "interest",
    "participation",
    "represents",
)
REQUIRED = ("name", "sector", "influence", "interest", "participation")
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000


def write(rows: Iterable[Sequence[object]]) -> str:
    """The register as CSV text with a header; a byte-order mark lets spreadsheets see UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What spreadsheet programs on Windows write by default ("CSV (comma delimited)").
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            _("The file's text encoding is not recognised. Save it as “CSV UTF-8” and import it again."),
            code="encoding",
        ) from exc


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as (spreadsheet row number, {column: text}) and the problems of the file's shape by row,
    from a CSV file or an Excel workbook (.xlsx).

    Raises ValidationFailed when the file as a whole cannot be read. Row 1 is the header, so the
    numbers match what people see in their spreadsheet. Blank rows are skipped.
    """
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1e6, 1), "limit": round(MAX_BYTES / 1e6, 1)},
            code="too_large",
        )
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ValidationFailed(
            _(
                "This is an old Excel file (.xls). In your spreadsheet, save it as “Excel workbook (.xlsx)” "
                "or “CSV UTF-8” and import that."
            ),
            code="old_excel",
        )
    if data[:2] == b"PK":
        return _rows(xlsxio.records(data, max_rows=MAX_ROWS))
    return _rows(_csv_records(data))


def _csv_records(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ValidationFailed(_("This file is not a CSV text file."), code="not_csv")
    if not text.strip():
        raise ValidationFailed(_("The file is empty."), code="empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.split("\n", 1)[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return list(reader)
    except csv.Error as exc:
        raise ValidationFailed(
            _("The file cannot be read as CSV near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc},
            code="not_csv",
        ) from exc


def _rows(records: list[list[str]]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The shape checks shared by CSV and XLSX: known, unrepeated, required columns; cells per row."""
    header = [_column(h) for h in records[0]]
    known = [h for h in header if h]
    unknown = sorted({h for h in known if h not in COLUMNS})
    if unknown:
        raise ValidationFailed(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
            code="unknown_columns",
        )
    repeated = sorted({h for h in known if known.count(h) > 1})
    if repeated:
        raise ValidationFailed(
            _("Columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)},
            code="repeated_columns",
        )
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        raise ValidationFailed(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        extra = [cell for cell in cells[len(header) :] if cell.strip()]
        if extra:
            problems.append(_("Row %(row)d: it has more cells than there are columns.") % {"row": number})
            continue
        values = {h: restore(cells[i].strip()) if i < len(cells) else "" for i, h in enumerate(header) if h}
        rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            _("The file has %(count)d rows; at most %(max)d can be imported at once.")
            % {"count": len(rows), "max": MAX_ROWS},
            code="too_many_rows",
        )
    return rows, problems
