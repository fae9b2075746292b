"""GeoJSON uploads: structure, geometry checks, CRS handling and dissolving."""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod, Transformer

from landmosaic.core.geo import parse_boundary_file

from .builders import BOWTIE, SQUARE, collection, dumps, feature, polygon, square

GEOD = Geod(ellps="WGS84")


def parse(document: object, filename: str = "boundary.geojson"):
    return parse_boundary_file(data=dumps(document), filename=filename)


def expected_area_ha(ring: list[list[float]]) -> float:
    lons, lats = zip(*ring, strict=True)
    area, _ = GEOD.polygon_area_perimeter(lons, lats)
    return abs(area) / 10_000


@pytest.mark.parametrize(
    "document",
    [collection(polygon(SQUARE)), feature(polygon(SQUARE)), polygon(SQUARE)],
    ids=["FeatureCollection", "Feature", "bare geometry"],
)
def test_square_in_every_geojson_shape(document):
    boundary = parse(document)
    assert boundary.geometry["type"] == "Polygon"
    assert boundary.source_format == "geojson"
    assert boundary.source_crs == "EPSG:4326"
    assert boundary.area_ha == pytest.approx(expected_area_ha(SQUARE), rel=1e-6)
    assert boundary.bbox == pytest.approx((6.60, 46.50, 6.61, 46.51))
    assert boundary.centroid == pytest.approx((6.605, 46.505), abs=1e-4)
    assert boundary.vertex_count == 5
    assert boundary.warnings == ()


def test_output_is_rounded_and_counter_clockwise():
    clockwise = [
        [6.6000000001, 46.5],
        [6.6, 46.5123456789],
        [6.61, 46.51],
        [6.61, 46.5],
        [6.6000000001, 46.5],
    ]
    boundary = parse(polygon(clockwise))
    ring = boundary.geometry["coordinates"][0]
    assert all(len(repr(value).split(".")[-1]) <= 7 for position in ring for value in position)
    assert [6.6, 46.5123457] in ring
    assert shapely.LinearRing(ring).is_ccw  # RFC 7946 right-hand rule


def test_hole_is_subtracted_from_area():
    hole = [[6.602, 46.502], [6.602, 46.504], [6.604, 46.504], [6.604, 46.502], [6.602, 46.502]]
    boundary = parse(polygon(SQUARE, hole))
    assert len(boundary.geometry["coordinates"]) == 2
    assert boundary.area_ha == pytest.approx(expected_area_ha(SQUARE) - expected_area_ha(hole), rel=1e-6)


def test_overlapping_features_dissolve_into_one_polygon():
    boundary = parse(collection(polygon(square(6.60, 46.50)), polygon(square(6.605, 46.505))))
    assert boundary.geometry["type"] == "Polygon"
    assert [w.code for w in boundary.warnings] == ["features_dissolved"]
    assert "2 polygon features of boundary.geojson were merged" in boundary.warnings[0].message


def test_disjoint_features_become_a_multipolygon():
    boundary = parse(collection(polygon(square(6.60, 46.50)), polygon(square(6.70, 46.50))))
    assert boundary.geometry["type"] == "MultiPolygon"
    assert len(boundary.geometry["coordinates"]) == 2
    assert boundary.area_ha == pytest.approx(2 * expected_area_ha(square()), rel=1e-3)


def test_overlapping_parts_of_one_multipolygon_are_dissolved_not_refused():
    multi = {"type": "MultiPolygon", "coordinates": [[square(6.60, 46.50)], [square(6.605, 46.50)]]}
    assert parse(multi).geometry["type"] == "Polygon"


def test_features_without_geometry_are_ignored_with_a_warning():
    boundary = parse(collection(None, polygon(SQUARE), {"type": "Polygon", "coordinates": []}))
    assert [w.code for w in boundary.warnings] == ["features_without_geometry"]
    assert boundary.warnings[0].params["count"] == 2


