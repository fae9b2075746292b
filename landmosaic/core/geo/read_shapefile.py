"""Zipped ESRI Shapefile reader: parts extracted under fixed names, read with pyogrio."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import pyogrio
import pyogrio.errors
import pyogrio.raw
import shapely
from shapely.errors import GEOSException

from landmosaic.core.geo.features import PolygonRings, SourceFeature, SourceLayer, check_vertex_limit
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage
from landmosaic.core.geo.safezip import SafeZip

REQUIRED_PARTS = (".shp", ".shx", ".dbf")
OPTIONAL_PARTS = (".prj", ".cpg")
SHAPEFILE_HEADER_BYTES = 100
SHAPEFILE_FILE_CODE = (9994).to_bytes(4, "big")
_GDAL_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    RuntimeError,
    OSError,
    ValueError,
)


def shapefile_stems(archive: SafeZip) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Members grouped by path without extension, for every group that has a part of a shapefile."""
    groups: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in archive.members:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        suffix = path.suffix.lower()
        if suffix in REQUIRED_PARTS + OPTIONAL_PARTS:
            groups.setdefault(str(path.with_suffix("")), {})[suffix] = info
    return {stem: parts for stem, parts in groups.items() if any(s in parts for s in REQUIRED_PARTS)}


def read_shapefile(*, archive: SafeZip, max_vertices: int) -> SourceLayer:
    """The polygon features of the single shapefile in the archive."""
    filename = archive.filename
    groups = shapefile_stems(archive)
    if not groups:
        raise BoundaryError("zip_no_boundary", filename=filename)
    if len(groups) > 1:
        names = ", ".join(sorted(f"{stem}.shp" for stem in groups))
        raise BoundaryError("zip_multiple_layers", filename=filename, count=len(groups), names=names[:300])
    stem, parts = next(iter(groups.items()))
    member = PurePosixPath(stem).name + ".shp"
    missing = [suffix for suffix in REQUIRED_PARTS if suffix not in parts]
    if missing:
        raise BoundaryError(
            "shapefile_missing_parts", filename=filename, member=member, missing=", ".join(missing)
        )
    contents = {suffix: archive.read(info) for suffix, info in parts.items()}
    for suffix in (".shp", ".shx"):
        if not _complete(contents[suffix]):
            raise BoundaryError("corrupt_shapefile", filename=filename, member=member)
    with tempfile.TemporaryDirectory(prefix="landmosaic-shp-") as folder:
        # Fixed names: nothing from the archive decides where bytes are written.
        for suffix, content in contents.items():
            (Path(folder) / f"layer{suffix}").write_bytes(content)
        prj = contents.get(".prj", b"").decode("utf-8", "replace").strip()
        crs, wkbs = _read(str(Path(folder) / "layer.shp"), filename=filename, member=member, prj=prj)
    features, warnings = _features(wkbs, filename=filename, max_vertices=max_vertices)
    return SourceLayer(
        tuple(features),
        filename=filename,
        format_label="Shapefile",
        crs=crs,
        crs_origin="declared" if crs else "missing",
        warnings=tuple(warnings),
    )


def _complete(content: bytes) -> bool:
    """Header check: GDAL reads a truncated .shp silently, turning cut-off records into null shapes."""
    if len(content) < SHAPEFILE_HEADER_BYTES or content[:4] != SHAPEFILE_FILE_CODE:
        return False
    declared_bytes = int.from_bytes(content[24:28], "big") * 2  # the header counts 16-bit words
    return len(content) >= declared_bytes


def _read(path: str, *, filename: str, member: str, prj: str) -> tuple[str | None, np.ndarray]:
    try:
        info = pyogrio.read_info(path)
        _meta, _fids, wkbs, _fields = pyogrio.raw.read(path, columns=[], force_2d=True)
    except pyogrio.errors.CRSError as exc:
        raise BoundaryError("unknown_crs", filename=filename, crs=prj[:200]) from exc
    except _GDAL_ERRORS as exc:
        raise BoundaryError("corrupt_shapefile", filename=filename, member=member) from exc
    crs = info.get("crs")
    if crs is None and prj:  # GDAL may also just drop a .prj it cannot read; an empty one means no CRS
        raise BoundaryError("unknown_crs", filename=filename, crs=prj[:200])
    return crs, wkbs


def _features(
    wkbs: np.ndarray, *, filename: str, max_vertices: int
) -> tuple[list[SourceFeature], list[BoundaryMessage]]:
    features: list[SourceFeature] = []
    empty = 0
    vertices = 0
    for number, wkb in enumerate(wkbs, start=1):
        try:
            geometry = None if wkb is None else shapely.from_wkb(wkb)
        except (GEOSException, ValueError) as exc:
            raise BoundaryError("malformed_geometry", feature=number, filename=filename) from exc
        if geometry is None or geometry.is_empty:
            empty += 1
            continue
        if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
            geom_type = geometry.geom_type
            raise BoundaryError("not_polygon", feature=number, filename=filename, geom_type=geom_type)
        polygons = [_rings(part) for part in shapely.get_parts(geometry) if not part.is_empty]
        vertices += sum(len(ring) for polygon in polygons for ring in polygon)
        check_vertex_limit(count=vertices, limit=max_vertices, filename=filename)
        features.append(SourceFeature(number, tuple(polygons)))
    warnings = []
    if empty and features:
        warnings.append(BoundaryMessage("features_without_geometry", {"filename": filename, "count": empty}))
    return features, warnings


def _rings(polygon: shapely.Polygon) -> PolygonRings:
    rings = [polygon.exterior, *polygon.interiors]
    return tuple(np.ascontiguousarray(shapely.get_coordinates(ring), dtype=np.float64) for ring in rings)
