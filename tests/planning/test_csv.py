"""CSV import (all rows or nothing, row-numbered messages) and export (formulas neutralised)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.planning import csvio, services
from landmosaic.planning.models import Stakeholder
from tests.factories import OrganisationFactory

from .conftest import API, add_stakeholder, client_for

GOOD = (
    "name,organisation,sector,type,role,contact,influence,interest,participation,represents\n"
    "District council,,public,Local government,Land-use planning,planning@district.example,5,4,collaborate,\n"
    "Coffee buyers,,Private sector,Exporter,,,4,3,involve,\n"
    "Women farmers' union,,community,Union,,,2,5,consult,women; smallholders\n"
    '"Youth, hills and rivers",,civil_society,,,,2,4,inform,Youth\n'
)


def _import(cast, text: str | bytes, person: str = "editor"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return services.stakeholder_import(
        actor=cast[person], landscape=cast.landscape, data=data, filename="register.csv"
    )


def test_a_good_file_is_imported(private_cast):
    result = _import(private_cast, GOOD)
    assert (result.created, result.updated) == (4, 0)
    union = Stakeholder.objects.get(name="Women farmers' union")
    assert union.represents == ["women", "smallholders"] and union.sector == "community"
    assert Stakeholder.objects.get(name="Coffee buyers").sector == "private"  # English label accepted
    assert Stakeholder.objects.get(name="Youth, hills and rivers").represents == ["youth"]
    assert AuditEvent.objects.filter(
        landscape_id=private_cast.landscape.pk, object_type="stakeholder_register"
    ).exists()


def test_rows_matching_a_name_update_the_register(private_cast):
    add_stakeholder(private_cast.landscape, "district COUNCIL", influence=1, interest=1, contact="old")
    result = _import(private_cast, GOOD)
    assert (result.created, result.updated) == (3, 1)
    council = Stakeholder.objects.get(name__iexact="district council")
    assert (council.influence, council.contact, council.name) == (
        5,
        "planning@district.example",
        "District council",
    )


def test_bad_rows_are_listed_by_row_number_and_nothing_is_stored(private_cast):
    text = (
        "name,sector,influence,interest,participation,represents\n"
        "Good one,public,3,3,inform,\n"
        "Bad sector,government,3,3,inform,\n"
        ",community,3,3,inform,\n"
        "Too strong,private,7,x,inform,\n"
        "\n"
        "Unknown group,community,3,3,consult,elders\n"
        "good ONE,public,3,3,inform,\n"
    )
    with pytest.raises(ValidationFailed) as excinfo:
        _import(private_cast, text)
    rows = excinfo.value.details["rows"]
    assert "6 problems" in excinfo.value.message and "Nothing was stored" in excinfo.value.message
    assert rows[0].startswith("Row 3, column “sector”: “government” is not one of")
    assert rows[1].startswith("Row 4, column “name”")
    assert rows[2].startswith("Row 5, column “influence”") and rows[3].startswith("Row 5, column “interest”")
    assert rows[4].startswith("Row 7, column “represents”")  # the blank row 6 is skipped but counted
    assert rows[5].startswith("Row 8, column “name”") and "row 2" in rows[5]
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "name,sector,influence,interest,participation,colour\nA,public,1,1,inform,red\n",
            "Unknown columns: colour",
        ),
        ("name,sector,influence\nA,public,1\n", "Required columns are missing: interest, participation"),
        ("", "The file is empty"),
        ("name,sector,influence,interest,participation\n", "no stakeholders"),
        ("name,name,sector,influence,interest,participation\n", "Columns appear twice"),
    ],
)
def test_file_level_problems(private_cast, text, message):
    with pytest.raises(ValidationFailed, match=message):
        _import(private_cast, text)


def test_spreadsheet_files_and_binary_are_refused_with_advice(private_cast):
    with pytest.raises(ValidationFailed, match="CSV UTF-8"):
        _import(private_cast, b"PK\x03\x04 this is an xlsx")


def test_windows_encoding_and_semicolons_are_understood(private_cast):
    text = "name;sector;influence;interest;participation\nCoopérative des éleveurs;community;3;4;involve\n"
    _import(private_cast, text.encode("cp1252"))
    assert Stakeholder.objects.get().name == "Coopérative des éleveurs"


def test_organisation_by_slug_or_name(private_cast):
    org = OrganisationFactory(name="Lake Trust", slug="lake-trust")
    text = (
        "name,organisation,sector,influence,interest,participation\n"
        "Trust A,lake-trust,civil_society,3,3,inform\n"
        "Trust B,LAKE TRUST,civil_society,3,3,inform\n"
    )
    _import(private_cast, text)
    assert set(Stakeholder.objects.values_list("organisation_id", flat=True)) == {org.pk}
    with pytest.raises(ValidationFailed) as excinfo:
        _import(
            private_cast,
            "name,organisation,sector,influence,interest,participation\nX,nowhere,public,1,1,inform\n",
        )
    assert excinfo.value.details["rows"][0].startswith("Row 2, column “organisation”")


def test_too_many_rows(private_cast, monkeypatch):
    monkeypatch.setattr(csvio, "MAX_ROWS", 2)
    with pytest.raises(ValidationFailed, match="at most 2"):
        _import(private_cast, GOOD)


@pytest.mark.parametrize("person", ["viewer", "member"])
def test_only_editors_import(private_cast, person):
    with pytest.raises(Exception, match="permission"):
        _import(private_cast, GOOD, person=person)


def _exported(client, cast) -> list[list[str]]:
    response = client.get(f"/landscapes/{cast.landscape.slug}/plan/stakeholders/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_neutralises_formula_injection(private_cast):
    add_stakeholder(
        private_cast.landscape,
        '=HYPERLINK("http://evil.example","Click")',
        type="+cmd|' /C calc'!A0",
        role="-2+3",
        contact="@SUM(1,1)",
        represents=["women"],
    )
    add_stakeholder(private_cast.landscape, "\tTabbed", contact="\rcarriage")
    rows = _exported(client_for(private_cast.member), private_cast)
    assert rows[0] == list(csvio.COLUMNS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == '\'=HYPERLINK("http://evil.example","Click")'
    assert evil[3] == "'+cmd|' /C calc'!A0" and evil[4] == "'-2+3" and evil[5] == "'@SUM(1,1)"
    assert AuditEvent.objects.filter(landscape_id=private_cast.landscape.pk, action="export").exists()


def test_export_imports_back_unchanged(private_cast):
    _import(private_cast, GOOD)
    add_stakeholder(private_cast.landscape, "+255 group", contact="+255 700 000 000")
    before = list(
        Stakeholder.objects.order_by("name").values("name", "sector", "contact", "represents", "influence")
    )
    response = client_for(private_cast.member).get(
        f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/export.csv"
    )
    Stakeholder.objects.all().delete()
    result = _import(private_cast, response.content)
    assert result.created == 5
    after = list(
        Stakeholder.objects.order_by("name").values("name", "sector", "contact", "represents", "influence")
    )
    assert after == before


def test_viewers_cannot_export(private_cast):
    url = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/export.csv"
    assert client_for(private_cast.viewer).get(url).status_code == 403
    assert client_for(private_cast.outsider).get(url).status_code == 404


def test_import_page_lists_row_problems(private_cast):
    client = client_for(private_cast.editor)
    url = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/import/"
    bad = SimpleUploadedFile(
        "bad.csv", b"name,sector,influence,interest,participation\nA,nowhere,1,1,inform\n"
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 2, column “sector”" in html and "Nothing was stored" in html
    good = SimpleUploadedFile("good.csv", GOOD.encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302 and Stakeholder.objects.count() == 4


def test_import_and_export_through_the_api(private_cast):
    client = client_for(private_cast.editor)
    base = f"{API}/landscapes/{private_cast.landscape.slug}/stakeholders"
    response = client.post(f"{base}/import", {"file": SimpleUploadedFile("r.csv", GOOD.encode())})
    assert response.status_code == 200 and response.json() == {"created": 4, "updated": 0}
    bad = client.post(f"{base}/import", {"file": SimpleUploadedFile("r.csv", b"name,colour\nA,red\n")})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "unknown_columns"
    exported = client.get(f"{base}/export.csv")
    assert exported.status_code == 200 and b"District council" in exported.content
