"""The stakeholder register as an Excel workbook: export (formulas neutralised), import (same checks as
CSV, all rows or nothing), and damaged or hostile files refused with a clear message."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from landmosaic.core.errors import ValidationFailed
from landmosaic.planning import csvio, services, xlsxio
from landmosaic.planning.models import Stakeholder

from .conftest import API, add_stakeholder, client_for

HEADER = ["name", "sector", "influence", "interest", "participation", "represents"]


def _workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(cast, data: bytes):
    return services.stakeholder_import(
        actor=cast.editor, landscape=cast.landscape, data=data, filename="r.xlsx"
    )


def test_a_workbook_is_imported_with_numbers_labels_and_the_stakeholders_sheet(private_cast):
    data = _workbook(
        ("Notes", [["This sheet is not the register"]]),
        (
            "Stakeholders",
            [
                HEADER,
                ["District council", "Public sector", 5, 4.0, "collaborate", None],
                [],
                ["Youth for the hills", "civil_society", 2, 4, "Inform", "youth; women"],
            ],
        ),
    )
    assert (_import(private_cast, data).created) == 2
    youth = Stakeholder.objects.get(name="Youth for the hills")
    assert youth.represents == ["youth", "women"] and youth.participation == "inform"
    assert Stakeholder.objects.get(name="District council").interest == 4


def test_export_neutralises_formulas_and_imports_back_unchanged(private_cast):
    add_stakeholder(private_cast.landscape, '=HYPERLINK("http://evil.example","click")', influence=4)
    add_stakeholder(private_cast.landscape, "-5 degrees club", represents=["youth"])
    add_stakeholder(private_cast.landscape, "@cmd|' /C calc'!A0")
    response = client_for(private_cast.member).get(
        f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/export.xlsx"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content))["Stakeholders"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == list(csvio.COLUMNS)
    assert all(c.data_type != "f" for row in rows for c in row)  # no cell is a formula
    names = sorted(row[0].value for row in rows[1:])
    assert names == [
        "'-5 degrees club",  # not a number, so it is quoted like any cell starting with a minus
        "'=HYPERLINK(\"http://evil.example\",\"click\")",
        "'@cmd|' /C calc'!A0",
    ]
    assert {row[6].value for row in rows[1:]} == {3, 4}  # scores stay numbers
    result = _import(private_cast, response.content)
    assert (result.created, result.updated) == (0, 3)
    assert Stakeholder.objects.filter(name__startswith="=HYPERLINK").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        (b"PK\x03\x04 not really a workbook", "may be damaged"),
        (_workbook(("Sheet", [HEADER, ["A", "public", 3, 3, "inform", ""]]))[:300], "may be damaged"),
        (_workbook(("Sheet", [])), "The file is empty"),
        (
            _workbook(("Sheet", [[*HEADER, "shoe size"], ["A", "public", 3, 3, "inform", "", 42]])),
            "Unknown columns: shoe_size",
        ),
        (
            _workbook(("Sheet", [["name", "sector"], ["A", "public"]])),
            "Required columns are missing: influence",
        ),
    ],
)
def test_bad_workbooks_are_refused_with_advice(private_cast, data, message):
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        _import(private_cast, data)
    assert not Stakeholder.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(private_cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (xlsxio.MAX_UNPACKED + 1))
    assert len(buffer.getvalue()) < csvio.MAX_BYTES
    with pytest.raises(ValidationFailed, match="unpacks to more than 50 MB"):
        _import(private_cast, buffer.getvalue())


def test_bad_rows_name_their_spreadsheet_row_and_nothing_is_stored(private_cast):
    data = _workbook(
        (
            "Sheet",
            [HEADER, ["Good", "public", 3, 3, "inform", ""], ["Bad", "public", 9, 3, "inform", "elders"]],
        )
    )
    with pytest.raises(ValidationFailed) as info:
        _import(private_cast, data)
    rows = info.value.details["rows"]
    assert any("Row 3, column “influence”" in r for r in rows) and any("“elders”" in r for r in rows)
    assert not Stakeholder.objects.exists()


def test_pages_and_api_offer_xlsx_to_members_only(private_cast):
    add_stakeholder(private_cast.landscape, "Lake Trust")
    page = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    assert "export.xlsx" in client_for(private_cast.member).get(page).content.decode()
    assert client_for(private_cast.viewer).get(f"{page}export.xlsx").status_code == 403
    assert client_for(private_cast.outsider).get(f"{page}export.xlsx").status_code == 404
    api = f"{API}/landscapes/{private_cast.landscape.slug}/stakeholders"
    exported = client_for(private_cast.member).get(f"{api}/export.xlsx")
    assert exported.status_code == 200 and load_workbook(io.BytesIO(exported.content)).sheetnames == [
        "Stakeholders"
    ]
    upload = SimpleUploadedFile(
        "more.xlsx", _workbook(("S", [HEADER, ["River guides", "community", 2, 5, "involve", ""]]))
    )
    imported = client_for(private_cast.editor).post(f"{api}/import", {"file": upload})
    assert imported.status_code == 200 and imported.json() == {"created": 1, "updated": 0}
    form = client_for(private_cast.editor).post(
        f"{page}import/", {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk")}
    )
    assert form.status_code == 400 and "may be damaged" in form.content.decode()
