"""GeoJSON reader: FeatureCollection, Feature or bare geometry, with the legacy `crs` member."""

from __future__ import annotations

import json
from typing import Any

from landmosaic.core.geo.features import (
    PolygonRings,
    SourceFeature,
    SourceLayer,
    check_vertex_limit,
    ring_from_values,
)
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage

NON_POLYGON_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString"})
GEOMETRY_TYPES = NON_POLYGON_TYPES | {"Polygon", "MultiPolygon", "GeometryCollection"}


def load_json(*, data: bytes, filename: str) -> Any:
    """Decoded JSON, or invalid_json with the line and column where it breaks."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise BoundaryError("invalid_json", filename=filename, line=exc.lineno, column=exc.colno) from exc
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise BoundaryError("invalid_json", filename=filename, line=line, column=column) from exc
    except (ValueError, RecursionError) as exc:  # absurd nesting or integers with thousands of digits
        raise BoundaryError("invalid_json", filename=filename, line=1, column=1) from exc


def read_geojson_document(*, document: Any, filename: str, max_vertices: int) -> SourceLayer:
    """Polygon features of a decoded GeoJSON document; other geometry types refuse it."""
    features: list[SourceFeature] = []
    empty = 0
    vertices = 0
    for number, geometry in _geometries(document, filename=filename):
        polygons = [] if geometry is None else _polygons(geometry, feature=number, filename=filename)
        if not polygons:
            empty += 1
            continue
        vertices += sum(len(ring) for polygon in polygons for ring in polygon)
        check_vertex_limit(count=vertices, limit=max_vertices, filename=filename)
        features.append(SourceFeature(number, tuple(polygons)))
    warnings: tuple[BoundaryMessage, ...] = ()
    if empty and features:
        warnings = (BoundaryMessage("features_without_geometry", {"filename": filename, "count": empty}),)
    crs = _legacy_crs(document, filename=filename)
    return SourceLayer(
        tuple(features),
        filename=filename,
        format_label="GeoJSON",
        crs=crs or "EPSG:4326",
        crs_origin="declared" if crs else "format",
        warnings=warnings,
    )


def _geometries(document: Any, *, filename: str) -> list[tuple[int, Any]]:
    if not isinstance(document, dict):
        raise BoundaryError("invalid_geojson", filename=filename)
    kind = document.get("type")
    if kind == "FeatureCollection":
        items = document.get("features")
        if not isinstance(items, list):
            raise BoundaryError("invalid_geojson", filename=filename)
        return [(number, _feature_geometry(item, number, filename)) for number, item in enumerate(items, 1)]
    if kind == "Feature":
        return [(1, _feature_geometry(document, 1, filename))]
    if kind in GEOMETRY_TYPES:
        return [(1, document)]
    if kind == "Topology":
        raise BoundaryError("unsupported_format", filename=filename, format="TopoJSON")
    if "spatialReference" in document or "geometryType" in document or "rings" in document:
        raise BoundaryError("unsupported_format", filename=filename, format="Esri JSON")
    raise BoundaryError("invalid_geojson", filename=filename)


def _feature_geometry(item: Any, number: int, filename: str) -> Any:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        raise BoundaryError("malformed_geometry", feature=number, filename=filename)
    return item.get("geometry")


def _polygons(geometry: Any, *, feature: int, filename: str) -> list[PolygonRings]:
    if not isinstance(geometry, dict):
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
    kind = geometry.get("type")
    if kind in NON_POLYGON_TYPES:
        raise BoundaryError("not_polygon", feature=feature, filename=filename, geom_type=kind)
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
        return [
            polygon for member in members for polygon in _polygons(member, feature=feature, filename=filename)
        ]
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list):
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
    parts = [coordinates] if kind == "Polygon" else coordinates
    # Empty coordinate lists are legal GeoJSON for empty geometries; they add nothing to the area.
    return [_polygon(part, feature=feature, filename=filename) for part in parts if part != []]


def _polygon(rings: Any, *, feature: int, filename: str) -> PolygonRings:
    if not isinstance(rings, list):
        raise BoundaryError("malformed_geometry", feature=feature, filename=filename)
    return tuple(ring_from_values(ring, feature=feature, filename=filename) for ring in rings)


def _legacy_crs(document: Any, *, filename: str) -> str | None:
    """The CRS named by the pre-RFC 7946 `crs` member, which QGIS and others still write."""
    crs = document.get("crs") if isinstance(document, dict) else None
    if crs is None:
        return None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        properties = crs["properties"]
        if crs.get("type") == "name" and isinstance(properties.get("name"), str):
            return properties["name"]
        if crs.get("type") == "EPSG" and isinstance(properties.get("code"), int | str):
            return f"EPSG:{properties['code']}"
    raise BoundaryError("unknown_crs", filename=filename, crs=json.dumps(crs)[:200])
