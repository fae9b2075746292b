"""Spreadsheets and CSV: encodings, delimiters, coordinate columns, and the mistakes people make."""

from __future__ import annotations

import csv

import pyogrio.raw
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landmosaic.datasets.ingest.coordinates import find_coordinate_columns
from tests.datasets.builders import codes, csv_bytes, ingest, points_csv, refused, xlsx_bytes


def test_csv_with_coordinates_becomes_a_point_layer(tmp_path):
    [part] = ingest(tmp_path, points_csv(), "wells.csv").parts
    assert (part.kind, part.geometry_type, part.crs, part.row_count) == ("vector", "Point", "EPSG:4326", 3)
    assert part.bbox_4326 == [36.05, -8.2, 36.2, -8.1]
    assert part.fields == [
        {"name": "name", "type": "string"},
        {"name": "latitude", "type": "number"},
        {"name": "longitude", "type": "number"},
        {"name": "date", "type": "date"},
    ]
    assert part.temporal == [{"field": "date", "start": "2023-01-05", "end": "2023-03-01"}]
    meta, _fids, _geometry, fields = pyogrio.raw.read(part.normalised)
    assert meta["geometry_type"] == "Point" and list(fields[0]) == ["Well A", "Well B", "Farm"]


@pytest.mark.parametrize(
    "lat,lon",
    [
        ("lat", "lon"),
        ("Latitude", "Longitude"),
        ("LAT", "LNG"),
        ("latitud", "longitud"),
        ("Latitude (°)", "long"),
        ("lat_dd", "lon_dd"),
        ("decimalLatitude", "decimalLongitude"),
        ("_gps_latitude", "_gps_longitude"),
        ("y", "x"),
    ],
)
def test_coordinate_columns_in_common_spellings(tmp_path, lat, lon):
    [part] = ingest(tmp_path, points_csv(header=["name", lat, lon, "date"]), "points.csv").parts
    assert part.kind == "vector" and part.row_count == 3


def test_latitude_names_win_over_x_and_y():
    found = find_coordinate_columns(["x", "y", "lat", "lon"])
    assert (found.latitude, found.longitude, found.xy) == ("lat", "lon", False)


@pytest.mark.parametrize(
    "encoding,bom,delimiter,warning",
    [
        ("utf-8", False, ",", []),
        ("utf-8", True, ";", []),
        ("cp1252", False, ";", ["encoding_fallback"]),
        ("latin-1", False, "\t", ["encoding_fallback"]),
        ("utf-16", False, "\t", ["encoding_fallback"]),
    ],
)
def test_encodings_and_delimiters(tmp_path, encoding, bom, delimiter, warning):
    rows = [
        ["nom", "lat", "lon", "note"],
        ["Forêt d'Éole", "-8.1", "36.1", "Sí, señor"],
        ["Ñandú", "-8.2", "36.2", ""],
    ]
    [part] = ingest(
        tmp_path, csv_bytes(rows, delimiter=delimiter, encoding=encoding, bom=bom), "fr.csv"
    ).parts
    assert codes(part) == warning
    _meta, _fids, _geometry, fields = pyogrio.raw.read(part.normalised)
    assert list(fields[0]) == ["Forêt d'Éole", "Ñandú"]
    assert list(fields[3]) == ["Sí, señor", None]


def test_decimal_commas_in_a_semicolon_file(tmp_path):
    data = "site;latitude;longitude\nA;-8,10;36,10\nB;-8,20;36,20\n".encode("cp1252")
    [part] = ingest(tmp_path, data, "sites.csv").parts
    assert part.bbox_4326 == [36.1, -8.2, 36.2, -8.1]


def test_a_table_without_coordinates_stays_a_table_with_its_schema(tmp_path):
    rows = [
        ["code", "crop", "yield_t", "harvest", "organic"],
        ["007", "maize", "1.5", "2022-06-01", "true"],
        ["012", "beans", "", "2022-07-15", "false"],
    ]
    [part] = ingest(tmp_path, csv_bytes(rows), "harvest.csv").parts
    assert (part.kind, part.normalised_format, part.row_count) == ("table", "csv", 2)
    assert part.table_schema == {
        "fields": [
            {"name": "code", "type": "string"},  # leading zeros are kept: codes are not numbers
            {"name": "crop", "type": "string"},
            {"name": "yield_t", "type": "number"},
            {"name": "harvest", "type": "date"},
            {"name": "organic", "type": "boolean"},
        ],
        "missingValues": [""],
    }
    with part.normalised.open(encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            rows[0],
            ["007", "maize", "1.5", "2022-06-01", "true"],
            ["012", "beans", "", "2022-07-15", "false"],
        ]


def test_wkt_column_gives_geometries_of_each_kind(tmp_path):
    rows = [
        ["name", "WKT"],
        ["well", "POINT (36.1 -8.1)"],
        ["plot", "POLYGON ((36 -8, 36.1 -8, 36.1 -8.1, 36 -8))"],
        ["plot 2", "SRID=4326;POLYGON ((36 -8, 36.2 -8, 36.2 -8.2, 36 -8))"],
    ]
    parts = ingest(tmp_path, csv_bytes(rows), "mixed.csv").parts
    assert [(p.family, p.row_count) for p in parts] == [("points", 1), ("polygons", 2)]
    assert all(
        "split_by_geometry" in codes(p) and p.fields == [{"name": "name", "type": "string"}] for p in parts
    )


