"""Raster files: read categorical GeoTIFFs, write palette Cloud-Optimised GeoTIFFs, rasterise masks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.enums import Resampling
from rasterio.features import rasterize
from rasterio.io import MemoryFile
from rasterio.transform import Affine

Colour = tuple[int, int, int] | tuple[int, int, int, int]


class CategoricalRaster(NamedTuple):
    """A categorical band with its rasterio profile and nodata value."""

    array: np.ndarray
    profile: dict[str, Any]
    nodata: int | None


def read_categorical(*, path: str | Path, band: int = 1) -> CategoricalRaster:
    """Read one band of an integer GeoTIFF as (array, profile, nodata)."""
    with rasterio.open(path) as src:
        array = src.read(band)
        profile = dict(src.profile)
        nodata = src.nodata
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"{path} holds {array.dtype}; categorical maps must be uint8 or uint16")
    return CategoricalRaster(array=array, profile=profile, nodata=None if nodata is None else int(nodata))


def same_grid(*, first: Mapping[str, Any], second: Mapping[str, Any], tolerance: float = 0.01) -> bool:
    """Whether two profiles share size, CRS and cell grid, origin and cell size within ``tolerance`` cells."""
    if (first["width"], first["height"]) != (second["width"], second["height"]):
        return False
    if first.get("crs") != second.get("crs"):
        return False
    a, b = first["transform"], second["transform"]
    cell = max(abs(a.a), abs(a.e))
    # The origin may drift by ``tolerance`` cells, and so may the far corner through the cell size.
    width, height = first["width"], first["height"]
    far_x = abs((a.c + a.a * width) - (b.c + b.a * width))
    far_y = abs((a.f + a.e * height) - (b.f + b.e * height))
    gaps = [abs(a.c - b.c), abs(a.f - b.f), far_x, far_y]
    return max(gaps) <= tolerance * cell and abs(a.b - b.b) + abs(a.d - b.d) == 0


def cog_driver_available() -> bool:
    with rasterio.Env() as env:
        return "COG" in env.drivers()


def write_categorical_cog(
    *,
    path: str | Path,
    array: np.ndarray,
    profile: Mapping[str, Any],
    nodata: int | None,
    colormap: Mapping[int, Colour] | None = None,
    force_gtiff: bool = False,
) -> str:
    """Write a palette Cloud-Optimised GeoTIFF with nearest-neighbour overviews; return the driver used.

    GDAL's COG driver when present, otherwise a tiled GTiff whose overviews are copied in front of the data.
    """
    if array.ndim != 2 or array.dtype not in (np.uint8, np.uint16):
        raise ValueError("write_categorical_cog takes a 2-D uint8 or uint16 array")
    base = {
        "driver": "GTiff",
        "height": array.shape[0],
        "width": array.shape[1],
        "count": 1,
        "dtype": array.dtype.name,
        "crs": profile.get("crs"),
        "transform": profile.get("transform", Affine.identity()),
        "nodata": nodata,
    }
    use_cog = cog_driver_available() and not force_gtiff
    with MemoryFile() as memfile:
        with memfile.open(**base, tiled=True, blockxsize=256, blockysize=256) as tmp:
            # The palette goes in before the pixels: libtiff refuses to change the photometric tag of a
            # tiled file once data is written (it logs an error for every map otherwise).
            if colormap:
                tmp.write_colormap(1, dict(colormap))
            tmp.write(array, 1)
            if not use_cog:
                factors = _overview_factors(array.shape)
                if factors:
                    tmp.build_overviews(factors, Resampling.nearest)
        with memfile.open() as src:
            if use_cog:
                rasterio.shutil.copy(
                    src,
                    str(path),
                    driver="COG",
                    compress="DEFLATE",
                    blocksize=256,
                    overview_resampling="NEAREST",
                    overviews="AUTO",
                )
                return "COG"
            rasterio.shutil.copy(
                src,
                str(path),
                driver="GTiff",
                tiled=True,
                blockxsize=256,
                blockysize=256,
                compress="DEFLATE",
                copy_src_overviews=True,
            )
            return "GTiff"


def write_projection(
    *,
    years: Iterable[tuple[int, np.ndarray]],
    folder: str | Path,
    profile: Mapping[str, Any],
    nodata: int | None,
    colormap: Mapping[int, Colour] | None = None,
    prefix: str = "landcover",
) -> list[Path]:
    """Write each (year, map) of a projection to ``folder/{prefix}_{year}.tif`` as it arrives."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year, landcover in years:
        path = folder / f"{prefix}_{year}.tif"
        write_categorical_cog(path=path, array=landcover, profile=profile, nodata=nodata, colormap=colormap)
        written.append(path)
    return written


def rasterize_geometries(
    *,
    geometries: Iterable[Mapping[str, Any]],
    transform: Affine,
    shape: tuple[int, int],
    all_touched: bool = False,
) -> np.ndarray:
    """A boolean mask of the cells covered by GeoJSON-like geometries (or features), in the grid's CRS."""
    shapes = [(feature.get("geometry", feature), 1) for feature in geometries]
    if not shapes:
        return np.zeros(shape, dtype=bool)
    burned = rasterize(
        shapes, out_shape=shape, transform=transform, fill=0, all_touched=all_touched, dtype="uint8"
    )
    return burned.astype(bool)


def _overview_factors(shape: Sequence[int]) -> list[int]:
    factors, factor = [], 2
    while max(shape) / factor >= 256:
        factors.append(factor)
        factor *= 2
    return factors
