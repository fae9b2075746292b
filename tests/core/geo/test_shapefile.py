"""Zipped shapefiles, written with pyogrio in a temporary folder."""

from __future__ import annotations

import pytest
import shapely
from pyproj import Transformer

from landmosaic.core.geo import parse_boundary_file

from .builders import SQUARE, shapefile_parts, square, zip_bytes, zipped_shapefile

LV95_SQUARE = shapely.box(2538000, 1152000, 2539000, 1153000)  # 1 km² in Lausanne, EPSG:2056


def lonlat_polygon(x0: float = 6.60, y0: float = 46.50) -> shapely.Polygon:
    return shapely.Polygon(square(x0, y0))


def parse(data: bytes, filename: str = "boundary.zip"):
    return parse_boundary_file(data=data, filename=filename)


def test_shapefile_in_epsg_4326():
    boundary = parse(zipped_shapefile([lonlat_polygon()]))
    assert boundary.source_format == "shapefile"
    assert boundary.source_crs == "EPSG:4326"
    assert boundary.bbox == pytest.approx((6.60, 46.50, 6.61, 46.51))
    assert boundary.warnings == ()


def test_shapefile_in_a_sub_folder_with_macos_debris():
    members = {
        f"export/layers/{name}": content for name, content in shapefile_parts([lonlat_polygon()]).items()
    }
    members["__MACOSX/export/layers/._boundary.shp"] = b"\x00\x05\x16\x07 resource fork"
    members["export/readme.txt"] = b"boundary of the landscape"
    assert parse(zip_bytes(members)).area_ha > 0


def test_upper_case_extensions():
    members = {name.upper(): content for name, content in shapefile_parts([lonlat_polygon()]).items()}
    assert parse(zip_bytes(members)).area_ha > 0


def test_projected_shapefile_with_prj_is_reprojected():
    boundary = parse(zipped_shapefile([LV95_SQUARE], crs="EPSG:2056"))
    assert boundary.source_crs == "EPSG:2056"
    assert boundary.area_ha == pytest.approx(100, rel=0.002)
    centre = Transformer.from_crs("EPSG:2056", "EPSG:4326", always_xy=True).transform(2538500, 1152500)
    assert boundary.centroid == pytest.approx(centre, abs=1e-6)
    assert [w.code for w in boundary.warnings] == ["reprojected"]
    assert "from EPSG:2056 to longitude/latitude" in boundary.warnings[0].message


def test_prj_far_from_its_area_of_use_is_reprojected_with_a_warning():
    # UTM zone 32N numbers for a place in Australia: valid maths, wrong place.
    boundary = parse(zipped_shapefile([shapely.box(500000, -3000000, 501000, -2999000)], crs="EPSG:32632"))
    assert [w.code for w in boundary.warnings] == ["reprojected", "outside_crs_area"]


def test_missing_prj_with_lonlat_coordinates_assumes_wgs84():
    boundary = parse(zipped_shapefile([lonlat_polygon()], crs=None))
    assert boundary.source_crs == "EPSG:4326"
    assert [w.code for w in boundary.warnings] == ["assumed_wgs84"]
    assert boundary.warnings[0].message == (
        "boundary.zip has no coordinate reference system (.prj file); its coordinates look like "
        "longitude/latitude, so EPSG:4326 was assumed."
    )


def test_missing_prj_with_projected_coordinates(refused):
    error = refused("no_crs_not_lonlat", zipped_shapefile([LV95_SQUARE], crs=None), "parcels.zip")
    assert (error.params["x"], error.params["y"]) == ("2539000", "1152000")


def test_empty_prj_counts_as_missing():
    parts = shapefile_parts([lonlat_polygon()], crs=None)
    parts["boundary.prj"] = b"  "
    assert [w.code for w in parse(zip_bytes(parts)).warnings] == ["assumed_wgs84"]


def test_unreadable_prj(refused):
    parts = shapefile_parts([lonlat_polygon()])
    parts["boundary.prj"] = b'PROJCS["nonsense",GARBAGE'
    assert "nonsense" in refused("unknown_crs", zip_bytes(parts), "b.zip").params["crs"]


def test_multipolygon_and_dissolve():
    parts = [lonlat_polygon(6.60), shapely.MultiPolygon([lonlat_polygon(6.70), lonlat_polygon(6.80)])]
    boundary = parse(zipped_shapefile(parts, geometry_type="MultiPolygon"))
    assert boundary.geometry["type"] == "MultiPolygon"
    assert len(boundary.geometry["coordinates"]) == 3


def test_null_geometries_are_ignored():
    boundary = parse(zipped_shapefile([None, lonlat_polygon()]))
    assert [w.code for w in boundary.warnings] == ["features_without_geometry"]


def test_only_null_geometries(refused):
    refused("no_features", zipped_shapefile([None, None]), "b.zip")


@pytest.mark.parametrize(
    ("geometry", "geometry_type"),
    [(shapely.LineString(SQUARE), "LineString"), (shapely.Point(6.6, 46.5), "Point")],
)
def test_non_polygon_shapefiles(refused, geometry, geometry_type):
    data = zipped_shapefile([geometry, geometry], geometry_type=geometry_type)
    error = refused("not_polygon", data, "tracks.zip")
    assert error.params["feature"] == 1
    assert error.params["geom_type"] == geometry_type


def test_self_intersecting_shapefile_polygon(refused):
    bowtie = shapely.Polygon([(6.60, 46.50), (6.61, 46.51), (6.61, 46.50), (6.60, 46.51)])
    error = refused("self_intersection", zipped_shapefile([lonlat_polygon(7), bowtie]), "b.zip")
    assert error.params["feature"] == 2


@pytest.mark.parametrize(("dropped", "missing"), [(".shp", ".shp"), (".dbf", ".dbf"), (".shx", ".shx")])
def test_missing_parts(refused, dropped, missing):
    parts = {name: c for name, c in shapefile_parts([lonlat_polygon()]).items() if not name.endswith(dropped)}
    error = refused("shapefile_missing_parts", zip_bytes(parts), "b.zip")
    assert error.params["missing"] == missing
    assert error.params["member"] == "boundary.shp"


def test_corrupt_shp(refused):
    parts = shapefile_parts([lonlat_polygon()])
    parts["boundary.shp"] = b"this is not a shapefile at all" * 10
    refused("corrupt_shapefile", zip_bytes(parts), "b.zip")


def test_two_shapefiles_in_one_zip(refused):
    parts = {**shapefile_parts([lonlat_polygon()], stem="a"), **shapefile_parts([lonlat_polygon()], stem="b")}
    error = refused("zip_multiple_layers", zip_bytes(parts), "b.zip")
    assert error.params["names"] == "a.shp, b.shp"


def test_zip_without_shapefile_or_kml(refused):
    refused("zip_no_boundary", zip_bytes({"notes.txt": b"hello", "map.pdf": b"%PDF-1.4"}), "b.zip")


def test_vertex_limit_applies_to_shapefiles(refused):
    refused(
        "too_many_vertices",
        zipped_shapefile([lonlat_polygon(6.6), lonlat_polygon(6.7)]),
        "b.zip",
        max_vertices=9,
    )
