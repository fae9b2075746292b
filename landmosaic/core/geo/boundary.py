"""The boundary-parsing API in one import: `from landmosaic.core.geo import boundary as geo`."""

from landmosaic.core.geo.display import simplify_for_display
from landmosaic.core.geo.limits import BoundaryLimits
from landmosaic.core.geo.measure import geometry_bbox
from landmosaic.core.geo.messages import MESSAGES, WARNING_CODES, BoundaryError, BoundaryMessage, gettext_noop
from landmosaic.core.geo.parse import boundary_from_geojson, boundary_from_point, parse_boundary_file
from landmosaic.core.geo.result import Boundary

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
