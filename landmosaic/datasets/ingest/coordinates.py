"""Positions in tables: latitude/longitude columns in common spellings and languages, or WKT."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely

from .columns import Columns, normalise_name
from .messages import IngestError, IngestMessage

# Normalised names (see ``normalise_name``), best first. English, Spanish, Portuguese, French,
# GPS and Darwin Core spellings; x/y come last and are only taken when they hold degrees.
LATITUDE_NAMES = ("latitude", "lat", "latitud", "latdd", "decimallatitude", "gpslatitude", "latwgs84")
LONGITUDE_NAMES = (
    "longitude",
    "lon",
    "lng",
    "long",
    "longitud",
    "londd",
    "lngdd",
    "decimallongitude",
    "gpslongitude",
    "lonwgs84",
)
X_NAMES = ("x", "xcoord", "coordx", "xcoordinate")
Y_NAMES = ("y", "ycoord", "coordy", "ycoordinate")
WKT_NAMES = ("wkt", "geometry", "geom", "thegeom", "wktgeom", "shape", "geometrie", "geometria")
_WKT_START = re.compile(
    r"^\s*(SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)",
    re.IGNORECASE,
)
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
FIRST_DATA_ROW = 2  # spreadsheets and text editors show the header as row 1


@dataclass(frozen=True)
class CoordinateColumns:
    latitude: str
    longitude: str
    xy: bool  # found through x/y names: only degrees make them positions


def _find(normalised: dict[str, str], candidates: tuple[str, ...], suffix: str = "") -> str | None:
    for candidate in candidates:
        for original, plain in normalised.items():
            if plain == candidate:
                return original
    if suffix:
        for original, plain in normalised.items():
            if plain.endswith(suffix):
                return original
    return None


def find_coordinate_columns(names: list[str]) -> CoordinateColumns | None:
    """The latitude and longitude columns, by name; None when the table has no such pair."""
    normalised = {name: normalise_name(name) for name in names}
    lat = _find(normalised, LATITUDE_NAMES, "latitude")
    lon = _find(normalised, LONGITUDE_NAMES, "longitude")
    if lat and lon and lat != lon:
        return CoordinateColumns(lat, lon, xy=False)
    y, x = _find(normalised, Y_NAMES), _find(normalised, X_NAMES)
    if x and y:
        return CoordinateColumns(y, x, xy=True)
    return None


def find_wkt_column(columns: Columns) -> str | None:
    """A text column named like a geometry whose first value is WKT."""
    normalised = {name: normalise_name(name) for name in columns.names}
    for name, plain in normalised.items():
        if plain not in WKT_NAMES or columns.types[columns.names.index(name)] != "string":
            continue
        values = columns.column(name)
        first = next((v for v in values.tolist() if v), None)
        if first is not None and _WKT_START.match(first):
            return name
    return None


def _as_degrees(array: np.ndarray, *, column: str, filename: str, start: int = 0) -> np.ndarray:
    """Floats (NaN for empty); the first value that is not a number refuses the file with its row."""
    if array.dtype.kind in "iuf":
        return array.astype(np.float64)
    out = np.full(len(array), np.nan)
    for index, value in enumerate(array.tolist()):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = str(value).strip()
        if _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            out[index] = float(text)
        except ValueError:
            raise IngestError(
                "coordinate_not_number",
                filename=filename,
                row=start + index + FIRST_DATA_ROW,
                column=column,
                value=text[:40],
            ) from None
        if not np.isfinite(out[index]):
            raise IngestError(
                "coordinate_not_number",
                filename=filename,
                row=start + index + FIRST_DATA_ROW,
                column=column,
                value=text[:40],
            )
    return out


def points_from_columns(
    columns: Columns, found: CoordinateColumns, *, filename: str
) -> tuple[np.ndarray | None, list[IngestMessage]]:
    """Point geometries (None where a row has no position), or None when x/y are not degrees."""
    reader = PointReader(found, filename=filename)
    points = reader.batch(columns, start=0)
    return points, reader.finish()


class PointReader:
    """Points from latitude/longitude columns, batch by batch, refusing as a whole-table read would.

    A value out of range refuses the file, naming its row, unless every row with a position looks
    swapped (latitude in the longitude column): that needs the whole file, so the refusal may wait
    for the last batch (the rows read meanwhile are only checked). x/y columns that are not degrees
    make the file a table (``projected``).
    """

    def __init__(self, found: CoordinateColumns, *, filename: str) -> None:
        self.found, self.filename = found, filename
        self.projected = False
        self.pending: IngestError | None = None  # the first value out of range
        self._all_swapped = True  # every row with a position so far looks swapped
        self._missing = 0
        self._first_missing_row = 0

    def batch(self, columns: Columns, *, start: int) -> np.ndarray | None:
        """The batch's points (None for rows without a position); None once x/y prove projected."""
        found, filename = self.found, self.filename
        lat = _as_degrees(
            columns.column(found.latitude), column=found.latitude, filename=filename, start=start
        )
        lon = _as_degrees(
            columns.column(found.longitude), column=found.longitude, filename=filename, start=start
        )
        lat_missing, lon_missing = np.isnan(lat), np.isnan(lon)
        half = np.flatnonzero(lat_missing != lon_missing)
        if half.size:
            row = int(half[0])
            present, missing = (
                (found.longitude, found.latitude) if lat_missing[row] else (found.latitude, found.longitude)
            )
            raise IngestError(
                "coordinate_missing_pair",
                filename=filename,
                row=start + row + FIRST_DATA_ROW,
                present=present,
                missing=missing,
            )
        has = ~lat_missing
        bad_lat = has & (np.abs(lat) > 90)
        bad_lon = has & (np.abs(lon) > 180)
        if bad_lat.any() or bad_lon.any():
            if found.xy:
                self.projected = True
                return None
            if self.pending is None:
                self.pending = _out_of_range(
                    lat, lon, bad_lat, bad_lon, found=found, filename=filename, start=start
                )
        swapped = bad_lat & (np.abs(lat) <= 180) & (np.abs(lon) <= 90)
        if (has & ~swapped).any():
            self._all_swapped = False
        if self.pending is not None and not self._all_swapped:
            raise self.pending
        if lat_missing.any():
            if not self._missing:
                self._first_missing_row = start + int(np.flatnonzero(lat_missing)[0]) + FIRST_DATA_ROW
            self._missing += int(lat_missing.sum())
        geometries = np.full(len(lat), None, dtype=object)
        geometries[has] = shapely.points(lon[has], lat[has])
        return geometries

    def finish(self) -> list[IngestMessage]:
        """After the last batch: the refusal that waited for it, or the warnings."""
        found, filename = self.found, self.filename
        if self.projected:
            return [
                IngestMessage(
                    "projected_xy_kept_as_table",
                    {"filename": filename, "x": found.longitude, "y": found.latitude},
                )
            ]
        if self.pending is not None:  # every row with a position looked swapped
            raise IngestError(
                "coordinates_swapped", filename=filename, lat=found.latitude, lon=found.longitude
            )
        if not self._missing:
            return []
        return [
            IngestMessage(
                "rows_without_coordinates",
                {"filename": filename, "count": self._missing, "row": self._first_missing_row},
            )
        ]


