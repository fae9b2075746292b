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

from landmosaic.core.geo.features import Polygon, SourceFeature, SourceLayer, check_vertex_limit
from landmosaic.core.geo.messages import BoundaryError, BoundaryMessage
from landmosaic.core.geo.safezip import SafeZip

REQUIRED_PARTS = (".shp", ".shx", ".dbf")
OPTIONAL_PARTS = (".prj", ".cpg")
_GDAL_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
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
    with tempfile.TemporaryDirectory(prefix="landmosaic-shp-") as folder:
        # Fixed names: nothing from the archive decides where bytes are written.
        for suffix, content in contents.items():
            (Path(folder) / f"layer{suffix}").write_bytes(content)
        crs, wkbs = _read(str(Path(folder) / "layer.shp"), filename=filename, member=member)
    prj = contents.get(".prj", b"").decode("utf-8", "replace").strip()
    if crs is None and prj:  # an empty .prj says no more than a missing one
        raise BoundaryError("unknown_crs", filename=filename, crs=prj[:200])
    features, warnings = _features(wkbs, filename=filename, max_vertices=max_vertices)
    return SourceLayer(
        tuple(features),
        filename=filename,
        format_label="Shapefile",
        crs=crs,
        crs_origin="declared" if crs else "missing",
        warnings=tuple(warnings),
    )


def _read(path: str, *, filename: str, member: str) -> tuple[str | None, np.ndarray]:
    try:
        info = pyogrio.read_info(path)
        _meta, _fids, wkbs, _fields = pyogrio.raw.read(path, columns=[], force_2d=True)
    except _GDAL_ERRORS as exc:
        raise BoundaryError("corrupt_shapefile", filename=filename, member=member) from exc
    return info.get("crs"), wkbs


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


def _rings(polygon: shapely.Polygon) -> Polygon:
    rings = [polygon.exterior, *polygon.interiors]
    return tuple(np.ascontiguousarray(shapely.get_coordinates(ring), dtype=np.float64) for ring in rings)
