"""Two land-cover rasters made ready for the engine: checked, put on one grid, one nodata, one dtype.

The second (later) map's grid is the reference: the projection starts from it. A first map on
another grid, or in another coordinate reference system, is resampled onto it with nearest
neighbour (class codes are never averaged) and a warning says so. What cannot be used is refused
with a message naming the map: decimals instead of class codes, more than 255 classes, a CRS that
cannot be transformed, maps that do not overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
from django.utils.translation import gettext as _
from pyproj import CRS, Geod
from rasterio._err import CPLE_BaseError
from rasterio.enums import Resampling
from rasterio.warp import reproject, transform_bounds
from rasterio.windows import Window

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios.engine.io import same_grid

from .legends import MAX_CLASSES

#: Errors GDAL and PROJ raise for a transformation they cannot do: rasterio's own, and GDAL's CPLE_*
#: errors, which derive from Exception only.
_TRANSFORM_ERRORS = (rasterio.errors.RasterioError, CPLE_BaseError, ValueError)
_BLOCK_ROWS = 1024


@dataclass
class RasterInfo:
    """What the header says about one map."""

    label: str
    width: int
    height: int
    count: int
    dtype: str
    crs: Any
    transform: Any
    bounds: tuple[float, float, float, float]
    nodata: int | None
    colormap: dict[int, tuple[int, ...]] | None

    @property
    def profile(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "crs": self.crs, "transform": self.transform}


@dataclass
class Warning_:
    """A warning with a stable code and its parameters; rendered in the reader's language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


@dataclass
class Pair:
    """Both maps on the second map's grid, same dtype and nodata, with the area of one cell."""

    before: np.ndarray
    after: np.ndarray
    profile: dict[str, Any]
    nodata: int | None
    cell_area_ha: float
    warnings: list[Warning_]
    colormap: dict[int, tuple[int, ...]] | None


def _refuse(message: str, code: str, **params: Any) -> ValidationFailed:
    return ValidationFailed(message % params if params else message, code=code, details=params)


def inspect(path: Path, *, label: str) -> RasterInfo:
    """The header of a map; refuses files that are not categorical rasters."""
    try:
        with rasterio.open(path) as source:
            dtype = source.dtypes[0]
            nodata = source.nodata
            try:
                colormap = source.colormap(1)
            except ValueError:
                colormap = None
            info = RasterInfo(
                label=label,
                width=source.width,
                height=source.height,
                count=source.count,
                dtype=dtype,
                crs=source.crs,
                transform=source.transform,
                bounds=tuple(source.bounds),
                nodata=None,
                colormap=colormap,
            )
    except rasterio.errors.RasterioError as exc:
        raise _refuse(_("The map %(map)s could not be read as a raster."), "unreadable", map=label) from exc
    if np.dtype(dtype).kind == "f":
        raise _refuse(
            _(
                "The map %(map)s holds decimal numbers (%(dtype)s): a land-cover map needs whole class "
                "codes. Export it as a Byte or UInt16 GeoTIFF."
            ),
            "not_categorical",
            map=label,
            dtype=dtype,
        )
    if np.dtype(dtype).kind not in "iu":
        raise _refuse(
            _("The map %(map)s holds %(dtype)s values, not class codes."),
            "not_categorical",
            map=label,
            dtype=dtype,
        )
    if info.crs is None:
        raise _refuse(
            _("The map %(map)s has no coordinate reference system; it cannot be placed on the ground."),
            "no_crs",
            map=label,
        )
    if nodata is not None and math.isfinite(nodata) and float(nodata).is_integer():
        info.nodata = int(nodata)
    return info


def check_pair(before: RasterInfo, after: RasterInfo) -> list[Warning_]:
    """Refuse a pair that cannot be aligned; warn when the first map will be resampled."""
    if same_grid(first=after.profile, second=before.profile):
        return []
    try:
        bounds = transform_bounds(before.crs, after.crs, *before.bounds, densify_pts=21)
    except _TRANSFORM_ERRORS as exc:
        raise _refuse(
            _(
                "The maps %(first)s and %(second)s use coordinate reference systems that cannot be "
                "transformed into each other (%(crs_first)s and %(crs_second)s). Reproject one of them "
                "onto the other's grid in a GIS and upload it again."
            ),
            "crs_mismatch",
            first=before.label,
            second=after.label,
            crs_first=_crs_name(before.crs),
            crs_second=_crs_name(after.crs),
        ) from exc
    west, south, east, north = after.bounds
    if not all(math.isfinite(v) for v in bounds) or (
        bounds[0] >= east or bounds[2] <= west or bounds[1] >= north or bounds[3] <= south
    ):
        raise _refuse(
            _("The maps %(first)s and %(second)s do not overlap: they cover different places."),
            "no_overlap",
            first=before.label,
            second=after.label,
        )
    if before.crs != after.crs:
        return [
            Warning_(
                "reprojected",
                {"first": before.label, "second": after.label, "crs": _crs_name(after.crs)},
            )
        ]
    return [Warning_("resampled", {"first": before.label, "second": after.label})]


def _crs_name(crs: Any) -> str:
    try:
        epsg = crs.to_epsg()
    except _TRANSFORM_ERRORS:
        epsg = None
    if epsg:
        return f"EPSG:{epsg}"
    try:
        return CRS.from_wkt(crs.to_wkt()).name
    except _TRANSFORM_ERRORS:
        return str(crs)[:60]


