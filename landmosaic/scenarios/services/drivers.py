"""Adding a driver derived from the landscape's data (distance to a map layer, slope of an elevation map)."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import ValidationFailed

from .. import commons
from ..derived_drivers import distance_driver, set_grid, slope_driver, written
from ..drivers import MAX_DRIVERS, clean_weight_and_effect
from ..models import ScenarioSet
from .sets import scenario_set_update_drivers

DERIVED_KINDS = ("distance", "slope")


def scenario_set_add_derived_driver(
    *, actor: Any, scenario_set: ScenarioSet, kind: str, dataset_id: Any, weight: Any, effect: Any
) -> ScenarioSet:
    """Compute a driver from a map layer (``distance``: metres to its nearest feature) or an elevation
    raster (``slope``: degrees) on the set's grid, store it as a raster dataset of the landscape and add it
    to the set's drivers. "repels" makes change likelier where the values are low (near, flat).

    Everything is checked before the dataset is stored, so a refusal stores nothing."""
    permissions.check(actor, "change", scenario_set)
    current = [dict(d) for d in scenario_set.drivers]
    number = len(current) + 1
    if kind not in DERIVED_KINDS:
        raise ValidationFailed(
            _("Choose how the driver is made: distance to a map layer or slope from an elevation map."),
            code="invalid_driver",
            details={"kind": ["unknown"]},
        )
    if len(current) >= MAX_DRIVERS:
        raise ValidationFailed(
            _("Use at most %(max)s drivers.") % {"max": MAX_DRIVERS},
            code="invalid_driver",
            details={"dataset_id": ["too many"]},
        )
    weight, effect = clean_weight_and_effect({"weight": weight, "effect": effect}, number=number)
    landscape = scenario_set.landscape
    choices = (
        commons.vector_datasets(actor=actor, landscape=landscape)
        if kind == "distance"
        else commons.raster_datasets(actor=actor, landscape=landscape)
    )
    source = choices.filter(pk=_int(dataset_id)).first()
    if source is None:
        message = (
            _("Choose a map layer of this landscape (roads, rivers, settlements…) to measure distances to.")
            if kind == "distance"
            else _("Choose an elevation raster of this landscape.")
        )
        raise ValidationFailed(message, code="invalid_driver", details={"dataset_id": [message]})
    grid = set_grid(scenario_set)
    derived = (
        distance_driver(layer=source, grid=grid)
        if kind == "distance"
        else slope_driver(elevation=source, grid=grid)
    )
    with written(derived, grid=grid) as path:
        dataset = commons.upload_now(
            actor=actor,
            landscape=landscape,
            path=path,
            filename=f"{slugify(derived.title)[:80] or 'driver'}.tif",
            title=derived.title,
            description=derived.description,
        )
    entry = {"dataset_id": dataset.pk, "weight": weight, "effect": effect}
    return scenario_set_update_drivers(actor=actor, scenario_set=scenario_set, drivers=[*current, entry])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
