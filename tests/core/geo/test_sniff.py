"""What the upload is: content first, file name second."""

from __future__ import annotations

import pytest

from landmosaic.core.geo import parse_boundary_file

from .builders import SQUARE, collection, dumps, gpx, kml, kml_polygon, polygon, shapefile_parts, zip_bytes

GEOJSON = dumps(collection(polygon(SQUARE)))
KML = kml(kml_polygon(SQUARE))


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_file(refused, data):
    error = refused("empty_file", data, "boundary.geojson")
    assert error.message.startswith("boundary.geojson is empty.")


def test_file_too_large(refused):
    error = refused("file_too_large", GEOJSON, "boundary.geojson", max_bytes=100)
    assert error.params["limit_mb"] == "0.01"
    error = refused("file_too_large", b" " * (2 * 1024 * 1024 + 1), "big.geojson", max_bytes=2 * 1024 * 1024)
    assert (error.params["size_mb"], error.params["limit_mb"]) == ("2", "2")
    assert "is 2 MB, more than the 2 MB allowed" in error.message


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"hello, this is a letter", "notes.txt"),
        (b"<html><body>Sign in</body></html>", "boundary.kml"),
        (b"\x00\x01\x02garbage", "boundary"),
        (b"lon,lat\n6.6,46.5\n", "points.csv"),
    ],
)
def test_not_a_recognised_format(refused, data, filename):
    error = refused("unrecognised_format", data, filename)
    assert "GeoJSON, KML, KMZ, GPX or a zipped shapefile" in error.message


def test_geopackage_is_named(refused):
    error = refused("unsupported_format", b"SQLite format 3\x00" + b"\x00" * 200, "lausanne.gpkg")
    assert error.params["format"] == "GeoPackage"


@pytest.mark.parametrize("suffix", [".shp", ".dbf", ".shx", ".prj"])
def test_loose_shapefile_part(refused, suffix):
    content = shapefile_parts([__import__("shapely").box(6.6, 46.5, 6.7, 46.6)])[f"boundary{suffix}"]
    refused("shapefile_not_zipped", content, f"boundary{suffix}")


def test_shp_content_under_another_name(refused):
    content = shapefile_parts([__import__("shapely").box(6.6, 46.5, 6.7, 46.6)])["boundary.shp"]
    refused("shapefile_not_zipped", content, "upload.bin")


@pytest.mark.parametrize(
    ("data", "filename", "source_format", "label"),
    [
        (KML, "boundary.json", "kml", "KML"),
        (GEOJSON, "boundary.kml", "geojson", "GeoJSON"),
        (gpx(tracks=[SQUARE]), "boundary.geojson", "gpx", "GPX"),
        (zip_bytes({"doc.kml": KML}), "boundary.geojson", "kmz", "KMZ"),
    ],
)
def test_content_wins_over_extension_with_a_warning(data, filename, source_format, label):
    boundary = parse_boundary_file(data=data, filename=filename)
    assert boundary.source_format == source_format
    assert [w.code for w in boundary.warnings] == ["extension_mismatch"]
    assert boundary.warnings[0].message == (
        f"{filename} is named like another format but contains {label}; it was read as {label}."
    )


@pytest.mark.parametrize(
    ("data", "filename", "source_format"),
    [(GEOJSON, "export", "geojson"), (KML, "upload.xml", "kml"), (zip_bytes({"a.kml": KML}), "a.zip", "kmz")],
)
def test_unknown_or_generic_names_need_no_warning(data, filename, source_format):
    boundary = parse_boundary_file(data=data, filename=filename)
    assert (boundary.source_format, boundary.warnings) == (source_format, ())


def test_utf16_kml():
    data = KML.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert parse_boundary_file(data=data, filename="a.kml").source_format == "kml"


def test_xml_cut_before_its_root_element(refused):
    refused("corrupt_kml", b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported by', "a.kml")


def test_binary_garbage_under_a_known_name_says_where_it_breaks(refused):
    error = refused("invalid_json", b"\x00\x00 not json", "boundary.geojson")
    assert error.params["line"] == 1


def test_browser_paths_are_reduced_to_the_file_name(refused):
    error = refused("empty_file", b"", "C:\\fakepath\\my boundary.geojson")
    assert error.params["filename"] == "my boundary.geojson"
