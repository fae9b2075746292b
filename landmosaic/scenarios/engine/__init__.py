"""Pure land-use scenario engine: change analysis, yearly projection, interventions, impacts and validation.

No Django here (import-linter enforces it). Raster files are handled in ``engine.io`` only, which is not
imported by this package so that the numerical core needs nothing but numpy and scipy.
"""

from .change import (
    AnnualMatrix,
    CrossTab,
    annualise,
    count_codes,
    cross_tabulate,
    present_classes,
    transition_matrix,
)
from .impacts import (
    CarbonPools,
    ZoneImpacts,
    area_by_class,
    carbon_stock,
    carbon_valuation,
    impacts_by_zone,
    yearly_impacts,
)
from .interventions import Intervention, adjusted_matrix
from .potential import Driver, normalise_driver
from .projection import ProjectionParams, YearMap, YearStep, project, project_steps, transition_quantities
from .validation import HindcastResult, MapComparison, compare_maps, hindcast

__all__ = [
    "AnnualMatrix",
    "CarbonPools",
    "CrossTab",
    "Driver",
    "HindcastResult",
    "Intervention",
    "MapComparison",
    "ProjectionParams",
    "YearMap",
    "YearStep",
    "ZoneImpacts",
    "adjusted_matrix",
    "annualise",
    "area_by_class",
    "carbon_stock",
    "carbon_valuation",
    "compare_maps",
    "count_codes",
    "cross_tabulate",
    "hindcast",
    "impacts_by_zone",
    "normalise_driver",
    "present_classes",
    "project",
    "project_steps",
    "transition_matrix",
    "transition_quantities",
    "yearly_impacts",
]
