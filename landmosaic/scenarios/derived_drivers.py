"""Drivers made from the landscape's data, so nobody needs GIS software: the distance to the features of
a map layer (roads, rivers, settlements) and the slope of an elevation raster, computed on the grid of the
set's second land-cover map (the grid every run works on) and written as a GeoTIFF of metres or degrees.

The file becomes a raster dataset of the landscape like any upload, so runs and hindcasts read it as they
read any other driver raster (see drivers.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import pyogrio
import rasterio
import rasterio.errors
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from rasterio.enums import Resampling
from rasterio.warp import reproject

from landmosaic.core.errors import ValidationFailed
from landmosaic.datasets import storage as dataset_storage

from . import commons
from .engine.derive import cell_size_metres, distance_to, slope_degrees
from .engine.io import rasterize_geometries

#: How a driver is made: chosen among the landscape's rasters, or derived from a map layer or elevation.
KINDS = ("raster", "distance", "slope")
NODATA = -9999.0


@dataclass(frozen=True)
class Grid:
    crs: Any
    transform: Any
    width: int
    height: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.height, self.width

    @property
    def profile(self) -> dict[str, Any]:
        return {"crs": self.crs, "transform": self.transform, "width": self.width, "height": self.height}

    def cell_metres(self) -> tuple[float, float, str]:
        """The cell's size in metres, and a note saying how it was found on a longitude/latitude grid."""
        geographic = CRS.from_user_input(self.crs).is_geographic
        latitude = self.transform.f + self.transform.e * self.height / 2
        width, height = cell_size_metres(
            cell_x=self.transform.a, cell_y=self.transform.e, geographic=geographic, latitude=latitude
        )
        note = ""
        if geographic:
            note = _(
                "The land-cover map is in longitude/latitude: cells were taken as "
                "%(width).1f × %(height).1f m, their size at the map's centre latitude (%(latitude).3f°), "
                "so values are approximate far from it."
            ) % {"width": width, "height": height, "latitude": latitude}
        return width, height, note


@dataclass(frozen=True)
class Derived:
    """A derived driver before it is stored: its values on the grid, a title and a description."""

    values: np.ndarray
    title: str
    description: str


def set_grid(scenario_set: Any) -> Grid:
    """The grid of the set's second land-cover map, which every run projects on."""
    if scenario_set.t1_version is None:
        raise ValidationFailed(
            _("The set's second land-cover map was deleted: choose the maps again before adding drivers."),
            code="map_deleted",
        )
    with commons.local_raster(scenario_set.t1_version) as path, rasterio.open(path) as source:
        return Grid(crs=source.crs, transform=source.transform, width=source.width, height=source.height)


def distance_driver(*, layer: Any, grid: Grid) -> Derived:
    """Metres from each cell to the nearest feature of a map layer (lines and points burn every cell they
    touch, so a thin road is never lost between cell centres)."""
    version = layer.current_version
    geometries = _layer_geometries(version, crs=grid.crs)
    mask = rasterize_geometries(
        geometries=geometries, transform=grid.transform, shape=grid.shape, all_touched=True
    )
    if not mask.any():
        raise ValidationFailed(
            _("“%(title)s” has no feature on the land-cover map's area: choose a layer that crosses it.")
            % {"title": layer.title},
            code="driver_no_features",
        )
    width, height, note = grid.cell_metres()
    values = distance_to(mask, cell_x=width, cell_y=height)
    description = _("Distance in metres to the nearest feature of “%(title)s” (version %(version)s).") % {
        "title": layer.title,
        "version": version.number,
    }
    return Derived(
        values=values,
        title=_("Distance to %(title)s") % {"title": layer.title},
        description=f"{description} {note}".strip(),
    )


def slope_driver(*, elevation: Any, grid: Grid) -> Derived:
    """Slope in degrees of an elevation raster (metres) read onto the grid (bilinear)."""
    version = elevation.current_version
    if commons.raster_kind(version) != "continuous":
        raise ValidationFailed(
            _(
                "“%(title)s” does not hold elevations (it holds classes or no values): "
                "choose an elevation map."
            )
            % {"title": elevation.title},
            code="driver_not_elevation",
        )
    values = np.full(grid.shape, np.nan, dtype=np.float64)
    try:
        with commons.local_raster(version) as path, rasterio.open(path) as source:
            if not np.issubdtype(np.dtype(source.dtypes[0]), np.number) or "complex" in source.dtypes[0]:
                raise ValueError("not a numeric band")
            reproject(
                source=rasterio.band(source, 1), destination=values, dst_transform=grid.transform,
                dst_crs=grid.crs, dst_nodata=np.nan, resampling=Resampling.bilinear,
            )  # fmt: skip
    except (rasterio.errors.RasterioError, ValueError) as exc:
        raise ValidationFailed(
            _("“%(title)s” could not be read as elevations on the land-cover map.")
            % {"title": elevation.title},
            code="driver_unreadable",
        ) from exc
    if not np.isfinite(values).any():
        raise ValidationFailed(
            _("“%(title)s” does not cover the land-cover map.") % {"title": elevation.title},
            code="driver_outside",
        )
    width, height, note = grid.cell_metres()
    slope = slope_degrees(values, cell_x=width, cell_y=height)
    description = _("Slope in degrees of “%(title)s” (version %(version)s), elevations taken as metres.") % {
        "title": elevation.title,
        "version": version.number,
    }
    return Derived(
        values=slope,
        title=_("Slope of %(title)s") % {"title": elevation.title},
        description=f"{description} {note}".strip(),
    )


@contextmanager
def written(derived: Derived, *, grid: Grid) -> Iterator[Path]:
    """The values as a float32 GeoTIFF on the grid (no data: -9999), in a temporary folder."""
    values = np.where(np.isfinite(derived.values), derived.values, NODATA).astype(np.float32)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "driver.tif"
        with rasterio.open(
            path, "w", driver="GTiff", dtype="float32", count=1, nodata=NODATA, compress="deflate",
            **grid.profile,
        ) as target:  # fmt: skip
            target.write(values, 1)
        yield path


def _layer_geometries(version: Any, *, crs: Any) -> list[Mapping[str, Any]]:
    """Every feature's geometry of a map layer version, in the grid's CRS (all of them: the map preview
    simplifies and caps features, a distance must not)."""
    if version.normalised_format != "gpkg" or not version.normalised_path:
        return []
    with dataset_storage.version_file(version.normalised_path) as path:
        meta, _fids, blobs, _fields = pyogrio.raw.read(str(path), columns=[], read_geometry=True)
    if blobs is None or not len(blobs):
        return []
    shapes = [g for g in shapely.from_wkb(blobs) if g is not None and not g.is_empty]
    source = CRS.from_user_input(meta.get("crs") or version.crs or "EPSG:4326")
    transformer = Transformer.from_crs(source, CRS.from_user_input(crs), always_xy=True)
    moved = shapely.transform(np.asarray(shapes, dtype=object), _xy(transformer), interleaved=False)
    return [shapely.geometry.mapping(g) for g in moved]


def _xy(transformer: Transformer):
    def move(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return transformer.transform(x, y)

    return move
