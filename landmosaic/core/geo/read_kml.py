"""KML reader: Placemarks with Polygon or MultiGeometry, in KML 2.2 or without namespace."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import numpy as np

from landmosaic.core.geo.features import PolygonRings, SourceFeature, SourceLayer, check_vertex_limit
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage
from landmosaic.core.geo.safexml import children, descendants, local_name, parse_xml

NON_POLYGONS = {
    "Point": "Point",
    "LineString": "LineString",
    "LinearRing": "LinearRing",
    "Track": "Track",
    "MultiTrack": "Track",
    "Model": "3D model",
}
_COMMA = re.compile(r"\s*,\s*")


def read_kml(*, data: bytes, filename: str, max_vertices: int, format_label: str = "KML") -> SourceLayer:
    """Polygons of every Placemark; any non-polygon geometry refuses the file."""
    root = parse_xml(data=data, filename=filename, corrupt_code="corrupt_kml")
    features: list[SourceFeature] = []
    empty = 0
    vertices = 0
    for number, placemark in enumerate(descendants(root, "Placemark"), start=1):
        polygons = _placemark_polygons(placemark, feature=number, filename=filename)
        if not polygons:
            empty += 1
            continue
        vertices += sum(len(ring) for polygon in polygons for ring in polygon)
        check_vertex_limit(count=vertices, limit=max_vertices, filename=filename)
        features.append(SourceFeature(number, tuple(polygons)))
    warnings: tuple[BoundaryMessage, ...] = ()
    if empty and features:
        warnings = (BoundaryMessage("features_without_geometry", {"filename": filename, "count": empty}),)
    return SourceLayer(tuple(features), filename=filename, format_label=format_label, warnings=warnings)


def _placemark_polygons(placemark: Element, *, feature: int, filename: str) -> list[PolygonRings]:
    polygons: list[PolygonRings] = []
    pending = list(placemark)
    while pending:
        element = pending.pop(0)
        name = local_name(element)
        if name == "MultiGeometry":
            pending = list(element) + pending
        elif name == "Polygon":
            polygons.append(_polygon(element, feature=feature, filename=filename))
        elif name in NON_POLYGONS:
            raise BoundaryError(
                "not_polygon", feature=feature, filename=filename, geom_type=NON_POLYGONS[name]
            )
    return polygons


def _polygon(element: Element, *, feature: int, filename: str) -> PolygonRings:
    outer = [
        ring for boundary in children(element, "outerBoundaryIs") for ring in children(boundary, "LinearRing")
    ]
    inner = [
        ring for boundary in children(element, "innerBoundaryIs") for ring in children(boundary, "LinearRing")
    ]
    if not outer:
        # A Polygon without an outer ring is reported like a ring with no positions.
        return (np.empty((0, 2)),)
    return tuple(_ring(ring, feature=feature, filename=filename) for ring in [outer[0], *inner])


def _ring(ring: Element, *, feature: int, filename: str) -> np.ndarray:
    text = " ".join((node.text or "") for node in children(ring, "coordinates"))
    tuples = _COMMA.sub(",", text.strip()).split()
    try:
        positions = [[float(value) for value in item.split(",")[:2]] for item in tuples]
    except ValueError as exc:
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename) from exc
    if any(len(position) < 2 for position in positions):
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
    return np.array(positions, dtype=np.float64).reshape(-1, 2)
