"""GeoTIFF uploads: inspected, statistics taken, archived as a Cloud-Optimised GeoTIFF with a quicklook.

The archival copy keeps the raster's own CRS, grid, data type, nodata and colour table; only the
layout changes (internal tiles, overviews, compression). Single-band integer rasters with few
distinct values are read as classes (land cover) and their cells counted per class; other
single-band rasters as measures (minimum, maximum, mean). A TIFF without a CRS is kept as an image.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from landmosaic.core.geo.cog import write_cog

from .crs import crs_label
from .documents import document_part
from .limits import IngestLimits
from .messages import IngestError, IngestMessage
from .normalise import Part
from .quicklook import class_colours, colour_table, write_quicklook
from .sniff import FORMATS

#: Up to this many distinct values an integer band is read as classes.
MAX_CLASSES = 256
#: Cells read at a time for statistics: bounded memory whatever the raster's size.
CHUNK_CELLS = 4_000_000
_RASTER_ERRORS = (rasterio.errors.RasterioError, MemoryError, ValueError)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _nodata(source: Any) -> float | int | None:
    value = source.nodata
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return _number(value)


class _Tally:
    """Counts per value (while there are few) and minimum, maximum and sum, chunk by chunk."""

    def __init__(self, integer: bool):
        self.counts: dict[int, int] | None = {} if integer else None
        self.low, self.high, self.total, self.cells = math.inf, -math.inf, 0.0, 0

    def add(self, values: np.ndarray) -> None:
        if not values.size:
            return
        self.low = min(self.low, float(values.min()))
        self.high = max(self.high, float(values.max()))
        self.total += float(values.sum(dtype=np.float64))
        self.cells += int(values.size)
        if self.counts is None:
            return
        found, counts = np.unique(values, return_counts=True)
        for value, count in zip(found.tolist(), counts.tolist(), strict=True):
            self.counts[value] = self.counts.get(value, 0) + count
        if len(self.counts) > MAX_CLASSES:
            self.counts = None  # too many values for classes: a measure (elevation, counts …)

    def result(self, table: dict[int, tuple[int, ...]] | None) -> dict[str, Any]:
        if not self.cells:
            return {"kind": "empty", "valid_cells": 0}
        if self.counts is not None:
            values = sorted(self.counts)
            colours = class_colours(values, table)
            return {
                "kind": "categorical",
                "valid_cells": self.cells,
                "classes": [{"value": int(v), "count": self.counts[v], "colour": colours[v]} for v in values],
            }
        return {
            "kind": "continuous",
            "valid_cells": self.cells,
            "min": _number(self.low),
            "max": _number(self.high),
            "mean": round(self.total / self.cells, 6),
        }


def band_statistics(source: Any, *, band: int = 1) -> dict[str, Any]:
    """Classes with their cell counts, or minimum/maximum/mean, over the valid cells of one band."""
    dtype = np.dtype(source.dtypes[band - 1])
    if dtype.kind not in "uif":
        return {"kind": "unsupported"}
    tally = _Tally(integer=dtype.kind in "ui")
    rows = max(1, CHUNK_CELLS // max(1, source.width))
    for top in range(0, source.height, rows):
        window = Window(0, top, source.width, min(rows, source.height - top))
        data = source.read(band, window=window, masked=True)
        values = data.compressed()
        if dtype.kind == "f":
            values = values[np.isfinite(values)]
        tally.add(values)
    return tally.result(colour_table(source))


def _check_size(source: Any, *, filename: str, limits: IngestLimits) -> None:
    pixels = source.width * source.height
    if pixels > limits.max_raster_pixels:
        raise IngestError(
            "raster_too_large",
            filename=filename,
            width=source.width,
            height=source.height,
            megapixels=round(pixels / 1e6, 1),
            limit=round(limits.max_raster_pixels / 1e6, 1),
        )


def _bbox_4326(source: Any) -> list[float] | None:
    bounds = transform_bounds(source.crs, "EPSG:4326", *source.bounds, densify_pts=21)
    return [round(float(v), 7) for v in bounds] if all(math.isfinite(v) for v in bounds) else None


def raster_part(
    path: Path,
    *,
    filename: str,
    title: str,
    workdir: Path,
    limits: IngestLimits = IngestLimits(),  # noqa: B008 - frozen dataclass, safe as a default
) -> Part:
    """A georeferenced TIFF becomes a raster dataset with a COG copy; a TIFF without a CRS an image."""
    try:
        with rasterio.open(path) as source:
            if source.crs is None:
                part = document_part(path, FORMATS["tiff"], title=title)
                part.warnings.append(IngestMessage("no_crs_raster", {"filename": filename}))
                return part
            _check_size(source, filename=filename, limits=limits)
            statistics = band_statistics(source) if source.count == 1 else None
            details: dict[str, Any] = {
                "width": source.width,
                "height": source.height,
                "bands": source.count,
                "dtype": source.dtypes[0],
                "nodata": _nodata(source),
                "resolution": [abs(source.res[0]), abs(source.res[1])],
                "media_type": "image/tiff",
            }
            crs = crs_label(source.crs.to_wkt())
            bbox = _bbox_4326(source)
        categorical = statistics is not None and statistics["kind"] == "categorical"
        floating = np.dtype(details["dtype"]).kind == "f"
        cog = workdir / "raster.tif"
        details["cog_driver"] = write_cog(
            source=path, target=cog, resampling="average" if floating and not categorical else "nearest"
        )
    except IngestError:
        raise
    except _RASTER_ERRORS as exc:
        raise IngestError("corrupt_file", filename=filename, format="GeoTIFF") from exc
    if statistics is not None:
        details["statistics"] = statistics
    part = Part(
        kind="raster",
        base_title=title,
        crs=crs,
        bbox_4326=bbox,
        normalised=cog,
        normalised_format="cog",
        details=details,
    )
    quicklook_path = workdir / "quicklook.png"
    quicklook = write_quicklook(cog, quicklook_path, statistics=statistics)
    if quicklook is None:
        part.warnings.append(IngestMessage("raster_no_preview", {"filename": filename}))
    else:
        details["quicklook"] = quicklook
        part.extras[quicklook["file"]] = quicklook_path
    return part
