"""Public entry points: an uploaded file, a drawn geometry or a point becomes a Boundary."""

from __future__ import annotations

import math
import numbers
import zipfile
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from landmosaic.core.geo.build import build_boundary
from landmosaic.core.geo.features import SourceLayer, format_number
from landmosaic.core.geo.limits import BoundaryLimits, megabytes
from landmosaic.core.geo.measure import DECIMALS
from landmosaic.core.geo.messages import DRAWN_AREA, BoundaryError, BoundaryMessage
from landmosaic.core.geo.read_geojson import load_json, read_geojson_document
from landmosaic.core.geo.read_gpx import read_gpx
from landmosaic.core.geo.read_kml import read_kml
from landmosaic.core.geo.read_shapefile import read_shapefile, shapefile_stems
from landmosaic.core.geo.result import Boundary
from landmosaic.core.geo.safezip import SafeZip, open_zip
from landmosaic.core.geo.sniff import EXTENSION_KINDS, display_name, extension, sniff

FORMAT_LABELS = {"geojson": "GeoJSON", "kml": "KML", "kmz": "KMZ", "gpx": "GPX", "shapefile": "Shapefile"}
DEFAULT_LIMITS = BoundaryLimits()
# Which formats each extension promises; a zip may hold a shapefile or KML, both are fine.
EXTENSION_FORMATS = {"json": {"geojson"}, "kml": {"kml"}, "gpx": {"gpx"}, "zip": {"shapefile", "kmz"}}


def parse_boundary_file(*, data: bytes, filename: str, limits: BoundaryLimits = DEFAULT_LIMITS) -> Boundary:
    """Read an uploaded GeoJSON, KML, KMZ, GPX or zipped shapefile into one clean boundary."""
    name = display_name(filename)
    if len(data) > limits.max_bytes:
        raise BoundaryError(
            "file_too_large",
            filename=name,
            size_mb=megabytes(len(data)),
            limit_mb=megabytes(limits.max_bytes),
        )
    if not data.strip():
        raise BoundaryError("empty_file", filename=name)
    source_format, layer = _read(data=data, filename=name, limits=limits)
    expected = EXTENSION_KINDS.get(extension(filename))
    if expected and source_format not in EXTENSION_FORMATS[expected]:
        warning = BoundaryMessage(
            "extension_mismatch", {"filename": name, "format": FORMAT_LABELS[source_format]}
        )
        layer = replace(layer, warnings=(warning, *layer.warnings))
    return build_boundary(layer=layer, source_format=source_format, limits=limits)


def boundary_from_geojson(*, geometry: dict[str, Any], limits: BoundaryLimits = DEFAULT_LIMITS) -> Boundary:
    """A polygon drawn on the web map (GeoJSON Polygon or MultiPolygon in EPSG:4326)."""
    layer = read_geojson_document(document=geometry, filename=DRAWN_AREA, max_vertices=limits.max_vertices)
    return build_boundary(layer=layer, source_format="drawn", limits=limits)


def boundary_from_point(*, lon: float, lat: float) -> Boundary:
    """A landscape known only by one position; it has no area."""
    valid = all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)
    )
    if not valid or abs(lon) > 180 or abs(lat) > 90:
        raise BoundaryError("invalid_point", lon=_show(lon), lat=_show(lat))
    lon, lat = round(float(lon), DECIMALS), round(float(lat), DECIMALS)
    return Boundary(
        geometry={"type": "Point", "coordinates": [lon, lat]},
        area_ha=None,
        centroid=(lon, lat),
        bbox=(lon, lat, lon, lat),
        vertex_count=1,
        source_format="point",
        source_crs="EPSG:4326",
    )


def _read(*, data: bytes, filename: str, limits: BoundaryLimits) -> tuple[str, SourceLayer]:
    kind = sniff(data=data, filename=filename)
    if kind == "json":
        document = load_json(data=data, filename=filename)
        return "geojson", read_geojson_document(
            document=document, filename=filename, max_vertices=limits.max_vertices
        )
    if kind == "kml":
        return "kml", read_kml(data=data, filename=filename, max_vertices=limits.max_vertices)
    if kind == "gpx":
        return "gpx", read_gpx(data=data, filename=filename, max_vertices=limits.max_vertices)
    archive = open_zip(data=data, filename=filename, limits=limits)
    with archive.archive:
        return _read_zip(archive, filename=filename, limits=limits)


def _read_zip(archive: SafeZip, *, filename: str, limits: BoundaryLimits) -> tuple[str, SourceLayer]:
    kml = _kml_member(archive)
    if shapefile_stems(archive) and (kml is None or extension(filename) != ".kmz"):
        return "shapefile", read_shapefile(archive=archive, max_vertices=limits.max_vertices)
    if kml is None:
        raise BoundaryError("zip_no_boundary", filename=filename)
    content = archive.read(kml)
    return "kmz", read_kml(
        data=content, filename=filename, max_vertices=limits.max_vertices, format_label="KMZ"
    )


def _kml_member(archive: SafeZip) -> zipfile.ZipInfo | None:
    """The KMZ's main document: doc.kml at the root, else the first .kml (as Google Earth does)."""
    candidates = [info for info in archive.members if info.filename.lower().endswith(".kml")]
    for info in candidates:
        if PurePosixPath(info.filename).name.lower() == "doc.kml" and "/" not in info.filename:
            return info
    return candidates[0] if candidates else None


def _show(value: object) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return format_number(float(value))
    return repr(value)[:40]
