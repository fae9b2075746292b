"""Small data files made in memory, in every format the data commons reads."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import shapely

from landmosaic.datasets.ingest import IngestError, IngestResult, ingest_file
from tests.core.geo.builders import zip_bytes, zipped_shapefile

__all__ = [
    "csv_bytes",
    "fgb_bytes",
    "geojson_bytes",
    "gpkg_bytes",
    "gpx_bytes",
    "kml_bytes",
    "xlsx_bytes",
    "zip_bytes",
    "zipped_shapefile",
]


def ingest(tmp_path: Path, data: bytes, filename: str) -> IngestResult:
    """Ingest ``data`` uploaded as ``filename`` without Django, in a fresh scratch folder."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = folder / "upload.bin"
    source.write_bytes(data)
    (folder / "work").mkdir()
    return ingest_file(path=source, filename=filename, workdir=folder / "work")


def refused(tmp_path: Path, data: bytes, filename: str, code: str) -> IngestError:
    """Ingest a file that must be refused with ``code``; the message must name the file."""
    with pytest.raises(IngestError) as info:
        ingest(tmp_path, data, filename)
    assert info.value.code == code, info.value.message
    assert filename in info.value.message
    return info.value


def codes(part) -> list[str]:
    return [w.code for w in part.warnings]


POINTS = [
    ("Well A", -8.10, 36.10, "2023-01-05"),
    ("Well B", -8.20, 36.20, "2023-02-10"),
    ("Farm", -8.15, 36.05, "2023-03-01"),
]


def csv_bytes(
    rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def points_csv(**kwargs: Any) -> bytes:
    header = kwargs.pop("header", ["name", "latitude", "longitude", "date"])
    return csv_bytes([header, *[list(p) for p in POINTS]], **kwargs)


def _written(suffix: str, write) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write(path)
        return path.read_bytes()


def _layer(
    path: Path,
    geometries: list,
    fields: dict[str, list],
    *,
    layer: str = "data",
    crs: str = "EPSG:4326",
    driver: str,
    append: bool = False,
    geometry_type: str | None = None,
) -> None:
    wkb = np.array([None if g is None else shapely.to_wkb(g) for g in geometries], dtype=object)
    arrays = [np.array(v, dtype=object if isinstance(v[0], str) else None) for v in fields.values()]
    types = {shapely.get_type_id(g) for g in geometries if g is not None}
    names = {
        0: "Point",
        1: "LineString",
        3: "Polygon",
        4: "MultiPoint",
        5: "MultiLineString",
        6: "MultiPolygon",
    }
    pyogrio.raw.write(
        str(path),
        wkb,
        arrays,
        fields=list(fields),
        layer=layer,
        crs=crs,
        driver=driver,
        append=append,
        geometry_type=geometry_type or (names[types.pop()] if len(types) == 1 else "Unknown"),
    )


def gpkg_bytes(layers: dict[str, tuple[list, dict[str, list]]], *, crs: str = "EPSG:4326") -> bytes:
    def write(path: Path) -> None:
        for index, (name, (geometries, fields)) in enumerate(layers.items()):
            _layer(path, geometries, fields, layer=name, crs=crs, driver="GPKG", append=index > 0)

    return _written(".gpkg", write)


def fgb_bytes(geometries: list, fields: dict[str, list], *, crs: str = "EPSG:4326") -> bytes:
    return _written(".fgb", lambda path: _layer(path, geometries, fields, crs=crs, driver="FlatGeobuf"))


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    header, *data = rows
    columns = list(zip(*data, strict=True))

    def write(path: Path) -> None:
        arrays = [np.array(c, dtype=object if isinstance(c[0], str) else None) for c in columns]
        pyogrio.raw.write(str(path), None, arrays, fields=header, driver="XLSX", layer="Sheet1")

    return _written(".xlsx", write)


def geojson_bytes(features: list[dict[str, Any]], **extra: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **extra}).encode()


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def kml_bytes(body: str, *, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    ).encode()


def placemark(name: str, geometry: str) -> str:
    return f"<Placemark><name>{name}</name>{geometry}</Placemark>"


def gpx_bytes(*, waypoints: list[tuple[float, float]] = (), track: list[tuple[float, float]] = ()) -> bytes:
    body = "".join(
        f'<wpt lat="{lat}" lon="{lon}"><name>W{i}</name></wpt>' for i, (lon, lat) in enumerate(waypoints)
    )
    if track:
        points = "".join(f'<trkpt lat="{lat}" lon="{lon}"></trkpt>' for lon, lat in track)
        body += f"<trk><name>Walk</name><trkseg>{points}</trkseg></trk>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<gpx version="1.1" creator="tests" xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>'
    ).encode()