def class_codes(path: Path, *, label: str, nodata: int | None) -> np.ndarray:
    """The codes present in a map, read block by block; refuses more than 255 classes."""
    found: np.ndarray = np.zeros(0, dtype=np.int64)
    with rasterio.open(path) as source:
        for row in range(0, source.height, _BLOCK_ROWS):
            window = Window(0, row, source.width, min(_BLOCK_ROWS, source.height - row))
            found = np.union1d(found, _codes(source.read(1, window=window), None, label, check=False))
    if nodata is not None:
        found = found[found != nodata]
    return _check_codes(found, label)


def cell_area_ha(*, crs: Any, transform: Any, width: int, height: int) -> float:
    """The area of one cell in hectares: exact in projected CRSs, at the map's centre in degrees."""
    pyproj_crs = CRS.from_user_input(crs.to_wkt())
    if pyproj_crs.is_geographic:
        lon, lat = transform * (width / 2, height / 2)
        dx, dy = abs(transform.a), abs(transform.e)
        lons = [lon, lon + dx, lon + dx, lon]
        lats = [lat, lat, lat - dy, lat - dy]
        area, _perimeter = Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)
        return abs(area) / 10_000
    factor = 1.0
    axis = pyproj_crs.axis_info[0] if pyproj_crs.axis_info else None
    if axis is not None and axis.unit_conversion_factor:
        factor = float(axis.unit_conversion_factor)
    return abs(transform.a * transform.e - transform.b * transform.d) * factor * factor / 10_000


def read_pair(before_path: Path, after_path: Path, *, before_label: str, after_label: str) -> Pair:
    """Both maps, aligned on the second map's grid (nearest neighbour), with one nodata and dtype."""
    before_info = inspect(before_path, label=before_label)
    after_info = inspect(after_path, label=after_label)
    warnings = check_pair(before_info, after_info)
    with rasterio.open(after_path) as source:
        after = source.read(1)
    with rasterio.open(before_path) as source:
        before_raw = source.read(1)
    codes = np.union1d(
        _codes(before_raw, before_info.nodata, before_label), _codes(after, after_info.nodata, after_label)
    )
    nodata = _choose_nodata(after_info.nodata, before_info.nodata, codes, needs_fill=bool(warnings))
    dtype = (
        np.uint8
        if (codes.size == 0 or codes.max() <= 255) and (nodata is None or nodata <= 255)
        else np.uint16
    )
    after = _as_codes(after, after_info.nodata, nodata, dtype)
    before = _as_codes(before_raw, before_info.nodata, nodata, dtype)
    del before_raw
    if warnings:
        aligned = np.full(after.shape, nodata, dtype=dtype)
        reproject(
            source=before,
            destination=aligned,
            src_transform=before_info.transform,
            src_crs=before_info.crs,
            src_nodata=nodata,
            dst_transform=after_info.transform,
            dst_crs=after_info.crs,
            dst_nodata=nodata,
            resampling=Resampling.nearest,
        )
        before = aligned
        _check_overlap(before, after, nodata, before_label, after_label)
    profile = {
        "crs": after_info.crs,
        "transform": after_info.transform,
        "width": after_info.width,
        "height": after_info.height,
    }
    area = cell_area_ha(
        crs=after_info.crs, transform=after_info.transform, width=after_info.width, height=after_info.height
    )
    return Pair(
        before=before,
        after=after,
        profile=profile,
        nodata=nodata,
        cell_area_ha=area,
        warnings=warnings,
        colormap=after_info.colormap or before_info.colormap,
    )


def _codes(array: np.ndarray, nodata: int | None, label: str, *, check: bool = True) -> np.ndarray:
    if array.dtype.kind == "u" and array.dtype.itemsize <= 2:
        codes = np.flatnonzero(np.bincount(array.ravel()))  # linear, no sort
    else:
        codes = np.unique(array).astype(np.int64)
    if nodata is not None:
        codes = codes[codes != nodata]
    return _check_codes(codes, label) if check else codes.astype(np.int64)


def _check_codes(codes: np.ndarray, label: str) -> np.ndarray:
    if codes.size and (codes.min() < 0 or codes.max() > 65535):
        raise _refuse(
            _("The map %(map)s has values outside 0-65535; class codes must be whole numbers in that range."),
            "codes_out_of_range",
            map=label,
        )
    if codes.size > MAX_CLASSES:
        raise _refuse(
            _(
                "The map %(map)s has %(count)s different values; a land-cover map has at most %(limit)s "
                "classes. Is it a continuous raster such as elevation or a vegetation index?"
            ),
            "too_many_classes",
            map=label,
            count=int(codes.size),
            limit=MAX_CLASSES,
        )
    return codes.astype(np.int64)


def _choose_nodata(
    after: int | None, before: int | None, codes: np.ndarray, *, needs_fill: bool
) -> int | None:
    """The second map's nodata, else the first's; a free code when resampling needs a fill value."""
    for candidate in (after, before):
        if candidate is not None and 0 <= candidate <= 65535 and candidate not in codes:
            return int(candidate)
    if not needs_fill and after is None and before is None:
        return None
    for candidate in (255, 0, 65535):
        if candidate not in codes:
            return candidate
    return int(np.setdiff1d(np.arange(65536), codes)[0])


def _as_codes(array: np.ndarray, own_nodata: int | None, nodata: int | None, dtype: Any) -> np.ndarray:
    result = array.astype(dtype, copy=array.dtype != dtype)
    if own_nodata is not None and nodata is not None and own_nodata != nodata:
        result[array == own_nodata] = nodata
    return result


def _check_overlap(
    before: np.ndarray, after: np.ndarray, nodata: int | None, first: str, second: str
) -> None:
    if nodata is None:
        return
    if not np.any((before != nodata) & (after != nodata)):
        raise _refuse(
            _("The maps %(first)s and %(second)s do not overlap: they cover different places."),
            "no_overlap",
            first=first,
            second=second,
        )