def _out_of_range(
    lat, lon, bad_lat, bad_lon, *, found: CoordinateColumns, filename: str, start: int
) -> IngestError:
    first_lat = int(np.argmax(bad_lat)) if bad_lat.any() else len(lat)
    first_lon = int(np.argmax(bad_lon)) if bad_lon.any() else len(lon)
    if first_lat <= first_lon:
        return IngestError(
            "latitude_out_of_range",
            filename=filename,
            row=start + first_lat + FIRST_DATA_ROW,
            column=found.latitude,
            value=f"{lat[first_lat]:g}",
        )
    return IngestError(
        "longitude_out_of_range",
        filename=filename,
        row=start + first_lon + FIRST_DATA_ROW,
        column=found.longitude,
        value=f"{lon[first_lon]:g}",
    )


def geometries_from_wkt(values: np.ndarray, *, column: str, filename: str, start: int = 0) -> np.ndarray:
    """Geometries parsed from WKT text (an optional EWKT ``SRID=…;`` prefix is ignored)."""
    texts = np.array(
        [None if not v else re.sub(r"^\s*SRID=\d+;", "", str(v)) for v in values.tolist()], dtype=object
    )
    geometries = shapely.from_wkt(texts, on_invalid="ignore")
    failed = np.flatnonzero(np.not_equal(texts, None) & shapely.is_missing(geometries))
    if failed.size:
        row = int(failed[0])
        raise IngestError(
            "invalid_wkt",
            filename=filename,
            row=start + row + FIRST_DATA_ROW,
            column=column,
            value=str(values[row])[:60],
        )
    return geometries
