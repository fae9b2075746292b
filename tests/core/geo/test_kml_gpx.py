"""KML, KMZ and GPX uploads, parsed with defusedxml."""

from __future__ import annotations

import pytest

from landmosaic.core.geo import parse_boundary_file

from .builders import BOWTIE, SQUARE, gpx, kml, kml_coordinates, kml_polygon, square, zip_bytes

HOLE = [[6.602, 46.502], [6.602, 46.504], [6.604, 46.504], [6.604, 46.502], [6.602, 46.502]]
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE kml [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&lol3;</name></Document></kml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx version="1.1"><trk><name>&xxe;</name></trk></gpx>"""


def parse(data: bytes, filename: str):
    return parse_boundary_file(data=data, filename=filename)


# KML


@pytest.mark.parametrize("namespace", [True, False], ids=["kml-2.2", "no-namespace"])
def test_kml_polygon_with_hole(namespace):
    boundary = parse(kml(kml_polygon(SQUARE, HOLE), namespace=namespace), "area.kml")
    assert boundary.source_format == "kml"
    assert boundary.source_crs == "EPSG:4326"
    assert len(boundary.geometry["coordinates"]) == 2
    assert boundary.area_ha == pytest.approx(85.25 - 3.41, rel=0.01)  # square minus hole


def test_google_earth_namespace_and_spaces_after_commas():
    data = (
        b'<kml xmlns="http://earth.google.com/kml/2.1"><Placemark><Polygon><outerBoundaryIs><LinearRing>'
        b"<coordinates>\n 6.60, 46.50 6.61,46.50\t6.61 ,46.51 6.60,46.51\n6.60,46.50 </coordinates>"
        b"</LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    assert parse(data, "old.kml").vertex_count == 5


def test_multigeometry_and_several_placemarks_dissolve():
    nested = f"<MultiGeometry>{kml_polygon(square(6.7))}</MultiGeometry>"
    multi = f"<MultiGeometry>{kml_polygon(square(6.6))}{nested}</MultiGeometry>"
    boundary = parse(kml(multi, kml_polygon(square(6.8))), "parts.kml")
    assert boundary.geometry["type"] == "MultiPolygon"
    assert len(boundary.geometry["coordinates"]) == 3
    assert [w.code for w in boundary.warnings] == ["features_dissolved"]


def test_placemark_without_geometry_is_ignored():
    boundary = parse(kml(kml_polygon(SQUARE), "<description>label only</description>"), "a.kml")
    assert [w.code for w in boundary.warnings] == ["features_without_geometry"]


@pytest.mark.parametrize(
    ("geometry", "geom_type"),
    [
        ("<Point><coordinates>6.6,46.5</coordinates></Point>", "Point"),
        (f"<LineString><coordinates>{kml_coordinates(SQUARE)}</coordinates></LineString>", "LineString"),
        (
            f"<MultiGeometry>{kml_polygon(SQUARE)}<Point><coordinates>6,46</coordinates></Point></MultiGeometry>",
            "Point",
        ),
    ],
)
def test_kml_non_polygons(refused, geometry, geom_type):
    error = refused("not_polygon", kml(kml_polygon(SQUARE), geometry), "walk.kml")
    assert error.params == {"feature": 2, "filename": "walk.kml", "geom_type": geom_type}


def test_kml_without_placemarks(refused):
    refused("no_features", kml(), "empty.kml")


def test_truncated_kml(refused):
    error = refused("corrupt_kml", kml(kml_polygon(SQUARE))[:-30], "cut.kml")
    assert error.params["line"] == 1
    assert error.params["column"] > 0


def test_kml_billion_laughs_is_refused(refused):
    refused("xml_forbidden", BILLION_LAUGHS, "lol.kml")


def test_kml_nan_and_garbage_coordinates(refused):
    nan_ring = [[float("nan"), 46.5], *SQUARE[1:]]
    refused("invalid_coordinate", kml(kml_polygon(nan_ring)), "a.kml")
    garbage = kml_polygon(SQUARE).replace("6.61,46.5,0", "6.61;46.5")
    refused("malformed_geometry", kml(garbage), "a.kml")


def test_kml_polygon_without_outer_ring(refused):
    error = refused("too_few_positions", kml("<Polygon></Polygon>"), "a.kml")
    assert error.params["count"] == 0


def test_kml_self_intersection(refused):
    refused("self_intersection", kml(kml_polygon(BOWTIE)), "a.kml")


def test_kml_with_projected_numbers(refused):
    ring = [[2538000, 1152000], [2539000, 1152000], [2539000, 1153000], [2538000, 1152000]]
    assert "KML must use" in refused("coordinates_out_of_range", kml(kml_polygon(ring)), "a.kml").message


# KMZ


@pytest.mark.parametrize("member", ["doc.kml", "files/area.kml"])
def test_kmz(member):
    data = zip_bytes({member: kml(kml_polygon(SQUARE)), "files/icon.png": b"\x89PNG..."})
    boundary = parse(data, "area.kmz")
    assert boundary.source_format == "kmz"
    assert boundary.warnings == ()


def test_kmz_prefers_root_doc_kml():
    data = zip_bytes(
        {
            "a/other.kml": kml("<Point><coordinates>6,46</coordinates></Point>"),
            "doc.kml": kml(kml_polygon(SQUARE)),
        }
    )
    assert parse(data, "area.kmz").area_ha > 0


def test_kmz_with_forbidden_xml(refused):
    refused("xml_forbidden", zip_bytes({"doc.kml": BILLION_LAUGHS}), "lol.kmz")


def test_kmz_with_broken_kml(refused):
    refused("corrupt_kml", zip_bytes({"doc.kml": b"<kml><Placemark>"}), "broken.kmz")


# GPX


def test_closed_track_becomes_a_polygon():
    boundary = parse(gpx(tracks=[SQUARE]), "walk.gpx")
    assert boundary.source_format == "gpx"
    assert boundary.geometry["type"] == "Polygon"
    assert boundary.warnings == ()


def test_closed_route_becomes_a_polygon():
    assert parse(gpx(routes=[SQUARE]), "route.gpx").vertex_count == 5


def test_track_ending_near_its_start_is_closed_with_a_warning():
    almost = [*SQUARE[:-1], [6.6001, 46.5001]]  # about 13 m from the start
    boundary = parse(gpx(tracks=[almost]), "walk.gpx")
    assert [w.code for w in boundary.warnings] == ["track_closed"]
    assert boundary.warnings[0].params["gap_m"] == "13"


def test_open_track_is_not_a_polygon(refused):
    open_track = SQUARE[:-1]
    error = refused("open_track", gpx(tracks=[SQUARE, open_track]), "walk.gpx")
    assert error.params["feature"] == 2
    assert error.params["gap_m"] == "1112"
    assert "is not a polygon" in error.message


def test_waypoints_only_are_points(refused):
    assert refused("not_polygon", gpx(waypoints=3), "points.gpx").params["geom_type"] == "Point"


def test_gpx_without_anything(refused):
    refused("no_features", gpx(), "empty.gpx")


def test_gpx_point_without_longitude(refused):
    data = b'<gpx version="1.1"><trk><trkseg><trkpt lat="46.5"/></trkseg></trk></gpx>'
    refused("malformed_geometry", data, "a.gpx")


def test_gpx_nan(refused):
    data = gpx(tracks=[SQUARE]).replace(b'lon="6.61"', b'lon="nan"', 1)
    refused("invalid_coordinate", data, "a.gpx")


def test_gpx_short_closed_track(refused):
    refused("too_few_positions", gpx(tracks=[[[6.6, 46.5], [6.61, 46.5], [6.6, 46.5]]]), "a.gpx")


def test_truncated_gpx(refused):
    refused("corrupt_gpx", gpx(tracks=[SQUARE])[:-20], "cut.gpx")


def test_gpx_external_entity_is_refused(refused):
    refused("xml_forbidden", EXTERNAL_ENTITY, "xxe.gpx")
