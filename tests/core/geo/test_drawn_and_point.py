"""Boundaries drawn on the web map and single points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from landmosaic.core.geo import (
    MESSAGES,
    BoundaryError,
    BoundaryLimits,
    boundary_from_geojson,
    boundary_from_point,
)

from .builders import BOWTIE, SQUARE, polygon, square


def test_drawn_polygon():
    boundary = boundary_from_geojson(geometry=polygon(SQUARE))
    assert boundary.source_format == "drawn"
    assert boundary.source_crs == "EPSG:4326"
    assert boundary.area_ha == pytest.approx(85.25, rel=1e-3)


def test_drawn_multipolygon():
    geometry = {"type": "MultiPolygon", "coordinates": [[square(6.6)], [square(6.7)]]}
    assert boundary_from_geojson(geometry=geometry).geometry["type"] == "MultiPolygon"


def test_drawn_line_is_refused_with_a_translatable_label():
    with pytest.raises(BoundaryError) as info:
        boundary_from_geojson(geometry={"type": "LineString", "coordinates": SQUARE})
    error = info.value
    assert error.code == "not_polygon"
    assert error.message.startswith("Feature 1 of the drawn area is a LineString")
    french = {
        "the drawn area": "la zone dessinée",
        MESSAGES["not_polygon"]: "L'entité %(feature)s de %(filename)s est un %(geom_type)s.",
    }
    assert (
        error.render(lambda text: french.get(text, text))
        == "L'entité 1 de la zone dessinée est un LineString."
    )


def test_drawn_self_intersection():
    with pytest.raises(BoundaryError) as info:
        boundary_from_geojson(geometry=polygon(BOWTIE))
    assert info.value.code == "self_intersection"


def test_drawn_vertex_limit():
    with pytest.raises(BoundaryError) as info:
        boundary_from_geojson(geometry=polygon(SQUARE), limits=BoundaryLimits(max_vertices=4))
    assert info.value.code == "too_many_vertices"


def test_drawn_geometry_that_is_not_geojson():
    with pytest.raises(BoundaryError) as info:
        boundary_from_geojson(geometry={"lat": 46.5})
    assert info.value.code == "invalid_geojson"


def test_point():
    boundary = boundary_from_point(lon=6.63212345678, lat=46.52)
    assert boundary.geometry == {"type": "Point", "coordinates": [6.6321235, 46.52]}
    assert boundary.area_ha is None
    assert boundary.centroid == (6.6321235, 46.52)
    assert boundary.bbox == (6.6321235, 46.52, 6.6321235, 46.52)
    assert (boundary.vertex_count, boundary.source_format, boundary.warnings) == (1, "point", ())


def test_point_from_numpy_numbers():
    boundary = boundary_from_point(lon=np.float64(6.6), lat=np.int64(46))
    assert boundary.geometry == {"type": "Point", "coordinates": [6.6, 46.0]}
    assert type(boundary.centroid[0]) is float


@pytest.mark.parametrize(
    ("lon", "lat"), [(200, 46), (6, -91), (math.nan, 46), (6, math.inf), (True, 46), ("6.6", 46.5)]
)
def test_invalid_point(lon, lat):
    with pytest.raises(BoundaryError) as info:
        boundary_from_point(lon=lon, lat=lat)
    assert info.value.code == "invalid_point"
    assert "longitude must be between -180 and 180" in info.value.message


def test_public_functions_are_keyword_only():
    with pytest.raises(TypeError):
        boundary_from_point(6.6, 46.5)  # type: ignore[misc]
    with pytest.raises(TypeError):
        boundary_from_geojson(polygon(SQUARE))  # type: ignore[misc]
