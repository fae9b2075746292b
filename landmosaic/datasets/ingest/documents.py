"""Rasters and documents: kept as they are, with what can be read from them cheaply."""

from __future__ import annotations

import math
from pathlib import Path

import rasterio
import rasterio.errors
from PIL import Image, UnidentifiedImageError
from rasterio.warp import transform_bounds

from .crs import crs_label
from .messages import IngestError, IngestMessage
from .normalise import Part
from .sniff import FORMATS, Format


def raster_part(path: Path, *, filename: str, title: str) -> Part:
    """A georeferenced TIFF becomes a raster dataset; a TIFF without a CRS is kept as an image."""
    try:
        with rasterio.open(path) as source:
            if source.crs is None:
                part = document_part(path, FORMATS["tiff"], title=title)
                part.warnings.append(IngestMessage("no_crs_raster", {"filename": filename}))
                return part
            bounds = transform_bounds(source.crs, "EPSG:4326", *source.bounds, densify_pts=21)
            details = {
                "width": source.width,
                "height": source.height,
                "bands": source.count,
                "dtype": source.dtypes[0],
                "nodata": None if source.nodata is None or math.isnan(source.nodata) else source.nodata,
                "resolution": [abs(source.res[0]), abs(source.res[1])],
                "media_type": "image/tiff",
            }
            crs = crs_label(source.crs.to_wkt())
    except rasterio.errors.RasterioError as exc:
        raise IngestError("corrupt_file", filename=filename, format="GeoTIFF") from exc
    return Part(
        kind="raster",
        base_title=title,
        crs=crs,
        details=details,
        bbox_4326=[round(float(v), 7) for v in bounds] if all(math.isfinite(v) for v in bounds) else None,
    )


def document_part(path: Path, fmt: Format, *, title: str) -> Part:
    """A document or image: its media type, and the size in pixels of an image."""
    details: dict = {"media_type": fmt.media_type, "format": fmt.label}
    if fmt.media_type.startswith("image/"):
        try:
            with Image.open(path) as image:
                details["width"], details["height"] = image.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
            pass  # the file is kept as it is; only its size in pixels stays unknown
    return Part(kind="document", base_title=title, details=details)
