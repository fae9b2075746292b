"""Centroid, bbox and the simplified geometry used by the directory map."""

from __future__ import annotations

import math

import pytest
import shapely

from landmosaic.core.geo import boundary_from_geojson, geometry_bbox, simplify_for_display
from landmosaic.core.geo.measure import equal_area_centroid, geodesic_area_ha

from .builders import SQUARE, polygon


def circle(lon: float, lat: float, radius_m: float, points: int = 2000) -> dict:
    """A circle of radius_m metres, approximately, as a GeoJSON polygon."""
    ring = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        dx = radius_m * math.cos(angle) / (111_320 * math.cos(math.radians(lat)))
        dy = radius_m * math.sin(angle) / 111_320
        ring.append([lon + dx, lat + dy])
    return polygon([*ring, ring[0]])


def test_centroid_outside_a_c_shaped_polygon_is_still_returned():
    c_shape = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
    ring = [[6 + x / 100, 46 + y / 100] for x, y in c_shape]
    boundary = boundary_from_geojson(geometry=polygon(ring))
    minx, miny, maxx, maxy = boundary.bbox
    assert minx <= boundary.centroid[0] <= maxx and miny <= boundary.centroid[1] <= maxy
    annulus = boundary_from_geojson(
        geometry=polygon(
            SQUARE, [[6.602, 46.502], [6.602, 46.508], [6.608, 46.508], [6.608, 46.502], [6.602, 46.502]]
        )
    )
    assert not shapely.geometry.shape(annulus.geometry).contains(shapely.Point(annulus.centroid))
    assert annulus.centroid == pytest.approx((6.605, 46.505), abs=1e-4)


def test_equal_area_centroid_is_not_the_naive_degree_centroid_at_high_latitude():
    triangle = shapely.Polygon([(0, 60), (40, 60), (20, 80), (0, 60)])
    lon, lat = equal_area_centroid(triangle)
    assert lon == pytest.approx(20, abs=1e-6)
    assert abs(lat - triangle.centroid.y) > 0.5


def test_area_does_not_depend_on_ring_orientation():
    ccw = shapely.Polygon(SQUARE)
    assert geodesic_area_ha(ccw) == pytest.approx(geodesic_area_ha(ccw.reverse()))


def test_geometry_bbox():
    assert geometry_bbox(geometry=polygon(SQUARE)) == pytest.approx((6.60, 46.50, 6.61, 46.51))
    assert geometry_bbox(geometry={"type": "Point", "coordinates": [6.6, 46.5]}) == (6.6, 46.5, 6.6, 46.5)


def test_simplify_for_display_keeps_shape_within_tolerance():
    geometry = boundary_from_geojson(geometry=circle(6.63, 46.52, 2000)).geometry
    light = simplify_for_display(geometry=geometry, tolerance_m=20)
    original, simplified = shapely.geometry.shape(geometry), shapely.geometry.shape(light)
    assert len(light["coordinates"][0]) < len(geometry["coordinates"][0]) / 5
    assert simplified.is_valid
    # 20 m at this latitude: well under 0.0005 degrees in either direction.
    assert original.hausdorff_distance(simplified) < 20 / (111_320 * math.cos(math.radians(46.52)))
    assert simplified.area == pytest.approx(original.area, rel=0.01)


def test_simplify_for_display_preserves_holes_and_multipolygons():
    holes = circle(6.63, 46.52, 500)["coordinates"][0][::-1]
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [[circle(6.63, 46.52, 2000)["coordinates"][0], holes], [square_ring(7)]],
    }
    light = simplify_for_display(geometry=geometry, tolerance_m=50)
    assert light["type"] == "MultiPolygon"
    assert len(light["coordinates"][0]) == 2
    assert shapely.geometry.shape(light).is_valid


def square_ring(x0: float) -> list[list[float]]:
    return [[x0, 46], [x0 + 0.01, 46], [x0 + 0.01, 46.01], [x0, 46.01], [x0, 46]]


def test_simplify_for_display_leaves_points_and_zero_tolerance_alone():
    point = {"type": "Point", "coordinates": [6.6, 46.5]}
    assert simplify_for_display(geometry=point, tolerance_m=100) == point
    assert simplify_for_display(geometry=polygon(SQUARE), tolerance_m=0) == polygon(SQUARE)


def test_simplify_never_collapses_a_small_polygon():
    light = simplify_for_display(geometry=polygon(SQUARE), tolerance_m=50_000)
    assert len(light["coordinates"][0]) >= 4
    assert shapely.geometry.shape(light).area > 0
