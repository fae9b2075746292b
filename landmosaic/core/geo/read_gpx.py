"""GPX reader: closed tracks and routes become polygon rings; open ones are refused."""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element

import numpy as np

from landmosaic.core.geo.crs import first_outside_lonlat
from landmosaic.core.geo.features import PolygonRings, SourceFeature, SourceLayer, check_vertex_limit
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage
from landmosaic.core.geo.safexml import children, local_name, parse_xml

# A walked boundary rarely ends on the exact point where it began; GPS noise is a few metres.
CLOSE_TOLERANCE_M = 50.0
EARTH_RADIUS_M = 6_371_008.8


def read_gpx(*, data: bytes, filename: str, max_vertices: int) -> SourceLayer:
    """Each <trk> or <rte> is one feature; each closed segment of it is one polygon."""
    root = parse_xml(data=data, filename=filename, corrupt_code="corrupt_gpx")
    features: list[SourceFeature] = []
    warnings: list[BoundaryMessage] = []
    vertices = 0
    number = 0
    for element in root:
        name = local_name(element)
        if name not in ("trk", "rte"):
            continue
        number += 1
        segments = children(element, "trkseg") if name == "trk" else [element]
        point_tag = "trkpt" if name == "trk" else "rtept"
        polygons: list[PolygonRings] = []
        for segment in segments:
            ring = _points(segment, point_tag, feature=number, filename=filename)
            if len(ring):
                polygons.append((_closed(ring, feature=number, filename=filename, warnings=warnings),))
        if polygons:
            vertices += sum(len(polygon[0]) for polygon in polygons)
            check_vertex_limit(count=vertices, limit=max_vertices, filename=filename)
            features.append(SourceFeature(number, tuple(polygons)))
    if not features and children(root, "wpt"):
        raise BoundaryError("not_polygon", feature=1, filename=filename, geom_type="Point")
    return SourceLayer(tuple(features), filename=filename, format_label="GPX", warnings=tuple(warnings))


def _points(segment: Element, tag: str, *, feature: int, filename: str) -> np.ndarray:
    try:
        positions = [
            (float(point.attrib["lon"]), float(point.attrib["lat"])) for point in children(segment, tag)
        ]
    except (KeyError, ValueError) as exc:
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename) from exc
    return np.array(positions, dtype=np.float64).reshape(-1, 2)


def _closed(ring: np.ndarray, *, feature: int, filename: str, warnings: list[BoundaryMessage]) -> np.ndarray:
    if np.array_equal(ring[0], ring[-1]):
        return ring
    if not np.isfinite(ring).all():  # let the common checks name the bad coordinate
        return ring
    outside = first_outside_lonlat(ring)
    if outside is not None:  # GPX is lon/lat by definition; distances would be meaningless
        raise BoundaryError("coordinates_out_of_range", filename=filename, format="GPX", **outside)
    gap = _distance_m(ring[0], ring[-1])
    if gap > CLOSE_TOLERANCE_M:
        raise BoundaryError("open_track", feature=feature, filename=filename, gap_m=f"{gap:.0f}")
    warnings.append(
        BoundaryMessage("track_closed", {"feature": feature, "filename": filename, "gap_m": f"{gap:.0f}"})
    )
    return np.vstack([ring, ring[:1]])


def _distance_m(a: np.ndarray, b: np.ndarray) -> float:
    """Haversine distance; precise enough to decide whether a track returns to its start."""
    lon1, lat1, lon2, lat2 = (math.radians(float(value)) for value in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
