"""Downloads of a version in other formats, produced from its normalised file; free of Django.

Vector: GeoPackage (the normalised file itself), GeoJSON, CSV, zipped shapefile, KML.
Table: CSV and XLSX. Raster: Cloud-Optimised GeoTIFF (the normalised file itself).
Every format can also come as a Frictionless data package (a zip with ``datapackage.json``), see
``datapackage``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw

from landmosaic.core.spreadsheet import neutralise

from ..ingest.columns import ogr_arrays
from ..ingest.workspace import quiet_gdal
from . import vector
from .tables import read_columns, rows


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: str
    suffix: str
    media_type: str
    kinds: tuple[str, ...]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.code: f
    for f in [
        ExportFormat("gpkg", "GeoPackage", ".gpkg", "application/geopackage+sqlite3", ("vector",)),
        ExportFormat("geojson", "GeoJSON", ".geojson", "application/geo+json", ("vector",)),
        ExportFormat("csv", "CSV", ".csv", "text/csv", ("vector", "table")),
        ExportFormat("shp", "Shapefile (zip)", ".zip", "application/zip", ("vector",)),
        ExportFormat("kml", "KML", ".kml", "application/vnd.google-earth.kml+xml", ("vector",)),
        ExportFormat(
            "xlsx",
            "XLSX",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("table",),
        ),
        ExportFormat(
            "cog",
            "Cloud-Optimised GeoTIFF",
            ".tif",
            "image/tiff; application=geotiff; profile=cloud-optimized",
            ("raster",),
        ),
    ]
}
#: Formats whose file is the version's normalised copy itself: served as stored, never produced.
NORMALISED_FORMATS = {"vector": "gpkg", "raster": "cog"}


def formats_for(kind: str) -> list[ExportFormat]:
    return [f for f in EXPORT_FORMATS.values() if kind in f.kinds]


def produce(
    code: str,
    *,
    source: Path,
    kind: str,
    fields: list[dict[str, str]],
    geometry_family: str,
    workdir: Path,
    name: str,
) -> tuple[Path, list[dict[str, str]]]:
    """Write ``name`` + suffix in ``workdir`` from the normalised ``source``; returns it and its fields."""
    fmt = EXPORT_FORMATS[code]
    target = workdir / f"{name}{fmt.suffix}"
    if code == "geojson":
        vector.write_geojson(source, target)
    elif code == "kml":
        vector.write_kml(source, target)
    elif code == "shp":
        vector.write_shapefile_zip(source, target, name=name, workdir=workdir)
    elif code == "csv" and kind == "vector":
        fields = vector.write_csv(source, target, geometry_family=geometry_family)
    elif code == "csv":
        write_table_csv(source, target, fields=fields)
    elif code == "xlsx":
        write_table_xlsx(source, target, fields=fields)
    else:
        raise ValueError(f"no export {code!r} for {kind}")
    return target, fields


def write_table_csv(source: Path, target: Path, *, fields: list[dict[str, str]]) -> None:
    """The normalised CSV again, row by row, with formula injection neutralised in text columns."""
    text_columns = [i for i, f in enumerate(fields) if f["type"] == "string"]
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([f["name"] for f in fields])
        for row in rows(source):
            for index in text_columns:
                if index < len(row):
                    row[index] = neutralise(row[index])
            writer.writerow(row)


def write_table_xlsx(source: Path, target: Path, *, fields: list[dict[str, str]]) -> None:
    """An XLSX workbook with typed cells; text cells neutralised like the CSV."""
    columns = read_columns(source, fields)
    for index, kind in enumerate(columns.types):
        if kind == "string":
            values = [None if v is None else neutralise(v) for v in columns.arrays[index].tolist()]
            columns.arrays[index] = np.array(values, dtype=object)
    arrays, masks = ogr_arrays(columns)
    with quiet_gdal():
        pyogrio.raw.write(
            str(target), None, arrays, fields=columns.names, field_mask=masks, driver="XLSX", layer="data"
        )
