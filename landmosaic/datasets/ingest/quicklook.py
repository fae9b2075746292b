"""A raster's quicklook: a small colour-mapped PNG in Web Mercator and its longitude/latitude bounds.

Web maps (Leaflet) stretch an image overlay linearly in Web Mercator between its corners, so the
quicklook is warped to EPSG:3857 first: laid over the map at the returned bounds, every pixel sits
where it belongs whatever the raster's own CRS. Classes get the raster's colour table or a palette;
measures a light-to-dark green ramp; cells without data are transparent.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
from PIL import Image
from rasterio.enums import ColorInterp, Resampling
from rasterio.transform import Affine
from rasterio.warp import reproject, transform_bounds

QUICKLOOK_NAME = "quicklook.png"
MAX_SIZE = 512
# Web Mercator stops short of the poles.
MERCATOR_MAX_LAT = 85.0511
#: Colours for classes when the raster has no colour table of its own (distinct on most screens).
PALETTE = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
    "#666666",
]
#: Ramp for measures, low to high.
RAMP = [(0.0, (247, 252, 245)), (0.5, (116, 196, 118)), (1.0, (0, 68, 27))]


def hex_colour(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour_table(source: Any) -> dict[int, tuple[int, ...]] | None:
    """The first band's colour table, when the raster is a palette image."""
    if source.colorinterp[0] != ColorInterp.palette:
        return None
    try:
        return dict(source.colormap(1))
    except ValueError:
        return None


def class_colours(values: list[int], table: dict[int, tuple[int, ...]] | None) -> dict[int, str]:
    """A colour per class value: the raster's own, else the palette in the order of the values."""
    colours = {}
    for index, value in enumerate(values):
        own = table.get(int(value)) if table else None
        colours[value] = hex_colour(own) if own else PALETTE[index % len(PALETTE)]
    return colours


def _ramp(t: np.ndarray) -> np.ndarray:
    """Colours (…, 3) along ``RAMP`` for values 0…1."""
    stops = np.array([s for s, _c in RAMP])
    colours = np.array([c for _s, c in RAMP], dtype=np.float64)
    return np.stack([np.interp(t, stops, colours[:, i]) for i in range(3)], axis=-1).astype(np.uint8)


def _mercator_grid(source: Any, width: int, height: int) -> tuple[Affine, int, int] | None:
    """A Web Mercator grid over the raster, at most ``MAX_SIZE`` pixels on its longer side."""
    west, south, east, north = transform_bounds(source.crs, "EPSG:4326", *source.bounds, densify_pts=21)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None
    south, north = max(south, -MERCATOR_MAX_LAT), min(north, MERCATOR_MAX_LAT)
    if south >= north or west >= east:
        return None
    left, bottom, right, top = transform_bounds("EPSG:4326", "EPSG:3857", west, south, east, north)
    aspect = (right - left) / (top - bottom)
    longest = min(MAX_SIZE, max(width, height))
    w, h = (longest, round(longest / aspect)) if aspect >= 1 else (round(longest * aspect), longest)
    w, h = max(1, w), max(1, h)
    return Affine((right - left) / w, 0, left, 0, -(top - bottom) / h, top), w, h


def _warp(source: Any, bands: list[int]) -> tuple[np.ndarray, Affine] | None:
    """The bands as float64 in the Web Mercator grid, NaN where there is no data."""
    # Read at most twice the quicklook size first (the COG's overviews make this cheap).
    factor = max(1.0, max(source.width, source.height) / (2 * MAX_SIZE))
    width, height = max(1, round(source.width / factor)), max(1, round(source.height / factor))
    data = source.read(
        bands, out_shape=(len(bands), height, width), resampling=Resampling.nearest, masked=True
    )
    values = data.astype(np.float64).filled(np.nan)
    src_transform = source.transform @ Affine.scale(source.width / width, source.height / height)
    grid = _mercator_grid(source, width, height)
    if grid is None:
        return None
    transform, w, h = grid
    out = np.full((len(bands), h, w), np.nan)
    reproject(
        values,
        out,
        src_transform=src_transform,
        src_crs=source.crs,
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs="EPSG:3857",
        dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )
    return out, transform


def _colour(values: np.ndarray, *, rgb: bool, statistics: dict[str, Any] | None) -> np.ndarray:
    """RGBA pixels for the warped bands."""
    valid = np.isfinite(values).all(axis=0)
    image = np.zeros((*values.shape[1:], 4), dtype=np.uint8)
    if rgb:
        image[..., :3] = np.clip(np.nan_to_num(values[:3]), 0, 255).astype(np.uint8).transpose(1, 2, 0)
    elif statistics and statistics.get("kind") == "categorical":
        band = values[0]
        for item in statistics["classes"]:
            image[band == item["value"], :3] = _rgb(item["colour"])
    else:
        band = values[0]
        finite = band[valid]
        if finite.size:
            low, high = np.percentile(finite, [2, 98])
            span = high - low if high > low else 1.0
            image[..., :3] = _ramp(np.clip((np.nan_to_num(band) - low) / span, 0, 1))
    image[..., 3] = np.where(valid, 255, 0)
    return image


def write_quicklook(cog: Path, target: Path, *, statistics: dict[str, Any] | None) -> dict[str, Any] | None:
    """Write the PNG; returns its size and bounds in longitude/latitude, or None if none can be drawn."""
    try:
        with rasterio.open(cog) as source:
            rgb = source.count >= 3 and source.dtypes[0] == "uint8"
            warped = _warp(source, [1, 2, 3] if rgb else [1])
    except (rasterio.errors.RasterioError, ValueError, MemoryError):
        return None
    if warped is None:
        return None
    values, transform = warped
    image = _colour(values, rgb=rgb, statistics=statistics)
    Image.fromarray(image, "RGBA").save(target, format="PNG", optimize=True)
    height, width = image.shape[:2]
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * width, top + transform.e * height
    west, south, east, north = transform_bounds("EPSG:3857", "EPSG:4326", left, bottom, right, top)
    return {
        "file": QUICKLOOK_NAME,
        "width": width,
        "height": height,
        "bounds_4326": [round(v, 7) for v in (west, south, east, north)],
    }
