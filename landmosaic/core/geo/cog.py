"""Cloud-Optimised GeoTIFF writing, free of Django: one writer for every app that stores rasters.

GDAL's COG driver when the GDAL build has it; otherwise a tiled GTiff whose overviews are built in a
scratch copy and then copied in front of the image data (``COPY_SRC_OVERVIEWS``), which is the layout
the COG driver writes. Either way: internal tiles, overviews down to one tile, DEFLATE, and the
source's CRS, transform, nodata, data type and colour table unchanged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import rasterio
import rasterio.shutil
from rasterio.enums import Resampling

BLOCK_SIZE = 256


def cog_driver_available() -> bool:
    with rasterio.Env() as env:
        return "COG" in env.drivers()


def overview_factors(shape: Sequence[int], *, block_size: int = BLOCK_SIZE) -> list[int]:
    """Decimation factors 2, 4, 8 … until the largest side fits in one tile (as GDAL's COG driver)."""
    factors, factor = [], 2
    while max(shape) / (factor // 2) > block_size:
        factors.append(factor)
        factor *= 2
    return factors


def write_cog(
    *,
    source: str | Path,
    target: str | Path,
    resampling: str = "nearest",
    block_size: int = BLOCK_SIZE,
    force_gtiff: bool = False,
) -> str:
    """Copy the raster at ``source`` to ``target`` as a Cloud-Optimised GeoTIFF; return the driver used.

    ``resampling`` names how overviews are computed: "nearest" for classes, "average" for measures.
    """
    options = {"compress": "DEFLATE", "bigtiff": "IF_SAFER"}
    if cog_driver_available() and not force_gtiff:
        rasterio.shutil.copy(
            str(source),
            str(target),
            driver="COG",
            blocksize=block_size,
            overview_resampling=resampling.upper(),
            overviews="AUTO",
            **options,
        )
        return "COG"
    with tempfile.TemporaryDirectory(prefix="landmosaic-cog-", dir=Path(target).parent) as folder:
        scratch = Path(folder) / "tiled.tif"
        rasterio.shutil.copy(
            str(source),
            str(scratch),
            driver="GTiff",
            tiled=True,
            blockxsize=block_size,
            blockysize=block_size,
            **options,
        )
        with rasterio.open(scratch, "r+") as tiled:
            factors = overview_factors((tiled.height, tiled.width), block_size=block_size)
            if factors:
                tiled.build_overviews(factors, Resampling[resampling.lower()])
        rasterio.shutil.copy(
            str(scratch),
            str(target),
            driver="GTiff",
            tiled=True,
            blockxsize=block_size,
            blockysize=block_size,
            copy_src_overviews=True,
            **options,
        )
    return "GTiff"
