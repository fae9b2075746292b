"""Vector layers read back from their normalised GeoPackage, and written in other formats."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer

from landmosaic.core.spreadsheet import neutralise

from ..ingest.columns import Columns, cell_texts, columns_from_ogr, ogr_arrays, safe_names
from ..ingest.coordinates import find_coordinate_columns
from ..ingest.crs import WGS84
from ..ingest.workspace import quiet_gdal


def read_layer(
    path: Path, *, max_features: int | None = None, bbox: tuple[float, float, float, float] | None = None
) -> tuple[Columns, np.ndarray, str]:
    """Attributes, shapely geometries and CRS of the single layer of a normalised GeoPackage."""
    with quiet_gdal():
        meta, _fids, wkb, arrays = pyogrio.raw.read(str(path), max_features=max_features, bbox=bbox)
    geometries = shapely.from_wkb(wkb)
    return columns_from_ogr(meta, arrays, len(geometries)), geometries, meta["crs"] or "EPSG:4326"


def to_lonlat(geometries: np.ndarray, crs: str) -> np.ndarray:
    source = CRS.from_user_input(crs)
    if source.equals(WGS84, ignore_axis_order=True):
        return geometries
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometries, project)


def bbox_in(crs: str, bbox_4326: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A longitude/latitude box in the layer's own CRS, for reading through the spatial index."""
    target = CRS.from_user_input(crs)
    if target.equals(WGS84, ignore_axis_order=True):
        return bbox_4326
    transformer = Transformer.from_crs(WGS84, target, always_xy=True)
    return tuple(transformer.transform_bounds(*bbox_4326, densify_pts=21))


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
}


def geometry_type(geometries: np.ndarray) -> str:
    ids = shapely.get_type_id(geometries)
    present = np.unique(ids[ids >= 0])
    return _TYPE_NAMES.get(int(present[0]), "Unknown") if len(present) == 1 else "Unknown"


def _write(path: Path, columns: Columns, geometries: np.ndarray, crs: str, *, driver: str, **options) -> None:
    arrays, masks = ogr_arrays(columns)
    with quiet_gdal():
        pyogrio.raw.write(
            str(path),
            shapely.to_wkb(geometries),
            arrays,
            fields=columns.names,
            field_mask=masks,
            driver=driver,
            geometry_type=geometry_type(geometries),
            crs=crs,
            **options,
        )


def write_geojson(source: Path, target: Path) -> None:
    """RFC 7946 GeoJSON: GDAL reprojects to longitude/latitude."""
    columns, geometries, crs = read_layer(source)
    _write(target, columns, geometries, crs, driver="GeoJSON", layer_options={"RFC7946": "YES"})


def write_kml(source: Path, target: Path) -> None:
    """KML (always longitude/latitude; GDAL reprojects)."""
    columns, geometries, crs = read_layer(source)
    _write(target, columns, geometries, crs, driver="KML")


def write_shapefile_zip(source: Path, target: Path, *, name: str, workdir: Path) -> None:
    """A zipped shapefile in the original CRS (GDAL shortens field names to 10 characters)."""
    columns, geometries, crs = read_layer(source)
    folder = workdir / "shapefile"
    folder.mkdir()
    _write(folder / f"{name}.shp", columns, geometries, crs, driver="ESRI Shapefile",
           layer_options={"ENCODING": "UTF-8"})  # fmt: skip
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)


def csv_columns(fields: list[dict[str, str]], geometry_family: str) -> list[dict[str, str]]:
    """The extra columns a vector CSV gets: lon/lat for points (unless the table already has them,
    as point tables uploaded from spreadsheets do), else WKT; names never clash with the fields."""
    names = [f["name"] for f in fields]
    if geometry_family == "points":
        if find_coordinate_columns(names) is not None:
            return []
        wanted = [("longitude", "number"), ("latitude", "number")]
    else:
        wanted = [("wkt", "string")]
    unique, _renamed = safe_names([*names, *(w for w, _t in wanted)], reserved=False)
    return [{"name": n, "type": t} for n, (_w, t) in zip(unique[len(names) :], wanted, strict=True)]


def write_csv(source: Path, target: Path, *, geometry_family: str) -> list[dict[str, str]]:
    """Attributes (formula injection neutralised) plus positions in EPSG:4326; returns the fields."""
    columns, geometries, crs = read_layer(source)
    geometries = to_lonlat(geometries, crs)
    texts = []
    for array, kind in zip(columns.arrays, columns.types, strict=True):
        values = cell_texts(array, kind)
        texts.append([neutralise(v) for v in values] if kind == "string" else values)
    extra = csv_columns(columns.fields(), geometry_family)
    if len(extra) == 2:
        x, y = shapely.get_x(geometries), shapely.get_y(geometries)
        texts.append(cell_texts(np.where(shapely.is_missing(geometries), np.nan, x), "number"))
        texts.append(cell_texts(np.where(shapely.is_missing(geometries), np.nan, y), "number"))
    elif extra:
        wkt = shapely.to_wkt(geometries, rounding_precision=7, trim=True)
        texts.append(["" if w is None else w for w in wkt.tolist()])
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns.names, *(e["name"] for e in extra)])
        writer.writerows(zip(*texts, strict=True))
    return [*columns.fields(), *extra]