def test_utf8_bom_and_whitespace_are_accepted():
    data = b"\xef\xbb\xbf\n  " + dumps(polygon(SQUARE))
    assert parse_boundary_file(data=data, filename="boundary.geojson").area_ha > 0


def test_third_dimension_is_dropped():
    ring = [[x, y, 512.0] for x, y in SQUARE]
    assert all(len(position) == 2 for position in parse(polygon(ring)).geometry["coordinates"][0])


def test_geometry_collection_of_polygons_is_accepted():
    document = {"type": "GeometryCollection", "geometries": [polygon(square(6.6)), polygon(square(6.7))]}
    assert parse(document).geometry["type"] == "MultiPolygon"


# Refusals


def test_line_feature_is_refused_naming_the_feature(refused):
    line = {"type": "LineString", "coordinates": [[6.6, 46.5], [6.7, 46.6]]}
    error = refused(
        "not_polygon", dumps(collection(polygon(SQUARE), polygon(SQUARE), line)), "boundary.geojson"
    )
    assert error.params == {"feature": 3, "filename": "boundary.geojson", "geom_type": "LineString"}
    assert error.message == (
        "Feature 3 of boundary.geojson is a LineString; a boundary must be a polygon. "
        "Draw the area or export the layer as polygons."
    )


@pytest.mark.parametrize("kind", ["Point", "MultiPoint", "MultiLineString"])
def test_points_and_lines_are_refused(refused, kind):
    coordinates = {
        "Point": [6.6, 46.5],
        "MultiPoint": [[6.6, 46.5]],
        "MultiLineString": [[[6.6, 46.5], [7, 47]]],
    }
    error = refused("not_polygon", dumps({"type": kind, "coordinates": coordinates[kind]}), "b.geojson")
    assert error.params["geom_type"] == kind


def test_point_inside_a_geometry_collection_is_refused(refused):
    document = {
        "type": "GeometryCollection",
        "geometries": [polygon(SQUARE), {"type": "Point", "coordinates": [6, 46]}],
    }
    refused("not_polygon", dumps(document), "b.geojson")


def test_truncated_json_reports_line_and_column(refused):
    data = json.dumps(collection(polygon(SQUARE)), indent=1).encode()[:-40]
    error = refused("invalid_json", data, "boundary.geojson")
    assert error.params["line"] > 1
    assert "line" in error.message


def test_invalid_utf8_is_invalid_json(refused):
    refused("invalid_json", b'{"type": "Feature", "name": "\xff\xfe\xfa"}', "b.geojson")


def test_absurdly_nested_json_is_invalid_json(refused):
    refused("invalid_json", b"[" * 100_000 + b"]" * 100_000, "b.geojson")


@pytest.mark.parametrize(
    "document",
    [[1, 2, 3], {"features": []}, {"type": "Banana"}, {"type": "FeatureCollection", "features": 3}],
)
def test_json_that_is_not_geojson(refused, document):
    refused("invalid_geojson", dumps(document), "b.geojson")


@pytest.mark.parametrize(
    ("document", "label"),
    [
        ({"type": "Topology", "objects": {}}, "TopoJSON"),
        ({"geometryType": "esriGeometryPolygon", "features": [{"geometry": {"rings": []}}]}, "Esri JSON"),
    ],
)
def test_other_json_formats_are_named(refused, document, label):
    assert refused("unsupported_format", dumps(document), "b.json").params["format"] == label


def test_empty_feature_collection_has_no_features(refused):
    refused("no_features", dumps(collection()), "b.geojson")
    refused("no_features", dumps(collection(None, None)), "b.geojson")


@pytest.mark.parametrize(
    "coordinates",
    [
        [[["6.6", "46.5"], ["6.7", "46.5"], ["6.7", "46.6"], ["6.6", "46.5"]]],  # strings
        [[[6.6, 46.5], [6.7], [6.7, 46.6], [6.6, 46.5]]],  # ragged
        [[[6.6, 46.5], [6.7, None], [6.7, 46.6], [6.6, 46.5]]],
        [[6.6, 46.5]],  # one level too shallow
        "6.6 46.5",
    ],
)
def test_malformed_coordinates(refused, coordinates):
    document = collection({"type": "Polygon", "coordinates": coordinates})
    assert refused("malformed_geometry", dumps(document), "b.geojson").params["feature"] == 1


