"""XYZ Web Mercator PNG tiles drawn from a Cloud-Optimised GeoTIFF, free of Django.

A tile reads only the part of the raster under it, from the overview closest to the tile's scale
(GDAL picks it when a window is read at a smaller size), then warps that small block onto the tile's
256 x 256 Web Mercator grid with nearest neighbour, so class codes are never mixed. Classes are drawn
with their colours, measures stretched between the stored minimum and maximum, RGB images as they
are; cells without data and everything outside the raster are transparent.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from PIL import Image
from rasterio.enums import Resampling
from rasterio.transform import Affine
from rasterio.transform import from_bounds as transform_from_bounds
from rasterio.warp import reproject, transform_bounds
from rasterio.windows import Window
from rasterio.windows import from_bounds as window_from_bounds

from landmosaic.datasets.ingest.quicklook import RAMP

TILE_SIZE = 256
MAX_ZOOM = 22
#: Half the side of the Web Mercator square, in metres.
ORIGIN = 20037508.342789244
MERCATOR_MAX_LAT = 85.0511287798
#: Bumped when the drawing changes, so browsers holding old tiles ask again (part of the ETag).
RENDER_VERSION = 1


@dataclass(frozen=True)
class TileStyle:
    """How values become colours: ``classes`` (value -> RGB), a ``ramp`` between low and high, or ``rgb``."""

    kind: str
    classes: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    low: float = 0.0
    high: float = 1.0

    @property
    def bands(self) -> list[int]:
        return [1, 2, 3] if self.kind == "rgb" else [1]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def style_for(details: dict[str, Any]) -> TileStyle | None:
    """The style of a raster version from what ingest stored (``DatasetVersion.details``); None when
    it cannot be drawn (several bands that are not an 8-bit image, unsupported cell types)."""
    if (details.get("bands") or 0) >= 3 and details.get("dtype") == "uint8":
        return TileStyle(kind="rgb")
    statistics = details.get("statistics") or {}
    if statistics.get("kind") == "categorical":
        classes = {int(c["value"]): _rgb(c["colour"]) for c in statistics["classes"]}
        return TileStyle(kind="classes", classes=classes)
    if statistics.get("kind") == "continuous":
        return TileStyle(kind="ramp", low=float(statistics["min"]), high=float(statistics["max"]))
    return None


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def tile_bounds_3857(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a tile in Web Mercator metres."""
    size = 2 * ORIGIN / 2**z
    left, top = -ORIGIN + x * size, ORIGIN - y * size
    return left, top - size, left + size, top


