"""Reading and writing the stakeholder register as an Excel workbook (.xlsx; no database).

Reading takes the first sheet's cells as text, so the same checks as for CSV apply (``csvio``).
A workbook is a zip of XML: its declared size is checked before anything is unpacked (zip bombs), and
openpyxl parses the XML through defusedxml (installed), so entity tricks are refused. Writing
neutralises spreadsheet formulas with the platform's one rule (``core.spreadsheet``).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.spreadsheet import neutralise

#: Uncompressed size a register workbook may unpack to (a 5,000-row register is far below).
MAX_UNPACKED = 50_000_000
MAX_COLUMNS = 50
SHEET = "Stakeholders"


def _damaged() -> ValidationFailed:
    return ValidationFailed(
        _("This Excel file cannot be read: it may be damaged. Open it in your spreadsheet, save it again "
          "as .xlsx (or as “CSV UTF-8”) and import that."),
        code="damaged_xlsx",
    )  # fmt: skip


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def records(data: bytes, *, max_rows: int) -> list[list[str]]:
    """The first sheet's rows as text cells (at most ``max_rows`` + 1 are read: the caller refuses more)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ValidationFailed(
                    _("This Excel file unpacks to more than %(mb)d MB: it is not a stakeholder register.")
                    % {"mb": MAX_UNPACKED // 1_000_000},
                    code="too_large",
                )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception as exc:  # zipfile, openpyxl and the XML parser raise many kinds for damaged files
        raise _damaged() from exc
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = []
        for cells in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append([_text(v).strip() for v in cells])
            if len(rows) > max_rows + 1:
                break
    except Exception as exc:
        raise _damaged() from exc
    finally:
        workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationFailed(_("The file is empty."), code="empty")
    return rows


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The register as a workbook of one sheet, the header in its first row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(list(header))
    for row in rows:
        sheet.append([cell if isinstance(cell, int) else neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
