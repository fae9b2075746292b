"""Property tests: valid rectangles always parse; arbitrary input only ever raises BoundaryError."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landmosaic.core.geo import BoundaryError, parse_boundary_file

from .builders import gpx, kml, kml_polygon, zip_bytes

# No example database: it would be written to .hypothesis/ in the working directory.
# GEO_HYPOTHESIS_EXAMPLES=5000 for a longer fuzzing run.
PROPERTY = settings(
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("GEO_HYPOTHESIS_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def rectangles(draw: st.DrawFn) -> list[list[float]]:
    """Lon/lat rectangles up to 1 degree, no thinner than 1:10.

    A long thin strip along a parallel is curved on the Earth, so its true centroid lies poleward,
    outside it; below 1:10 that bend (under 0.0011 degree for 1 degree) stays inside the rectangle.
    """
    minx = draw(st.floats(-179, 178))
    miny = draw(st.floats(-85, 84))
    width = draw(st.floats(1e-4, 1.0))
    height = draw(st.floats(max(1e-4, width / 10), min(1.0, width * 10)))
    maxx, maxy = minx + width, miny + height
    return [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]


@PROPERTY
@given(ring=rectangles(), as_kml=st.booleans())
def test_random_rectangles_round_trip(ring, as_kml):
    data = (
        kml(kml_polygon(ring)) if as_kml else json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()
    )
    boundary = parse_boundary_file(data=data, filename="r.kml" if as_kml else "r.geojson")
    minx, miny, maxx, maxy = boundary.bbox
    assert boundary.area_ha > 0
    assert minx <= boundary.centroid[0] <= maxx
    assert miny <= boundary.centroid[1] <= maxy
    assert abs(minx - ring[0][0]) < 1e-6 and abs(maxy - ring[2][1]) < 1e-6
    assert boundary.vertex_count == 5


def only_boundary_errors(data: bytes, filename: str) -> None:
    try:
        parse_boundary_file(data=data, filename=filename)
    except BoundaryError as error:
        assert error.message  # renders without a missing placeholder


FILENAMES = st.sampled_from(["b.geojson", "b.json", "b.kml", "b.kmz", "b.gpx", "b.zip", "b", "b.shp"])


@PROPERTY
@given(data=st.binary(max_size=2000), filename=FILENAMES)
def test_random_bytes_raise_only_boundary_errors(data, filename):
    only_boundary_errors(data, filename)


@PROPERTY
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"{", b"<kml>", b"<gpx>", b"\xef\xbb\xbf["]),
    rest=st.binary(max_size=500),
)
def test_random_bytes_behind_magic_numbers_raise_only_boundary_errors(prefix, rest):
    only_boundary_errors(prefix + rest, "b")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)
GEOJSON_KEYS = st.sampled_from(
    ["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "GeometryCollection", "Point"]
)


@PROPERTY
@given(kind=GEOJSON_KEYS, coordinates=JSON_VALUES, extra=JSON_VALUES)
def test_random_geojson_like_documents_raise_only_boundary_errors(kind, coordinates, extra):
    document = {
        "type": kind,
        "coordinates": coordinates,
        "geometry": {"type": "Polygon", "coordinates": coordinates},
        "geometries": [extra],
        "features": [{"type": "Feature", "geometry": extra}],
        "crs": extra if isinstance(extra, dict) else None,
    }
    only_boundary_errors(json.dumps(document).encode(), "b.geojson")


@PROPERTY
@given(
    points=st.lists(st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)), max_size=8),
    as_gpx=st.booleans(),
    zipped=st.booleans(),
)
def test_random_rings_in_xml_formats_raise_only_boundary_errors(points, as_gpx, zipped):
    ring = [list(point) for point in points]
    data = gpx(tracks=[ring]) if as_gpx else kml(kml_polygon(ring))
    if zipped and not as_gpx:
        data = zip_bytes({"doc.kml": data})
    only_boundary_errors(data, "b.kmz" if zipped else "b.xml")
