"""Coordinate reference systems as stored on versions: an authority code when there is one."""

from __future__ import annotations

from pyproj import CRS
from pyproj.exceptions import CRSError

WGS84 = CRS.from_epsg(4326)


def crs_label(crs: str) -> str:
    """ "EPSG:2056" for a CRS with a code, else its WKT (or the text given, if it cannot be parsed)."""
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        return crs
    authority = parsed.to_authority(min_confidence=90)
    return f"{authority[0]}:{authority[1]}" if authority else parsed.to_wkt() or crs
