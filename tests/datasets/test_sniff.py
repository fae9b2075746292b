"""Recognising uploads by content first and name second (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landmosaic.datasets.ingest import IngestError, sniff_head
from landmosaic.datasets.ingest.sniff import extension_mismatch, guess_delimiter
from tests.datasets.builders import csv_bytes, geojson_bytes, gpkg_bytes, gpx_bytes, kml_bytes, xlsx_bytes


@pytest.mark.parametrize(
    "head,filename,code",
    [
        (b"name,lat,lon\nA,1,2\n", "points.csv", "csv"),
        (b"name;lat;lon\nA;1;2\n", "export.txt", "csv"),
        (b"\xef\xbb\xbfname,lat\n", "bom.csv", "csv"),
        (b'{"type": "FeatureCollection", "features": []}', "layer.json", "geojson"),
        (b"%PDF-1.7\n...", "report.pdf", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "photo.png", "png"),
        (b"\xff\xd8\xff\xe0....", "photo.jpeg", "jpeg"),
        (b"II*\x00\x08\x00", "landuse.tif", "tiff"),
        (b"PK\x03\x04rest", "book.xlsx", "xlsx"),
        (b"PK\x03\x04rest", "layers.zip", "zip"),
        (b"fgb\x03fgb\x00....", "roads.fgb", "fgb"),
    ],
)
def test_formats_are_recognised(head, filename, code):
    assert sniff_head(head=head, filename=filename).code == code


def test_real_files_are_recognised():
    assert sniff_head(head=kml_bytes(""), filename="a.kml").code == "kml"
    assert sniff_head(head=gpx_bytes(waypoints=[(36, -8)]), filename="a.gpx").code == "gpx"
    assert sniff_head(head=gpkg_bytes({"a": ([None], {"n": [1]})})[:100], filename="x.bin").code == "gpkg"
    assert sniff_head(head=xlsx_bytes([["a"], [1]])[:100], filename="x.xlsx").code == "xlsx"


@pytest.mark.parametrize(
    "head,filename,code",
    [
        (b"", "empty.csv", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "old.xls", "legacy_excel"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "app.db", "sqlite_not_geopackage"),
        (b"\x00\x00\x27\x0a" + b"\x00" * 96, "roads.shp", "shapefile_not_zipped"),
        (b"anything", "roads.dbf", "shapefile_not_zipped"),
        (b"\x00\x01\x02binary\x00", "data.csv", "binary_not_text"),
        (b"<html><body>Not data</body></html>", "page.kml.html", "unrecognised_format"),
        (b"Dear partners, please find", "letter.txt.doc", "unrecognised_format"),
        (b"\x00\x00\x00\x0e\n\tOSMHeader\x18", "extract.osm.pbf", "osm_not_supported"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(head, filename, code):
    with pytest.raises(IngestError) as info:
        sniff_head(head=head, filename=filename)
    assert info.value.code == code
    assert filename.rsplit("/")[-1] in info.value.message


def test_a_misleading_extension_is_noticed():
    found = sniff_head(head=geojson_bytes([]), filename="points.csv")
    assert found.code == "geojson" and extension_mismatch(filename="points.csv", found=found)
    assert not extension_mismatch(filename="points.geojson", found=found)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_guessed(delimiter):
    text = csv_bytes([["a", "b", "c"], [1, "x, y", 3], [4, 5, 6]], delimiter=delimiter).decode()
    assert guess_delimiter(text) == delimiter


@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    rows=st.lists(
        st.lists(st.text(alphabet="abcdefgh 0123456789.-", min_size=1, max_size=8), min_size=3, max_size=3),
        min_size=2,
        max_size=20,
    ),
)
def test_delimiter_guess_holds_for_any_regular_table(delimiter, rows):
    text = csv_bytes([["name", "lat", "lon"], *rows], delimiter=delimiter).decode()
    assert guess_delimiter(text) == delimiter


def test_a_cut_head_does_not_confuse_the_guess():
    text = csv_bytes([["a", "b"], *[[i, i] for i in range(100)]]).decode()[:200]
    assert guess_delimiter(text) == ","
