"""Vector files: every format, awkward geometries, hostile archives (no database)."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import numpy as np
import pyogrio.raw
import pytest
import shapely

from landmosaic.datasets.ingest import archives
from tests.core.geo.builders import shapefile_parts
from tests.datasets.builders import (
    codes,
    feature,
    fgb_bytes,
    geojson_bytes,
    gpkg_bytes,
    gpx_bytes,
    ingest,
    kml_bytes,
    placemark,
    refused,
    zip_bytes,
    zipped_shapefile,
)

SQUARE = {"type": "Polygon", "coordinates": [[[36, -8], [36.1, -8], [36.1, -8.1], [36, -8.1], [36, -8]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[36, -8], [36.1, -8.1], [36.1, -8], [36, -8.1], [36, -8]]]}
POINT = {"type": "Point", "coordinates": [36.05, -8.05]}
KML_SQUARE = (
    "<Polygon><outerBoundaryIs><LinearRing><coordinates>36,-8 36.1,-8 36.1,-8.1 36,-8.1 36,-8"
    "</coordinates></LinearRing></outerBoundaryIs></Polygon>"
)
KML_POINT = "<Point><coordinates>36.05,-8.05</coordinates></Point>"
LAUSANNE = shapely.Polygon([(2538000, 1152000), (2539000, 1152000), (2539000, 1153000), (2538000, 1153000)])


def test_geojson_polygons_keep_their_attributes(tmp_path):
    data = geojson_bytes(
        [feature(SQUARE, name="Plot 1", area_ha=12.5), feature(SQUARE, name="Plot 2", area_ha=3)]
    )
    [part] = ingest(tmp_path, data, "plots.geojson").parts
    assert (part.kind, part.family, part.geometry_type, part.row_count) == (
        "vector",
        "polygons",
        "Polygon",
        2,
    )
    assert part.base_title == "plots" and part.bbox_4326 == [36.0, -8.1, 36.1, -8.0]
    assert part.fields == [{"name": "name", "type": "string"}, {"name": "area_ha", "type": "number"}]


def test_the_geopackage_has_a_spatial_index_and_the_original_crs(tmp_path):
    data = geojson_bytes(
        [feature(shapely.geometry.mapping(LAUSANNE), n=1)],
        crs={"type": "name", "properties": {"name": "EPSG:2056"}},
    )
    [part] = ingest(tmp_path, data, "lausanne.geojson").parts
    assert part.crs == "EPSG:2056"
    west, south, east, north = part.bbox_4326
    assert 6.6 < west < east < 6.7 and 46.5 < south < north < 46.6
    with sqlite3.connect(part.normalised) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        srs = db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0]
    assert any(t.startswith("rtree_") for t in tables) and srs == 2056


def test_mixed_geometry_types_are_split_into_one_part_per_kind(tmp_path):
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    data = geojson_bytes(
        [feature(POINT, n=1), feature(SQUARE, n=2), feature(multi, n=3), feature(POINT, n=4)]
    )
    parts = ingest(tmp_path, data, "mixed.geojson").parts
    assert [(p.family, p.geometry_type, p.row_count, p.split) for p in parts] == [
        ("points", "Point", 2, True),
        ("polygons", "MultiPolygon", 2, True),  # one type per layer: singles became multi
    ]
    assert all("split_by_geometry" in codes(p) for p in parts)


def test_invalid_polygons_are_repaired_and_reported_with_their_number(tmp_path):
    data = geojson_bytes([feature(SQUARE, n=1), feature(BOWTIE, n=2)])
    [part] = ingest(tmp_path, data, "plots.geojson").parts
    [warning] = [w for w in part.warnings if w.code == "invalid_repaired"]
    assert warning.params["features"] == "2" and warning.params["count"] == 1
    _meta, _fids, geometry, _fields = pyogrio.raw.read(part.normalised)
    assert shapely.is_valid(shapely.from_wkb(geometry)).all()
    assert part.geometry_type == "MultiPolygon"  # the bow tie became two triangles


def test_features_without_geometry_are_kept(tmp_path):
    [part] = ingest(tmp_path, geojson_bytes([feature(POINT, n=1), feature(None, n=2)]), "p.geojson").parts
    assert part.row_count == 2 and "features_without_geometry" in codes(part)


def test_heights_are_dropped_with_a_warning(tmp_path):
    point = {"type": "Point", "coordinates": [36.05, -8.05, 1200.0]}
    [part] = ingest(tmp_path, geojson_bytes([feature(point, n=1)]), "peaks.geojson").parts
    assert part.geometry_type == "Point" and "z_dropped" in codes(part)


def test_reserved_column_names_are_renamed(tmp_path):
    [part] = ingest(
        tmp_path, geojson_bytes([feature(POINT, fid="a", geom="b", Name="c", name="d")]), "p.geojson"
    ).parts
    assert [f["name"] for f in part.fields] == ["fid_2", "geom_2", "Name", "name_2"]
    assert "fields_renamed" in codes(part)


def test_geometry_collection_of_one_kind_is_taken(tmp_path):
    other = {"type": "Polygon", "coordinates": [[[37, -8], [37.1, -8], [37.1, -8.1], [37, -8]]]}
    collection = {"type": "GeometryCollection", "geometries": [SQUARE, other]}
    [part] = ingest(tmp_path, geojson_bytes([feature(collection, n=1)]), "gc.geojson").parts
    assert part.geometry_type == "MultiPolygon"


def test_kml_folders_become_layers(tmp_path):
    body = (
        f"<Folder><name>Wells</name>{placemark('W1', KML_POINT)}{placemark('W2', KML_POINT)}</Folder>"
        f"<Folder><name>Farms</name>{placemark('F1', KML_SQUARE)}</Folder>"
    )
    parts = ingest(tmp_path, kml_bytes(body), "survey.kml").parts
    assert [(p.base_title, p.family, p.row_count) for p in parts] == [
        ("Wells", "points", 2),
        ("Farms", "polygons", 1),
    ]
    assert parts[0].fields[0] == {"name": "Name", "type": "string"}
    assert "tessellate" not in [f["name"] for f in parts[0].fields]  # LIBKML's empty defaults are dropped


def test_kmz(tmp_path):
    data = zip_bytes({"doc.kml": kml_bytes(placemark("F1", KML_SQUARE)), "files/icon.png": b"\x89PNG"})
    [part] = ingest(tmp_path, data, "farms.kmz").parts
    assert part.family == "polygons" and part.row_count == 1


def test_gpx_waypoints_and_tracks(tmp_path):
    data = gpx_bytes(
        waypoints=[(36.1, -8.1), (36.2, -8.2)], track=[(36.1, -8.1), (36.15, -8.12), (36.2, -8.2)]
    )
    parts = ingest(tmp_path, data, "walk.gpx").parts
    assert [(p.layer, p.family, p.row_count) for p in parts] == [
        ("waypoints", "points", 2),
        ("tracks", "lines", 1),
    ]


def test_zipped_shapefile_in_a_projected_crs(tmp_path):
    data = zipped_shapefile([LAUSANNE], crs="EPSG:2056", stem="parcels", folder="export/")
    [part] = ingest(tmp_path, data, "parcels.zip").parts
    assert (part.layer, part.crs, part.row_count) == ("parcels", "EPSG:2056", 1)


def test_shapefile_without_prj_in_degrees_assumes_wgs84(tmp_path):
    data = zipped_shapefile([shapely.Polygon(SQUARE["coordinates"][0])], crs=None)
    [part] = ingest(tmp_path, data, "plots.zip").parts
    assert part.crs == "EPSG:4326" and "assumed_wgs84" in codes(part)


def test_geopackage_layers_each_become_a_part(tmp_path):
    data = gpkg_bytes(
        {
            "wells": ([shapely.Point(36.1, -8.1), shapely.Point(36.2, -8.2)], {"depth_m": [12.0, 30.5]}),
            "rivers": ([shapely.LineString([(36, -8), (36.3, -8.3)])], {"name": ["Ruaha"]}),
        }
    )
    parts = ingest(tmp_path, data, "landscape.gpkg").parts
    assert [(p.base_title, p.family, p.row_count) for p in parts] == [
        ("wells", "points", 2),
        ("rivers", "lines", 1),
    ]


def test_geopackage_attribute_tables_and_empty_layers(tmp_path):
    path = tmp_path / "mixed.gpkg"
    path.write_bytes(gpkg_bytes({"wells": ([shapely.Point(36.1, -8.1)], {"depth": [3]})}))
    # A plain table (no geometry column) and an empty vector layer next to the wells.
    crops = [np.array(["maize", "beans"], dtype=object)]
    pyogrio.raw.write(str(path), None, crops, fields=["crop"], layer="crops", driver="GPKG", append=True)
    pyogrio.raw.write(
        str(path),
        np.array([], dtype=object),
        [],
        fields=[],
        layer="nothing",
        driver="GPKG",
        append=True,
        geometry_type="Point",
        crs="EPSG:4326",
    )
    parts = ingest(tmp_path, path.read_bytes(), "mixed.gpkg").parts
    assert [(p.base_title, p.kind) for p in parts] == [("wells", "vector"), ("crops", "table")]
    assert "empty_layers_skipped" in codes(parts[0])


def test_flatgeobuf(tmp_path):
    data = fgb_bytes([shapely.LineString([(36, -8), (36.3, -8.3)])], {"name": ["Ruaha"]})
    [part] = ingest(tmp_path, data, "rivers.fgb").parts
    assert (part.family, part.geometry_type, part.base_title) == ("lines", "LineString", "rivers")


# --- The awkward-but-valid fixtures: each is taken, with a warning ----------------------------


@pytest.mark.parametrize(
    "name,geometry_type,warning",
    [
        ("curve.gpkg", "LineString", "curves_linearised"),
        ("curvepolygon.gpkg", "Polygon", "curves_linearised"),
        ("multisurface.gpkg", "MultiPolygon", "curves_linearised"),
        ("line_zm.gpkg", "LineString", "m_dropped"),
    ],
)
def test_curved_and_measured_fixtures_are_taken(tmp_path, shared_data, name, geometry_type, warning):
    path = shared_data / "fixtures" / "vector" / name
    [part] = ingest(tmp_path, path.read_bytes(), name).parts
    assert part.geometry_type == geometry_type and warning in codes(part)
    _meta, _fids, geometry, _fields = pyogrio.raw.read(part.normalised)
    assert not shapely.has_z(shapely.from_wkb(geometry)).any()


def test_numeric_nulls_keep_their_types(tmp_path, shared_data):
    path = shared_data / "fixtures" / "vector" / "test_gpkg_nulls.gpkg"
    [part] = ingest(tmp_path, path.read_bytes(), "nulls.gpkg").parts
    types = {f["name"]: f["type"] for f in part.fields}
    assert (
        types["col_bool"] == "boolean"
        and types["col_int64"] == "integer"
        and types["col_float64"] == "number"
    )
    meta, _fids, _geometry, _fields = pyogrio.raw.read(part.normalised)
    assert dict(zip(meta["fields"], meta["ogr_types"], strict=True))["col_int64"] == "OFTInteger64"


def test_openstreetmap_extract_is_refused_clearly(tmp_path, shared_data):
    data = (shared_data / "fixtures" / "vector" / "sample.osm.pbf").read_bytes()
    assert "QGIS" in refused(tmp_path, data, "sample.osm.pbf", "osm_not_supported").message


def test_real_natural_earth_shapefile(tmp_path, shared_data):
    folder = shared_data / "real" / "naturalearth_lowres"
    data = zip_bytes({p.name: p.read_bytes() for p in folder.iterdir()})
    [part] = ingest(tmp_path, data, "naturalearth_lowres.zip").parts
    assert (part.row_count, part.crs, part.geometry_type) == (177, "EPSG:4326", "MultiPolygon")
    assert {"name", "iso_a3", "pop_est"} <= {f["name"] for f in part.fields}


def test_real_lausanne_boundary(tmp_path, shared_data):
    data = (shared_data / "real" / "lausanne" / "gmb-lausanne.gpkg").read_bytes()
    [part] = ingest(tmp_path, data, "gmb-lausanne.gpkg").parts
    assert (part.layer, part.crs, part.row_count) == ("gmblausanne", "EPSG:2056", 1)
    west, south, east, north = part.bbox_4326
    assert 6.5 < west < east < 6.8 and 46.4 < south < north < 46.7


# --- Bad input -----------------------------------------------------------------------------------


def test_truncated_geojson_says_where_it_breaks(tmp_path):
    data = geojson_bytes([feature(SQUARE, n=1)] * 3)
    error = refused(tmp_path, data[:-40], "plots.geojson", "invalid_json")
    assert error.params["line"] == 1 and error.params["column"] > 1


def test_json_that_is_not_geojson(tmp_path):
    refused(tmp_path, b'{"rows": [1, 2, 3]}', "data.json", "not_geojson")


def test_empty_layers_are_refused(tmp_path):
    refused(tmp_path, geojson_bytes([]), "empty.geojson", "no_features")
    refused(tmp_path, kml_bytes("<Folder><name>Nothing</name></Folder>"), "empty.kml", "no_features")


def test_projected_coordinates_in_a_geographic_file_name_the_feature(tmp_path):
    data = geojson_bytes(
        [feature(POINT, n=1), feature({"type": "Point", "coordinates": [538000, 152000]}, n=2)]
    )
    error = refused(tmp_path, data, "utm.geojson", "coordinates_not_lonlat")
    assert error.params["feature"] == 2


def test_huge_coordinates_name_the_feature(tmp_path):
    data = geojson_bytes([feature(POINT, n=1), feature({"type": "Point", "coordinates": [1e300, 5]}, n=2)])
    assert refused(tmp_path, data, "huge.geojson", "coordinate_too_large").params["feature"] == 2


def test_collection_mixing_kinds_is_refused(tmp_path):
    collection = {"type": "GeometryCollection", "geometries": [POINT, SQUARE]}
    error = refused(tmp_path, geojson_bytes([feature(collection, n=1)]), "gc.geojson", "mixed_collection")
    assert error.params["feature"] == 1


def test_kml_with_entities_is_refused(tmp_path):
    prolog = '<!DOCTYPE kml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    refused(tmp_path, kml_bytes(placemark("&lol2;", KML_POINT), prolog=prolog), "bomb.kml", "xml_forbidden")


def test_truncated_kml_says_where_it_breaks(tmp_path):
    data = kml_bytes(placemark("F1", KML_SQUARE))
    assert refused(tmp_path, data[:-30], "cut.kml", "corrupt_xml").params["format"] == "KML"


def test_shapefile_without_prj_in_metres_is_refused(tmp_path):
    refused(tmp_path, zipped_shapefile([LAUSANNE], crs=None), "parcels.zip", "no_crs_not_lonlat")


def test_zip_with_several_shapefiles_is_refused_naming_them(tmp_path):
    members = {
        **shapefile_parts([LAUSANNE], crs="EPSG:2056", stem="a"),
        **shapefile_parts([LAUSANNE], crs="EPSG:2056", stem="b"),
    }
    error = refused(tmp_path, zip_bytes(members), "two.zip", "zip_multiple_shapefiles")
    assert "a.shp, b.shp" in error.message


def test_zip_without_a_shapefile_is_refused(tmp_path):
    refused(
        tmp_path, zip_bytes({"readme.txt": b"hello", "data.csv": b"a,b\n1,2\n"}), "stuff.zip", "zip_no_data"
    )


def test_shapefile_missing_its_dbf(tmp_path):
    parts = {k: v for k, v in shapefile_parts([LAUSANNE], crs="EPSG:2056").items() if not k.endswith(".dbf")}
    error = refused(tmp_path, zip_bytes(parts), "parcels.zip", "shapefile_missing_parts")
    assert error.params["missing"] == ".dbf"


def test_zip_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.shp", b"\x00" * (300 * 1024 * 1024))
        archive.writestr("bomb.shx", b"x")
        archive.writestr("bomb.dbf", b"x")
    refused(tmp_path, buffer.getvalue(), "bomb.zip", "zip_compression_ratio")


def test_paths_escaping_the_archive_are_refused(tmp_path):
    members = {"doc.kml": kml_bytes(placemark("F1", KML_SQUARE)), "../../etc/evil.kml": b"<kml/>"}
    assert (
        refused(tmp_path, zip_bytes(members), "trick.kmz", "zip_unsafe_path").params["member"]
        == "../../etc/evil.kml"
    )


def test_truncated_zip_is_refused(tmp_path):
    data = zipped_shapefile([LAUSANNE], crs="EPSG:2056")
    refused(tmp_path, data[: len(data) // 2], "cut.zip", "corrupt_zip")


def test_corrupt_geopackage_is_refused(tmp_path):
    data = gpkg_bytes({"wells": ([shapely.Point(36.1, -8.1)], {"depth": [3]})})
    refused(tmp_path, data[:3000], "cut.gpkg", "corrupt_file")


def test_large_xml_is_scanned_for_declarations_instead_of_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "XML_FULL_PARSE_BYTES", 100)
    padded = "<!--" + "x" * 5000 + "-->"
    bomb = kml_bytes(placemark("W1", KML_POINT), prolog=f'{padded}<!DOCTYPE kml [<!ENTITY a "b">]>')
    refused(tmp_path, bomb, "padded.kml", "xml_forbidden")
    [part] = ingest(tmp_path, kml_bytes(placemark("W1", KML_POINT)), "big.kml").parts
    assert part.row_count == 1
