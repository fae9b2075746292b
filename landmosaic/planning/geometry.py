"""Geometry of zones and action locations: validated with the boundary rules, kept inside the landscape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import shape

from landmosaic.core.errors import ValidationFailed
from landmosaic.landscapes import boundaries
from landmosaic.landscapes.models import Landscape

POLYGONAL = ("Polygon", "MultiPolygon")


def _relabel(exc: ValidationFailed, field: str) -> ValidationFailed:
    return ValidationFailed(exc.message, code=exc.code, details={field: [exc.message]})


def _inside(landscape: Landscape, geometry: dict[str, Any], *, field: str, message: str) -> None:
    """Refuse a shape that does not touch the landscape (when the landscape has a boundary polygon)."""
    if landscape.boundary_kind != "polygon" or not landscape.boundary_geojson:
        return
    area = shape(landscape.boundary_geojson)
    if not shape(geometry).intersects(area):
        raise ValidationFailed(message, code="outside_landscape", details={field: [message]})


def polygon(*, landscape: Landscape, geometry: Any, field: str = "geometry") -> boundaries.Boundary:
    """A drawn or sent Polygon/MultiPolygon: valid (self-intersections refused), inside the landscape."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        message = _("Draw an area on the map (a GeoJSON Polygon or MultiPolygon).")
        raise ValidationFailed(message, code="not_a_polygon", details={field: [message]})
    try:
        boundary = boundaries.from_geojson(geometry=geometry)
    except ValidationFailed as exc:
        raise _relabel(exc, field) from exc
    _inside(
        landscape,
        boundary.geometry,
        field=field,
        message=_("This area lies outside the landscape's boundary."),
    )
    return boundary


def location(*, landscape: Landscape, geometry: Any, field: str = "location") -> dict[str, Any] | None:
    """An action's location: None, a Point, or a Polygon/MultiPolygon; cleaned GeoJSON."""
    if geometry is None:
        return None
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list | tuple) or len(coordinates) != 2:
            message = _("A point needs two coordinates: longitude and latitude.")
            raise ValidationFailed(message, code="invalid_point", details={field: [message]})
        try:
            point = boundaries.from_point(lon=coordinates[0], lat=coordinates[1]).geometry
        except ValidationFailed as exc:
            raise _relabel(exc, field) from exc
        _inside(landscape, point, field=field, message=_("This place lies outside the landscape's boundary."))
        return point
    if isinstance(geometry, dict) and geometry.get("type") in POLYGONAL:
        return polygon(landscape=landscape, geometry=geometry, field=field).geometry
    message = _("Give a point or an area (GeoJSON Point, Polygon or MultiPolygon).")
    raise ValidationFailed(message, code="invalid_location", details={field: [message]})