def tile_bounds_4326(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile in degrees."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def _overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    west, south = max(a[0], b[0]), max(a[1], b[1])
    east, north = min(a[2], b[2]), min(a[3], b[3])
    return (west, south, east, north) if west < east and south < north else None


def extent_pieces(bbox_4326: list[float] | tuple[float, ...]) -> list[tuple[float, float, float, float]]:
    """A raster's extent as boxes within -180..180: two when it crosses the antimeridian.

    Ingest stores what GDAL reports: a crossing extent either as west > east (a projected raster
    whose bounds cross 180°) or with longitudes beyond ±180 (a geographic raster laid out from 170
    to 190, or from -190 to -170). Web Mercator tiles never cross 180°, so each piece is drawn on its
    own side of the world.
    """
    west, south, east, north = (float(v) for v in bbox_4326)
    if east < west:
        east += 360
    if east - west >= 360:
        return [(-180.0, south, 180.0, north)]
    shift = math.floor((west + 180) / 360) * 360  # brings west into -180..180
    west, east = west - shift, east - shift
    if east <= 180:
        return [(west, south, east, north)]
    return [(west, south, 180.0, north), (-180.0, south, east - 360, north)]


def tile_overlaps(z: int, x: int, y: int, bbox_4326: list[float] | tuple[float, ...] | None) -> bool:
    """Whether a tile touches the raster's extent: the cheap test that answers most empty tiles."""
    if bbox_4326 is None:
        return False
    tile = tile_bounds_4326(z, x, y)
    return any(_overlap(tile, piece) is not None for piece in extent_pieces(bbox_4326))


@lru_cache(maxsize=1)
def empty_png() -> bytes:
    """One fully transparent tile, encoded once."""
    return encode_png(np.zeros((TILE_SIZE, TILE_SIZE, 4), dtype=np.uint8))


def encode_png(rgba: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def _source_window(source: Any, bounds: tuple[float, float, float, float]) -> Window | None:
    """The whole cells of the raster under ``bounds`` (in the raster's CRS), one cell of margin."""
    window = window_from_bounds(*bounds, transform=source.transform)
    col0 = max(0, math.floor(window.col_off) - 1)
    row0 = max(0, math.floor(window.row_off) - 1)
    col1 = min(source.width, math.ceil(window.col_off + window.width) + 1)
    row1 = min(source.height, math.ceil(window.row_off + window.height) + 1)
    if col1 <= col0 or row1 <= row0:
        return None
    return Window(col0, row0, col1 - col0, row1 - row0)


def _read_under_tile(
    source: Any, z: int, x: int, y: int, bands: list[int], bbox_4326: tuple[float, ...]
) -> np.ndarray | None:
    """The bands on the tile's grid as float64, NaN where there is no data (or None: nothing there)."""
    tile = tile_bounds_4326(z, x, y)
    out = None
    # A tile meets one piece of the extent, read once, but for the tiles of the first zooms.
    for piece in extent_pieces(bbox_4326):
        part = _overlap(tile, piece)
        if part is None:
            continue
        for shift in _longitude_shifts(source, part):
            drawn = _read_part(source, z, x, y, bands, part, shift)
            if drawn is not None:
                out = drawn if out is None else np.where(np.isfinite(drawn), drawn, out)
    return out


def _longitude_shifts(source: Any, part: tuple[float, float, float, float]) -> list[float]:
    """For a raster in degrees laid out beyond ±180 (170..190, or 0..360): the multiples of 360°
    that take a piece of the tile (within -180..180) onto the raster's own longitudes. Just 0 for
    projected rasters, whose projection wraps longitudes itself."""
    if not source.crs.is_geographic:
        return [0.0]
    left, right = source.bounds.left, source.bounds.right
    return [s for s in (0.0, 360.0, -360.0) if part[0] + s < right and part[2] + s > left]


def _read_part(
    source: Any,
    z: int,
    x: int,
    y: int,
    bands: list[int],
    part: tuple[float, float, float, float],
    shift: float,
) -> np.ndarray | None:
    """The bands under ``part`` of the tile (degrees), read from the raster ``shift`` degrees east."""
    shifted = (part[0] + shift, part[1], part[2] + shift, part[3])
    # The overlap (not the whole tile) goes to the raster's CRS: a world tile may not exist there.
    # Shifted degrees stay as they are (a transformation would wrap them back within ±180); the
    # window's margin of one cell covers what a datum other than WGS 84 would move.
    bounds = shifted if shift else transform_bounds("EPSG:4326", source.crs, *part, densify_pts=21)
    if not all(math.isfinite(v) for v in bounds):
        return None
    window = _source_window(source, bounds)
    if window is None:
        return None
    left, bottom, right, top = tile_bounds_3857(z, x, y)
    # Cells of the raster per tile pixel: read at most about one cell per pixel (overviews do the
    # rest). Longitude is linear across a Mercator tile, so the part's share of the tile's width
    # in pixels needs no projection, whatever the raster's CRS.
    tile_west, _south, tile_east, _north = tile_bounds_4326(z, x, y)
    part_pixels = max(1.0, TILE_SIZE * (part[2] - part[0]) / (tile_east - tile_west))
    cells = window_from_bounds(*bounds, transform=source.transform).width
    factor = max(1.0, abs(cells) / part_pixels / 2)
    width, height = max(1, math.ceil(window.width / factor)), max(1, math.ceil(window.height / factor))
    data = source.read(
        bands, window=window, out_shape=(len(bands), height, width), resampling=Resampling.nearest,
        masked=True,
    )  # fmt: skip
    values = data.astype(np.float64).filled(np.nan)
    scale = Affine.scale(window.width / width, window.height / height)
    # Degrees beyond ±180 are moved back by the shift: the same places, on the tile's side.
    src_transform = Affine.translation(-shift, 0) @ source.window_transform(window) @ scale
    out = np.full((len(bands), TILE_SIZE, TILE_SIZE), np.nan)
    reproject(
        values,
        out,
        src_transform=src_transform,
        src_crs=source.crs,
        src_nodata=np.nan,
        dst_transform=transform_from_bounds(left, bottom, right, top, TILE_SIZE, TILE_SIZE),
        dst_crs="EPSG:3857",
        dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )
    return out


def _ramp_table() -> np.ndarray:
    stops = np.array([s for s, _c in RAMP])
    colours = np.array([c for _s, c in RAMP], dtype=np.float64)
    t = np.linspace(0, 1, 256)
    return np.stack([np.interp(t, stops, colours[:, i]) for i in range(3)], axis=-1).astype(np.uint8)


def colour(values: np.ndarray, style: TileStyle) -> np.ndarray:
    """RGBA pixels (h, w, 4) for the bands on the tile grid; unknown classes stay transparent."""
    valid = np.isfinite(values).all(axis=0)
    image = np.zeros((*values.shape[1:], 4), dtype=np.uint8)
    if style.kind == "rgb":
        image[..., :3] = np.clip(np.nan_to_num(values[:3]), 0, 255).astype(np.uint8).transpose(1, 2, 0)
    elif style.kind == "classes" and style.classes:
        codes = np.array(sorted(style.classes), dtype=np.float64)
        table = np.array([style.classes[int(c)] for c in codes], dtype=np.uint8)
        band = np.nan_to_num(values[0], nan=-1.0)
        position = np.clip(np.searchsorted(codes, band), 0, len(codes) - 1)
        image[..., :3] = table[position]
        valid &= codes[position] == band
    elif style.kind == "classes":
        valid[:] = False
    else:
        span = style.high - style.low if style.high > style.low else 1.0
        t = np.clip((np.nan_to_num(values[0]) - style.low) / span, 0, 1)
        image[..., :3] = _ramp_table()[np.round(t * 255).astype(np.intp)]
    image[..., 3] = np.where(valid, 255, 0)
    image[~valid, :3] = 0
    return image


def render_tile(
    path: str | Path, *, z: int, x: int, y: int, style: TileStyle, bbox_4326: list[float] | tuple[float, ...]
) -> bytes:
    """The PNG of tile z/x/y of the raster at ``path``; the shared empty tile when nothing is drawn."""
    if not tile_overlaps(z, x, y, bbox_4326):
        return empty_png()
    with rasterio.open(path) as source:
        values = _read_under_tile(source, z, x, y, style.bands, tuple(bbox_4326))
    if values is None:
        return empty_png()
    image = colour(values, style)
    if not image[..., 3].any():
        return empty_png()
    return encode_png(image)