def test_feature_that_is_not_a_feature(refused):
    refused(
        "malformed_geometry", dumps({"type": "FeatureCollection", "features": [polygon(SQUARE)]}), "b.geojson"
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_coordinates(refused, literal):
    text = json.dumps(polygon(SQUARE)).replace("6.61", literal, 1)
    assert refused("invalid_coordinate", text.encode(), "b.geojson").params["feature"] == 1


def test_huge_coordinates(refused):
    ring = [[0, 0], [1e300, 0], [1e300, 1e300], [0, 0]]
    error = refused("coordinate_too_large", dumps(polygon(ring)), "b.geojson")
    assert error.params["value"] == "1e+300"


def test_ring_with_three_positions(refused):
    ring = [[6.6, 46.5], [6.7, 46.5], [6.6, 46.5]]
    error = refused(
        "too_few_positions", dumps(collection(polygon(SQUARE), polygon(SQUARE, ring))), "b.geojson"
    )
    assert error.params == {"feature": 2, "filename": "b.geojson", "ring": 2, "count": 3}


def test_open_ring(refused):
    ring = [*SQUARE[:-1], [6.6, 46.505]]
    refused("ring_not_closed", dumps(polygon(ring)), "b.geojson")


def test_projected_coordinates_without_crs_member(refused):
    ring = [[2538000, 1152000], [2539000, 1152000], [2539000, 1153000], [2538000, 1152000]]
    error = refused("coordinates_out_of_range", dumps(polygon(ring)), "lausanne.geojson")
    assert error.params["x"] == "2538000"
    assert "EPSG:4326" in error.message
    assert "GeoJSON must use longitude/latitude" in error.message


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2056"}},
        {"type": "name", "properties": {"name": "EPSG:2056"}},
        {"type": "EPSG", "properties": {"code": 2056}},
    ],
)
def test_legacy_crs_member_is_reprojected(crs):
    ring = [
        [2538000, 1152000],
        [2539000, 1152000],
        [2539000, 1153000],
        [2538000, 1153000],
        [2538000, 1152000],
    ]
    boundary = parse(collection(polygon(ring), crs=crs))
    assert boundary.source_crs == "EPSG:2056"
    assert boundary.area_ha == pytest.approx(100, rel=0.002)  # LV95 distorts areas by well under 0.1 %
    centre = Transformer.from_crs("EPSG:2056", "EPSG:4326", always_xy=True).transform(2538500, 1152500)
    assert boundary.centroid == pytest.approx(centre, abs=1e-6)
    assert [w.code for w in boundary.warnings] == ["reprojected"]


def test_legacy_crs84_member_is_plain_lonlat():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    boundary = parse(collection(polygon(SQUARE), crs=crs))
    assert boundary.warnings == ()
    assert boundary.bbox == pytest.approx((6.60, 46.50, 6.61, 46.51))


def test_projected_coordinates_under_a_geographic_crs_member(refused):
    ring = [[2538000, 1152000], [2539000, 1152000], [2539000, 1153000], [2538000, 1152000]]
    crs = {"type": "name", "properties": {"name": "EPSG:4326"}}
    refused("coordinates_outside_crs", dumps(collection(polygon(ring), crs=crs)), "b.geojson")


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "EPSG:999999"}},
        {"type": "link", "properties": {"href": "http://example.com/crs", "type": "proj4"}},
        "EPSG:2056",
    ],
)
def test_unknown_crs_member(refused, crs):
    refused("unknown_crs", dumps(collection(polygon(SQUARE), crs=crs)), "b.geojson")


