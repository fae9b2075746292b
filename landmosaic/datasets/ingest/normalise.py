"""The archival copies: vector -> GeoPackage (spatial index, original CRS), table -> UTF-8 CSV
(raster -> Cloud-Optimised GeoTIFF, see ``raster``).

Each produced dataset is a ``Part`` that carries its normalised file and what inspection found.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from .columns import Columns, cell_texts, ogr_arrays, table_schema, temporal_ranges
from .crs import WGS84, crs_label
from .messages import IngestMessage


@dataclass
class Part:
    """One dataset produced by an upload (a file may hold several: layers, kinds of geometry)."""

    kind: str  # vector | table | raster | document
    base_title: str
    layer: str = ""
    family: str = ""  # points | lines | polygons, for vector parts
    split: bool = False  # one of several kinds of geometry found in the same layer
    normalised: Path | None = None
    normalised_format: str = ""  # gpkg | csv | cog | ""
    crs: str = ""
    geometry_type: str = ""
    fields: list[dict[str, str]] = field(default_factory=list)
    row_count: int | None = None
    bbox_4326: list[float] | None = None
    temporal: list[dict[str, str]] = field(default_factory=list)
    table_schema: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    warnings: list[IngestMessage] = field(default_factory=list)
    #: Further files stored beside the normalised copy, by name (a raster's quicklook.png).
    extras: dict[str, Path] = field(default_factory=dict)


def layer_name(title: str) -> str:
    """A plain ASCII layer name for the GeoPackage (GIS software shows it)."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", title).strip("_")[:60] or "data"


def bbox_4326(geometries: np.ndarray, crs: str) -> list[float] | None:
    """West, south, east, north in longitude/latitude, or None when nothing has a position."""
    return bbox_from_bounds(shapely.total_bounds(geometries), crs)


def bbox_from_bounds(bounds: np.ndarray, crs: str) -> list[float] | None:
    """``bbox_4326`` from the bounds in the layer's CRS (summed batch by batch)."""
    if not np.isfinite(bounds).all():
        return None
    try:
        source = CRS.from_user_input(crs)
        if not source.equals(WGS84, ignore_axis_order=True):
            transformer = Transformer.from_crs(source, WGS84, always_xy=True)
            bounds = transformer.transform_bounds(*bounds, densify_pts=21)
    except (CRSError, ProjError):
        return None
    if not all(math.isfinite(v) for v in bounds):
        return None
    return [round(float(v), 7) for v in bounds]


def write_vector(part: Part, columns: Columns, geometries: np.ndarray, *, crs: str, target: Path) -> Part:
    """Write the GeoPackage (GDAL adds the R-tree spatial index) and fill in the inspection."""
    arrays, masks = ogr_arrays(columns)
    pyogrio.raw.write(
        str(target),
        shapely.to_wkb(geometries),
        arrays,
        fields=columns.names,
        field_mask=masks,
        layer=layer_name(part.base_title),
        driver="GPKG",
        geometry_type=part.geometry_type,
        crs=crs,
        promote_to_multi=False,
        # GDAL's time-zone flag 100 is UTC: the GeoPackage writes those date-times with "Z".
        gdal_tz_offsets={name: np.full(columns.length, 100) for name in columns.utc} or None,
    )
    part.normalised, part.normalised_format = target, "gpkg"
    part.crs = crs_label(crs)
    part.fields = columns.fields()
    part.row_count = columns.length
    part.bbox_4326 = bbox_4326(geometries, crs)
    part.temporal = temporal_ranges(columns)
    return part


def write_table(part: Part, columns: Columns, *, target: Path) -> Part:
    """Write the UTF-8 CSV and its Frictionless Table Schema."""
    texts = [cell_texts(array, kind) for array, kind in zip(columns.arrays, columns.types, strict=True)]
    # Known moments are held in UTC: written with "Z", as the GeoPackage writes them.
    texts = [
        [t and f"{t}Z" for t in cells] if name in columns.utc else cells
        for name, cells in zip(columns.names, texts, strict=True)
    ]
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns.names)
        writer.writerows(zip(*texts, strict=True))
    part.normalised, part.normalised_format = target, "csv"
    part.fields = columns.fields()
    part.table_schema = table_schema(part.fields)
    part.row_count = columns.length
    part.temporal = temporal_ranges(columns)
    return part
