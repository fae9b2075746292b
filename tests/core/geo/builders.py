"""Small boundary files made in memory, so the tests need no fixtures on disk."""

from __future__ import annotations

import io
import json
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

# A square of about 1.1 km x 0.77 km next to Lausanne.
SQUARE = [[6.60, 46.50], [6.61, 46.50], [6.61, 46.51], [6.60, 46.51], [6.60, 46.50]]
BOWTIE = [[6.60, 46.50], [6.61, 46.51], [6.61, 46.50], [6.60, 46.51], [6.60, 46.50]]


def square(x0: float = 6.60, y0: float = 46.50, size: float = 0.01) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings) or [SQUARE]}


def feature(geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": "test"}, "geometry": geometry}


def collection(*geometries: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(g) for g in geometries], **extra}


def dumps(document: Any) -> bytes:
    return json.dumps(document).encode()


def kml_coordinates(ring: list[list[float]]) -> str:
    return " ".join(f"{x},{y},0" for x, y in ring)


def kml_polygon(outer: list[list[float]], *inner: list[list[float]]) -> str:
    holes = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{kml_coordinates(r)}</coordinates></LinearRing></innerBoundaryIs>"
        for r in inner
    )
    return (
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{kml_coordinates(outer)}"
        f"</coordinates></LinearRing></outerBoundaryIs>{holes}</Polygon>"
    )


def kml(*placemark_geometries: str, namespace: bool = True) -> bytes:
    xmlns = ' xmlns="http://www.opengis.net/kml/2.2"' if namespace else ""
    placemarks = "".join(
        f"<Placemark><name>P{i}</name>{geometry}</Placemark>"
        for i, geometry in enumerate(placemark_geometries)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><kml{xmlns}><Document>{placemarks}</Document></kml>'.encode()
    )


def gpx_points(ring: list[list[float]], tag: str) -> str:
    return "".join(f'<{tag} lat="{y}" lon="{x}"><ele>500</ele></{tag}>' for x, y in ring)


def gpx(
    *, tracks: list[list[list[float]]] = (), routes: list[list[list[float]]] = (), waypoints: int = 0
) -> bytes:
    body = "".join(f'<wpt lat="46.5" lon="6.6"><name>W{i}</name></wpt>' for i in range(waypoints))
    body += "".join(f"<trk><name>T</name><trkseg>{gpx_points(t, 'trkpt')}</trkseg></trk>" for t in tracks)
    body += "".join(f"<rte><name>R</name>{gpx_points(r, 'rtept')}</rte>" for r in routes)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>'
    ).encode()


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def shapefile_parts(
    geometries: list[shapely.Geometry | None],
    *,
    crs: str | None = "EPSG:4326",
    geometry_type: str = "Polygon",
    stem: str = "boundary",
) -> dict[str, bytes]:
    """The files pyogrio writes for a shapefile, keyed by `stem` + extension."""
    wkb = np.array([None if g is None else shapely.to_wkb(g) for g in geometries], dtype=object)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layer.shp"
        with warnings.catch_warnings():
            # A shapefile without .prj is exactly what some tests want.
            warnings.filterwarnings("ignore", message="'crs' was not provided")
            pyogrio.raw.write(
                str(path),
                wkb,
                [np.array([f"f{i}" for i in range(len(geometries))], dtype=object)],
                fields=["name"],
                geometry_type=geometry_type,
                crs=crs,
                driver="ESRI Shapefile",
            )
        return {f"{stem}{p.suffix}": p.read_bytes() for p in sorted(Path(folder).iterdir())}


def zipped_shapefile(geometries: list[shapely.Geometry | None], *, folder: str = "", **kwargs: Any) -> bytes:
    parts = shapefile_parts(geometries, **kwargs)
    return zip_bytes({f"{folder}{name}": content for name, content in parts.items()})


def patch_zip_header(data: bytes, *, local_offset: int, central_offset: int, value: bytes) -> bytes:
    """Overwrite a field of the first local header and first central directory entry (header forging)."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    central = patched.find(b"PK\x01\x02")
    patched[local + local_offset : local + local_offset + len(value)] = value
    patched[central + central_offset : central + central_offset + len(value)] = value
    return bytes(patched)