def test_coordinates_outside_the_projection_domain(refused):
    ring = [[4e7, 4e7], [4.1e7, 4e7], [4.1e7, 4.1e7], [4e7, 4e7]]
    crs = {"type": "name", "properties": {"name": "EPSG:3035"}}
    error = refused("reprojection_failed", dumps(collection(polygon(ring), crs=crs)), "b.geojson")
    assert error.params["crs"] == "EPSG:3035"


def test_self_intersection_says_where(refused):
    error = refused("self_intersection", dumps(collection(polygon(SQUARE), polygon(BOWTIE))), "b.geojson")
    assert error.params["feature"] == 2
    assert (error.params["lon"], error.params["lat"]) == ("6.605", "46.505")
    assert "near longitude 6.605, latitude 46.505" in error.message


def test_other_invalidity_names_the_reason(refused):
    hole_outside = [[6.7, 46.7], [6.71, 46.7], [6.71, 46.71], [6.7, 46.7]]
    error = refused("invalid_polygon", dumps(polygon(SQUARE, hole_outside)), "b.geojson")
    assert error.params["reason"] == "Hole lies outside shell"


def test_collinear_ring_has_zero_area(refused):
    ring = [[6.6, 46.5], [6.7, 46.5], [6.8, 46.5], [6.6, 46.5]]
    refused("zero_area", dumps(polygon(ring)), "b.geojson")


def test_sub_centimetre_boundary_is_too_small(refused):
    refused("boundary_too_small", dumps(polygon(square(6.6, 46.5, size=1e-9))), "b.geojson")


def test_vertex_limit(refused):
    document = collection(polygon(SQUARE), polygon(square(7)), polygon(square(8)))
    error = refused("too_many_vertices", dumps(document), "b.geojson", max_vertices=12)
    assert error.params["limit"] == 12
    assert parse_boundary_file(data=dumps(document), filename="b.geojson").vertex_count == 15


def test_crs_without_authority_code_keeps_its_wkt_and_names_it_in_messages():
    wkt = (
        'PROJCS["Custom LV95",GEOGCS["Bessel",'
        'DATUM["D_Bessel",SPHEROID["Bessel_1841",6377397.155,299.1528128]],'
        'PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]],'
        'PROJECTION["Hotine_Oblique_Mercator_Azimuth_Center"],'
        'PARAMETER["False_Easting",2600000.0],PARAMETER["False_Northing",1200000.0],PARAMETER["Scale_Factor",1.0],'
        'PARAMETER["Azimuth",90.0],PARAMETER["Longitude_Of_Center",7.43958333333333],'
        'PARAMETER["Latitude_Of_Center",46.9524055555556],UNIT["Meter",1.0]]'
    )
    ring = [
        [2538000, 1152000],
        [2539000, 1152000],
        [2539000, 1153000],
        [2538000, 1153000],
        [2538000, 1152000],
    ]
    boundary = parse(collection(polygon(ring), crs={"type": "name", "properties": {"name": wkt}}))
    assert boundary.source_crs.startswith('PROJCRS["Custom LV95"')
    assert boundary.warnings[0].message == (
        "boundary.geojson was converted from Custom LV95 to longitude/latitude (EPSG:4326)."
    )
    assert boundary.area_ha == pytest.approx(100, rel=0.002)


def test_rounding_that_would_break_validity_snaps_topologically_instead():
    # The hole is 4 mm inside the shell; rounded to 7 decimals its edge would lie on the shell's edge.
    hole = [[6.602, 46.50000004], [6.604, 46.50000004], [6.603, 46.505], [6.602, 46.50000004]]
    assert shapely.Polygon(SQUARE, [hole]).is_valid
    boundary = parse(polygon(SQUARE, hole))
    shape = shapely.geometry.shape(boundary.geometry)
    assert shape.is_valid
    assert boundary.area_ha == pytest.approx(expected_area_ha(SQUARE) - expected_area_ha(hole), rel=1e-4)
