"""Pure geometry helpers for Landmosaic (no Django): boundary parsing, cleaning and measuring."""

from landmosaic.core.geo.boundary import (
    MESSAGES,
    WARNING_CODES,
    Boundary,
    BoundaryError,
    BoundaryLimits,
    BoundaryMessage,
    boundary_from_geojson,
    boundary_from_point,
    geometry_bbox,
    gettext_noop,
    parse_boundary_file,
    simplify_for_display,
)

__all__ = [
    "MESSAGES",
    "WARNING_CODES",
    "Boundary",
    "BoundaryError",
    "BoundaryLimits",
    "BoundaryMessage",
    "boundary_from_geojson",
    "boundary_from_point",
    "geometry_bbox",
    "gettext_noop",
    "parse_boundary_file",
    "simplify_for_display",
]
