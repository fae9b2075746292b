"""Scenarios and their interventions, each checked against the set before anything is written."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
import rasterio.windows
import shapely.geometry
from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent

from .. import commons, zones
from ..models import Scenario, ScenarioSet
from ._common import audit

INTERVENTION_KINDS = ("rate", "protect", "restore", "agroforestry", "expand_settlement")
MAX_INTERVENTIONS = 20


def scenario_create(
    *,
    actor: Any,
    scenario_set: ScenarioSet,
    name: str,
    description: str = "",
    interventions: list[Mapping[str, Any]] | None = None,
) -> Scenario:
    """An alternative scenario of the set, optionally with its interventions."""
    permissions.check(actor, "change", scenario_set)
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationFailed(
            _("Give the scenario a name."), details={"name": [_("Give the scenario a name.")]}
        )
    cleaned = [
        clean_intervention(actor=actor, scenario_set=scenario_set, data=item, number=n)
        for n, item in enumerate(interventions or [], start=1)
    ]
    _check_count(cleaned)
    with transaction.atomic():
        scenario = Scenario.objects.create(
            scenario_set=scenario_set,
            name=name,
            description=(description or "").strip()[:5000],
            kind=Scenario.Kind.ALTERNATIVE,
            interventions=cleaned,
            created_by=actor,
        )
        audit(
            actor,
            AuditEvent.Action.CREATE,
            scenario,
            scenario_set.landscape_id,
            f"Scenario “{scenario.name}” of “{scenario_set.title}” created",
        )
    return scenario


def _check_count(interventions: list[Any]) -> None:
    if len(interventions) > MAX_INTERVENTIONS:
        raise ValidationFailed(
            _("A scenario has at most %(max)s interventions.") % {"max": MAX_INTERVENTIONS},
            code="too_many_interventions",
        )


def scenario_update(
    *,
    actor: Any,
    scenario: Scenario,
    name: str | None = None,
    description: str | None = None,
    interventions: list[Mapping[str, Any]] | None = None,
) -> Scenario:
    """Rename or describe a scenario, or replace its interventions (alternatives only)."""
    permissions.check(actor, "change", scenario)
    if name is not None:
        name = name.strip()[:120]
        if not name:
            raise ValidationFailed(
                _("Give the scenario a name."), details={"name": [_("Give the scenario a name.")]}
            )
        scenario.name = name
    if description is not None:
        scenario.description = description.strip()[:5000]
    if interventions is not None:
        if scenario.is_bau and interventions:
            raise ValidationFailed(_bau_message(), code="bau_interventions")
        cleaned = [
            clean_intervention(actor=actor, scenario_set=scenario.scenario_set, data=item, number=n)
            for n, item in enumerate(interventions, start=1)
        ]
        _check_count(cleaned)
        scenario.interventions = cleaned
    with transaction.atomic():
        scenario.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario,
            scenario.scenario_set.landscape_id,
            f"Scenario “{scenario.name}” changed",
        )
    return scenario


def _bau_message() -> str:
    return _("Business as usual has no interventions: add an alternative scenario instead.")


def intervention_add(*, actor: Any, scenario: Scenario, data: Mapping[str, Any]) -> Scenario:
    permissions.check(actor, "change", scenario)
    if scenario.is_bau:
        raise ValidationFailed(_bau_message(), code="bau_interventions")
    item = clean_intervention(
        actor=actor, scenario_set=scenario.scenario_set, data=data, number=len(scenario.interventions) + 1
    )
    _check_count([*scenario.interventions, item])
    with transaction.atomic():
        scenario.interventions = [*scenario.interventions, item]
        scenario.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario,
            scenario.scenario_set.landscape_id,
            f"Intervention {item['kind']} added to “{scenario.name}”",
        )
    return scenario


def intervention_remove(*, actor: Any, scenario: Scenario, index: int) -> Scenario:
    permissions.check(actor, "change", scenario)
    if not 0 <= index < len(scenario.interventions):
        raise NotFound(_("Intervention not found."))
    with transaction.atomic():
        removed = scenario.interventions[index]
        scenario.interventions = [i for n, i in enumerate(scenario.interventions) if n != index]
        scenario.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario,
            scenario.scenario_set.landscape_id,
            f"Intervention {removed['kind']} removed from “{scenario.name}”",
        )
    return scenario


def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    permissions.check(actor, "delete", scenario)
    if scenario.is_bau:
        raise Conflict(
            _("Business as usual is the reference of the set; delete the whole set instead."), code="bau"
        )
    with transaction.atomic():
        audit(
            actor,
            AuditEvent.Action.DELETE,
            scenario,
            scenario.scenario_set.landscape_id,
            f"Scenario “{scenario.name}” deleted",
        )
        scenario.delete()


def _number(
    value: Any, *, field: str, errors: dict[str, list[str]], minimum: float | None = None
) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Give a number."))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        errors.setdefault(field, []).append(_("Give a number."))
        return None
    if minimum is not None and number < minimum:
        errors.setdefault(field, []).append(_("Give a number of at least %(min)s.") % {"min": minimum})
        return None
    return number


def clean_intervention(
    *, actor: Any, scenario_set: ScenarioSet, data: Mapping[str, Any], number: int = 1
) -> dict[str, Any]:
    """One intervention checked against the set: kind, years within the projection, classes of the
    legend, parameters in range, and a zone (drawn or from a map layer) that meets the maps."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in INTERVENTION_KINDS:
        raise ValidationFailed(
            _("Intervention %(number)s: choose what it does.") % {"number": number},
            details={"kind": [_("Choose one.")]},
        )
    codes = {int(e["code"]) for e in scenario_set.legend}
    first_year, last_year = scenario_set.t1_year + 1, scenario_set.final_year
    item: dict[str, Any] = {"kind": kind, "end_year": None, "from_class": None, "to_class": None}
    start = data.get("start_year") or first_year
    try:
        item["start_year"] = int(start)
    except (TypeError, ValueError):
        errors["start_year"] = [_("Give a year.")]
    else:
        if not first_year <= item["start_year"] <= last_year:
            errors["start_year"] = [
                _("Give a year from %(first)s to %(last)s.") % {"first": first_year, "last": last_year}
            ]
    if data.get("end_year") not in (None, ""):
        try:
            item["end_year"] = int(data["end_year"])
        except (TypeError, ValueError):
            errors["end_year"] = [_("Give a year, or leave it empty.")]
        else:
            if "start_year" in item and item["end_year"] < item["start_year"]:
                errors["end_year"] = [_("The end comes after the start.")]
    for key in ("from_class", "to_class"):
        value = data.get(key)
        if value in (None, ""):
            continue
        try:
            code = int(value)
        except (TypeError, ValueError):
            code = None
        if code not in codes:
            errors[key] = [_("Choose a class of the legend.")]
        else:
            item[key] = code
    needs_classes = {"restore": ("from_class", "to_class"), "agroforestry": ("from_class", "to_class")}
    needs_classes["expand_settlement"] = ("to_class",)
    for key in needs_classes.get(kind, ()):
        if item.get(key) is None and key not in errors:
            errors[key] = [_("Choose a class.")]
    if (
        kind in ("restore", "agroforestry")
        and item["from_class"] is not None
        and item["from_class"] == item["to_class"]
    ):
        errors["to_class"] = [_("Choose a class other than the one converted.")]
    if kind in ("rate", "expand_settlement"):
        # Percent of business as usual: 50 halves a trend, 200 doubles it, 0 stops it.
        percent = _number(data.get("percent"), field="percent", errors=errors, minimum=0)
        if percent is not None:
            if percent > 1000:
                errors["percent"] = [_("Give at most 1000%.")]
            item["multiplier"] = percent / 100
        if (
            kind == "rate"
            and item["from_class"] is None
            and item["to_class"] is None
            and "from_class" not in errors
        ):
            errors["from_class"] = [_("Choose the class that changes, the class it becomes, or both.")]
    if kind in ("restore", "agroforestry"):
        hectares = _number(data.get("hectares_per_year"), field="hectares_per_year", errors=errors, minimum=0)
        if hectares is not None:
            item["hectares_per_year"] = hectares
    item["zone"], item["zone_source"] = None, None
    if kind in ("protect", "restore", "agroforestry"):
        try:
            item["zone"], item["zone_source"] = zone_of(actor=actor, scenario_set=scenario_set, data=data)
            if item["zone"] is not None:
                _check_zone_meets_data(scenario_set=scenario_set, geometry=item["zone"])
        except ValidationFailed as exc:
            errors["zone"] = [exc.message]
        if kind == "protect" and item["zone"] is None and "zone" not in errors:
            errors["zone"] = [_("Draw the protected zone on the map, or choose a map layer.")]
    if errors:
        messages = "; ".join(f"{m}" for ms in errors.values() for m in ms)
        raise ValidationFailed(
            _("Intervention %(number)s: %(problems)s") % {"number": number, "problems": messages},
            code="invalid_intervention",
            details=errors,
        )
    return item


