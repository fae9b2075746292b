"""XLSForm conversion with pyxform: good forms, metadata added, errors with their sheet and row."""

from __future__ import annotations

import io
import zipfile

import pytest

from landmosaic.fieldwork.xforms import read_xform
from landmosaic.fieldwork.xlsform import XLSFormInvalid, convert_xlsform
from tests.fieldwork.conftest import tree_form_xlsx, xlsx

LIMIT = 10 * 1024 * 1024


def convert(data: bytes, filename: str = "trees.xlsx"):
    return convert_xlsform(data=data, filename=filename, default_version="20240101000000", max_bytes=LIMIT)


def test_good_form_converts_with_id_version_and_hash():
    result = convert(tree_form_xlsx())
    assert (result.form_id, result.version, result.title) == ("trees", "2024050101", "Tree survey")
    assert len(result.xform_md5) == 32
    assert result.xform.startswith("<?xml")
    paths = {f.path: f.type for f in result.schema.fields}
    assert paths["species"] == "string" and paths["count"] == "int" and paths["location"] == "geopoint"
    assert paths["photo"] == "binary"


def test_missing_metadata_is_added_at_the_end_and_reported():
    result = convert(tree_form_xlsx())
    meta = result.schema.meta_paths()
    assert meta == {
        "start": "start",
        "end": "end",
        "today": "today",
        "deviceid": "deviceid",
        "username": "username",
    }
    notes = [i for i in result.issues if i.code == "added_metadata"]
    assert notes and "start" in notes[0].params["names"]
    # The form has a geopoint: no start-geopoint is added.
    assert not [i for i in result.issues if i.code == "added_location"]
    assert result.schema.geopoint_paths() == ["location"]


def test_form_without_location_gets_a_start_geopoint():
    data = xlsx(
        survey=[["type", "name", "label"], ["text", "note_text", "What did you see?"]],
        choices=[],
        settings=[["form_id", "version"], ["obs", "1"]],
    )
    result = convert(data)
    assert result.schema.geopoint_paths() == ["start_geopoint"]
    assert "odk:setgeopoint" in result.xform


def test_existing_metadata_is_not_duplicated_and_names_do_not_collide():
    data = xlsx(
        survey=[
            ["type", "name", "label"],
            ["start", "start", ""],
            ["text", "end", "A question someone named end"],
            ["geopoint", "where", "Where"],
        ],
        choices=[],
        settings=[["form_id", "version"], ["obs", "1"]],
    )
    result = convert(data)
    meta = result.schema.meta_paths()
    assert meta["start"] == "start"
    assert meta["end"] == "meta_end"


def test_missing_form_id_and_version_come_from_the_file_name_and_the_upload_time():
    result = convert(xlsx(), filename="Bird count 2024.xlsx")
    assert result.form_id == "Bird_count_2024"
    assert result.version == "20240101000000"
    assert any(i.code == "generated_version" for i in result.issues)


def test_warnings_keep_their_row():
    result = convert(tree_form_xlsx())
    warnings = [i for i in result.issues if i.level == "warning"]
    assert any(i.row == 6 and i.sheet == "survey" for i in warnings)  # the image row: max-pixels advice


def test_error_names_sheet_and_row():
    data = xlsx(survey=[["type", "name", "label"], ["text", "q1", "Q1"], ["text", "q1", "Again"]], choices=[])
    with pytest.raises(XLSFormInvalid) as caught:
        convert(data)
    issue = caught.value.issues[0]
    assert (issue.level, issue.sheet, issue.row) == ("error", "survey", 3)
    assert "q1" in issue.params["text"]


def test_unknown_choice_list_is_an_error():
    data = xlsx(survey=[["type", "name", "label"], ["select_one nowhere", "q", "Q"]], choices=CHOICES_OTHER)
    with pytest.raises(XLSFormInvalid) as caught:
        convert(data)
    assert "nowhere" in caught.value.issues[0].params["text"]


CHOICES_OTHER = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"]]


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "not_xlsx"),
        (b"name,label\nq,Q\n", "not_xlsx"),
        (b"PK\x03\x04 this is not really a zip", "corrupt"),
    ],
)
def test_not_a_workbook(data, code):
    with pytest.raises(XLSFormInvalid) as caught:
        convert(data)
    assert caught.value.issues[0].code == code


def test_too_large_is_refused_before_reading():
    with pytest.raises(XLSFormInvalid) as caught:
        convert_xlsform(
            data=b"PK\x03\x04" + b"0" * 2000, filename="big.xlsx", default_version="1", max_bytes=1000
        )
    assert caught.value.issues[0].code == "too_large"


def test_zip_bomb_is_refused_from_its_declared_sizes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(XLSFormInvalid) as caught:
        convert_xlsform(
            data=buffer.getvalue(), filename="bomb.xlsx", default_version="1", max_bytes=1024 * 1024
        )
    assert caught.value.issues[0].code == "too_large"


def test_bad_form_id_in_settings():
    data = xlsx(settings=[["form_id", "version"], ["2 bad id!", "1"]])
    with pytest.raises(XLSFormInvalid) as caught:
        convert(data)
    assert caught.value.issues[0].code == "bad_form_id"


def test_media_references_and_external_choices():
    data = xlsx(
        survey=[
            ["type", "name", "label", "media::image"],
            ["note", "intro", "Look at the leaf", "leaf.jpg"],
            ["select_one_from_file species.csv", "species", "Species", ""],
            ["geopoint", "where", "Where", ""],
        ],
        choices=[],
        settings=[["form_id", "version"], ["leaves", "1"]],
    )
    result = convert(data)
    assert set(result.schema.media) == {"leaf.jpg", "species.csv"}


def test_read_xform_refuses_entities():
    from landmosaic.fieldwork.xforms import XMLRefused

    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(XMLRefused) as caught:
        read_xform(bomb)
    assert caught.value.code == "xml_forbidden"