def test_projected_x_and_y_keep_the_file_as_a_table(tmp_path):
    rows = [["id", "x", "y"], [1, 2500100, 1150200], [2, 2500300, 1150400]]
    [part] = ingest(tmp_path, csv_bytes(rows), "swiss.csv").parts
    assert part.kind == "table" and codes(part) == ["projected_xy_kept_as_table"]


def test_rows_without_coordinates_are_kept_and_reported(tmp_path):
    rows = [["name", "lat", "lon"], ["a", "-8.1", "36.1"], ["b", "", ""], ["c", "-8.3", "36.3"]]
    [part] = ingest(tmp_path, csv_bytes(rows), "gaps.csv").parts
    assert part.row_count == 3
    [warning] = part.warnings
    assert warning.code == "rows_without_coordinates" and warning.params["row"] == 3


def test_xlsx_first_sheet_with_points(tmp_path):
    rows = [["name", "latitude", "longitude", "count"], ["Well A", -8.1, 36.1, 3], ["Well B", -8.2, 36.2, 5]]
    [part] = ingest(tmp_path, xlsx_bytes(rows), "survey.xlsx").parts
    assert (part.kind, part.row_count, part.fields[3]) == ("vector", 2, {"name": "count", "type": "integer"})


# --- Bad input: each a clear message naming the row -------------------------------------------


def test_coordinate_that_is_not_a_number_names_the_row(tmp_path):
    rows = [["name", "lat", "lon"], ["a", "-8.1", "36.1"], ["b", "8°07'S", "36.2"]]
    error = refused(tmp_path, csv_bytes(rows), "dms.csv", "coordinate_not_number")
    assert error.params == {"filename": "dms.csv", "row": 3, "column": "lat", "value": "8°07'S"}
    assert "Row 3 of dms.csv" in error.message


def test_latitude_out_of_range_names_the_row(tmp_path):
    rows = [["name", "lat", "lon"], ["a", "-8.1", "36.1"], ["b", "-8.2", "36.2"], ["c", "95.5", "36.3"]]
    error = refused(tmp_path, csv_bytes(rows), "bad.csv", "latitude_out_of_range")
    assert error.params["row"] == 4 and "95.5" in error.message


def test_longitude_out_of_range_names_the_row(tmp_path):
    rows = [["name", "lat", "lon"], ["a", "-8.1", "361.0"]]
    assert refused(tmp_path, csv_bytes(rows), "bad.csv", "longitude_out_of_range").params["row"] == 2


def test_swapped_coordinates_are_reported_not_silently_swapped(tmp_path):
    rows = [["site", "latitude", "longitude"], ["a", "120.5", "-8.1"], ["b", "121.0", "-8.3"]]
    error = refused(tmp_path, csv_bytes(rows), "swapped.csv", "coordinates_swapped")
    assert "latitude" in error.message and "look swapped" in error.message


def test_half_a_position_names_the_row(tmp_path):
    rows = [["name", "lat", "lon"], ["a", "-8.1", "36.1"], ["b", "-8.2", ""]]
    error = refused(tmp_path, csv_bytes(rows), "half.csv", "coordinate_missing_pair")
    assert error.params == {"filename": "half.csv", "row": 3, "present": "lat", "missing": "lon"}


def test_invalid_wkt_names_the_row(tmp_path):
    rows = [["name", "wkt"], ["a", "POINT (36.1 -8.1)"], ["b", "POINT (36.1"]]
    assert refused(tmp_path, csv_bytes(rows), "wkt.csv", "invalid_wkt").params["row"] == 3


def test_projected_wkt_is_refused_with_the_column(tmp_path):
    rows = [["name", "geometry"], ["a", "POINT (2500000 1150000)"]]
    error = refused(tmp_path, csv_bytes(rows), "wkt.csv", "wkt_not_lonlat")
    assert error.params["column"] == "geometry"


def test_header_only_and_empty_first_row(tmp_path):
    refused(tmp_path, b"name,lat,lon\r\n", "header.csv", "no_rows")
    refused(tmp_path, b"\r\nname,lat,lon\r\na,1,2\r\n", "gap.csv", "no_header")
    refused(tmp_path, b"", "empty.csv", "empty_file")


def test_a_corrupt_workbook_is_refused(tmp_path):
    data = xlsx_bytes([["a", "b"], [1, 2]])
    refused(tmp_path, data[: len(data) // 2], "cut.xlsx", "corrupt_zip")


# --- Property: whatever the encoding and delimiter, values survive -----------------------------

CELL = st.text(alphabet="abcdeéñçü ABC-'", min_size=1, max_size=10).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_text_values_survive_any_encoding_and_delimiter(tmp_path_factory, cells, encoding, delimiter, bom):
    tmp_path = tmp_path_factory.mktemp("prop")
    rows = [["name", "place"], *[list(c) for c in cells]]
    [part] = ingest(tmp_path, csv_bytes(rows, encoding=encoding, delimiter=delimiter, bom=bom), "t.csv").parts
    with part.normalised.open(encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1:] == [list(c) for c in cells]
