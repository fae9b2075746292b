"""Hindcast: does the model reproduce a later map it was not calibrated on? Calibrate on the set's two
maps, project from the second to the year of a third observed map, and compare with it and with the
no-change null model (Figure of Merit, quantity and allocation disagreement)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from . import commons, rasters, runs
from .engine import MapComparison, hindcast
from .models import ScenarioSet

#: A code no land-cover class uses here, for cells without data on any of the three maps.
_FILL = np.iinfo(np.uint16).max


def _comparison(result: MapComparison) -> dict[str, Any]:
    figure = result.figure_of_merit
    return {
        "hits": result.hits,
        "misses": result.misses,
        "wrong_hits": result.wrong_hits,
        "false_alarms": result.false_alarms,
        "figure_of_merit": None if math.isnan(figure) else round(float(figure), 6),
        "quantity_disagreement": round(float(result.quantity_disagreement), 6),
        "allocation_disagreement": round(float(result.allocation_disagreement), 6),
    }


def run_hindcast(
    *, scenario_set: ScenarioSet, t2_version: Any, t2_year: int, progress: Callable[[int, str], None]
) -> dict[str, Any]:
    """The hindcast's figures for the model and the null model, as stored on the set."""
    progress(5, _("Reading the three maps"))
    with (
        commons.local_raster(scenario_set.t0_version) as first,
        commons.local_raster(scenario_set.t1_version) as second,
        commons.local_raster(t2_version) as third,
    ):
        pair = rasters.read_pair(
            first, second, before_label=commons.version_label(scenario_set.t0_version),
            after_label=commons.version_label(scenario_set.t1_version),
        )  # fmt: skip
        # The third map put on the second's grid the way the first one is ("before" of this pair).
        later = rasters.read_pair(
            third, second, before_label=commons.version_label(t2_version),
            after_label=commons.version_label(scenario_set.t1_version),
        )  # fmt: skip
    maps = [pair.before.astype(np.uint16), pair.after.astype(np.uint16), later.before.astype(np.uint16)]
    invalid = np.zeros(maps[0].shape, dtype=bool)
    for array, nodata in zip(maps, (pair.nodata, pair.nodata, later.nodata), strict=True):
        if nodata is not None:
            invalid |= array == nodata
    for array in maps:
        array[invalid] = _FILL
    # The same drivers, kept land and neighbourhood as a business-as-usual run, so the check is of that model.
    drivers = runs.set_drivers(scenario_set, profile=pair.profile, valid=~invalid, progress=progress)
    no_change = runs.no_change_mask(scenario_set, landcover=maps[1], profile=pair.profile)
    years = {"first": scenario_set.t1_year, "last": t2_year}
    progress(20, _("Projecting from %(first)s to %(last)s") % years)
    result = hindcast(
        t0=maps[0], t1=maps[1], t2=maps[2], nodata=_FILL,
        years_calibration=scenario_set.period_years, years_validation=t2_year - scenario_set.t1_year,
        cell_area_ha=pair.cell_area_ha, seed=scenario_set.seed, window=runs.WINDOW, drivers=drivers,
        no_change=no_change,
    )  # fmt: skip
    return {
        "t2_dataset_id": t2_version.dataset_id,
        "t2_version": t2_version.number,
        "t2_title": t2_version.dataset.title,
        "t2_year": t2_year,
        "calibration": [scenario_set.t0_year, scenario_set.t1_year],
        "model": _comparison(result.model),
        "null": _comparison(result.null),
        "matrix_method": result.annual.method,
        "inputs": _inputs(
            scenario_set, kept_cells=0 if no_change is None else int((no_change & ~invalid).sum())
        ),
    }


def _inputs(scenario_set: ScenarioSet, *, kept_cells: int) -> dict[str, Any]:
    """What the hindcast's model used, shown with its figures: the set may change after the hindcast."""
    kept = scenario_set.no_change or {}
    return {
        "drivers": [
            {"title": d["title"], "weight": d["weight"], "effect": d["effect"]} for d in scenario_set.drivers
        ],
        "no_change_classes": [
            {"code": int(code), "name": scenario_set.class_name(code)} for code in kept.get("classes") or []
        ],
        "no_change_zone": (kept.get("zone_source") or {}).get("title") if kept.get("zone") else None,
        "no_change_cells": kept_cells,
        "window": runs.WINDOW,
    }
