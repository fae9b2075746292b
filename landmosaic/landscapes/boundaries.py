"""Django side of boundary parsing: limits from settings, errors in the user's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.geo import boundary as geo

Boundary = geo.Boundary


def limits() -> geo.BoundaryLimits:
    return geo.BoundaryLimits(
        max_bytes=settings.BOUNDARY_MAX_BYTES, max_vertices=settings.BOUNDARY_MAX_VERTICES
    )


def _translated(exc: geo.BoundaryError) -> ValidationFailed:
    message = exc.render(gettext)
    return ValidationFailed(message, code=f"boundary_{exc.code}", details={"boundary": [message]})


def from_file(*, data: bytes, filename: str) -> Boundary:
    try:
        return geo.parse_boundary_file(data=data, filename=filename, limits=limits())
    except geo.BoundaryError as exc:
        raise _translated(exc) from exc


def from_geojson(*, geometry: Any) -> Boundary:
    if not isinstance(geometry, dict):
        raise ValidationFailed(
            gettext("The drawn boundary is not a GeoJSON geometry."), code="boundary_not_geojson"
        )
    try:
        return geo.boundary_from_geojson(geometry=geometry, limits=limits())
    except geo.BoundaryError as exc:
        raise _translated(exc) from exc


def from_point(*, lon: float, lat: float) -> Boundary:
    try:
        return geo.boundary_from_point(lon=lon, lat=lat)
    except geo.BoundaryError as exc:
        raise _translated(exc) from exc


def display_geometry(boundary: Boundary) -> dict[str, Any]:
    """A light version of the boundary for maps: about 1/1000 of the landscape's width, at least 10 m."""
    if boundary.geometry["type"] == "Point":
        return boundary.geometry
    west, south, east, north = boundary.bbox
    width_m = max(east - west, north - south) * 111_000
    return geo.simplify_for_display(geometry=boundary.geometry, tolerance_m=max(10.0, width_m / 1000))