def zone_of(*, actor: Any, scenario_set: ScenarioSet, data: Mapping[str, Any]) -> tuple[Any, Any]:
    """A zone drawn ("zone") or taken from one of the landscape's map layers ("zone_dataset_id"), checked
    against the maps, with where it came from; (None, None) when neither is given."""
    geometry, source, area = None, None, None
    if data.get("zone_dataset_id"):
        dataset, collection = commons.zone_features(
            actor=actor, landscape=scenario_set.landscape, dataset_id=int(data["zone_dataset_id"])
        )
        geometry, area = zones.zone_from_features(collection)
        source = {"type": "dataset", "dataset_id": dataset.pk, "version": dataset.current_version.number,
                  "title": dataset.title}  # fmt: skip
    elif data.get("zone"):
        geometry, area = zones.clean_zone(data["zone"])
        source = {"type": "drawn"}
    if geometry is None:
        return None, None
    bbox = scenario_set.t1_version.bbox_4326 if scenario_set.t1_version else None
    if not zones.overlaps_bbox(geometry, bbox):
        raise ValidationFailed(
            _("The zone lies outside the land-cover maps: draw it inside the landscape."), code="zone_outside"
        )
    source["area_ha"] = round(area, 2) if area is not None else None
    return geometry, source


def _check_zone_meets_data(*, scenario_set: ScenarioSet, geometry: dict[str, Any]) -> None:
    """Refuse a zone inside the maps' extent that covers only cells without data on the set's latest
    map: the run would stop on it (runs.engine_interventions keeps that check for zones saved before).
    Only the window around the zone is read and rasterised, so a large map costs what the zone covers."""
    version = scenario_set.t1_version
    if version is None:
        return
    with commons.local_raster(version) as path, rasterio.open(path) as src:
        left, bottom, right, top = shapely.geometry.shape(zones.projected(geometry, src.crs)).bounds
        window = rasterio.windows.from_bounds(left, bottom, right, top, transform=src.transform)
        # One cell more on each side so that cells the zone only touches are read too.
        col, row = math.floor(window.col_off) - 1, math.floor(window.row_off) - 1
        width, height = math.ceil(window.width) + 3, math.ceil(window.height) + 3
        try:
            window = rasterio.windows.Window(col, row, width, height).intersection(
                rasterio.windows.Window(0, 0, src.width, src.height)
            )
        except rasterio.errors.WindowError:  # no cell of the map in the zone's box
            covered = False
        else:
            cells = src.read(1, window=window)
            mask = zones.zone_mask(
                geometry=geometry, crs=src.crs, transform=src.window_transform(window), shape=cells.shape
            )
            valid = np.ones(cells.shape, dtype=bool) if src.nodata is None else cells != src.nodata
            covered = bool((mask & valid).any())
    if not covered:
        raise ValidationFailed(
            _(
                "The zone covers only cells without data on the land-cover map %(map)s: draw it over "
                "the landscape's land, or choose another layer."
            )
            % {"map": commons.version_label(version)},
            code="zone_over_nodata",
        )
