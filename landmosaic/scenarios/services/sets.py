"""Scenario sets: created from two raster datasets of the commons, their settings, legend and the
per-class tables (carbon pools, water and income coefficients), deletion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.landscapes.models import Landscape

from .. import commons, hindcasts, rasters, tables
from ..drivers import clean_drivers
from ..legends import AUTO, HEX_COLOUR, MAX_CLASSES, PRODUCT_CHOICES, default_legend
from ..models import ClassRole, Hindcast, Scenario, ScenarioSet
from ..report_zones import zones_from_features
from ._common import HINDCAST_JOB, audit, max_cells, max_years
from .scenarios import zone_of

SET_FIELDS = (
    "title",
    "description",
    "t0_year",
    "t1_year",
    "horizon_years",
    "seed",
    "currency",
    "carbon_price",
    "discount_rate",
    "price_change",
)


def _clean_set_fields(changes: Mapping[str, Any], *, current: ScenarioSet | None = None) -> dict[str, Any]:
    """Checked values of a set's plain fields; every problem is reported at once, per field."""
    unknown = set(changes) - set(SET_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = dict(changes)
    errors: dict[str, list[str]] = {}
    for name in ("title", "description", "currency"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("Give the scenario set a title.")]
    if "currency" in cleaned:
        cleaned["currency"] = cleaned["currency"].upper()
        if len(cleaned["currency"]) != 3 or not cleaned["currency"].isalpha():
            errors["currency"] = [_("Use a three-letter currency code such as USD, EUR or KES.")]
    t0 = cleaned.get("t0_year", current.t0_year if current else None)
    t1 = cleaned.get("t1_year", current.t1_year if current else None)
    for name, value in (("t0_year", t0), ("t1_year", t1)):
        if value is None or not 1900 <= int(value) <= 2200:
            errors[name] = [_("Give the year the map shows, e.g. 2015.")]
    if "t0_year" not in errors and "t1_year" not in errors and int(t0) >= int(t1):
        errors["t1_year"] = [_("The second map must be later than the first.")]
    if "horizon_years" in cleaned and not 1 <= int(cleaned["horizon_years"]) <= max_years():
        errors["horizon_years"] = [_("Project between 1 and %(max)s years ahead.") % {"max": max_years()}]
    if "seed" in cleaned and not 0 <= int(cleaned["seed"]) <= 2**31 - 1:
        errors["seed"] = [_("The seed is a whole number from 0 to 2147483647.")]
    if "carbon_price" in cleaned and float(cleaned["carbon_price"]) < 0:
        errors["carbon_price"] = [_("The price cannot be negative.")]
    for name in ("discount_rate", "price_change"):
        if name in cleaned and not -100 < float(cleaned[name]) <= 100:
            errors[name] = [_("Give a percentage between -100 and 100.")]
    if errors:
        raise ValidationFailed(_("Check the scenario set's details."), details=errors)
    return cleaned


def scenario_set_create(
    *,
    actor: Any,
    landscape: Landscape,
    title: str,
    t0_dataset_id: int,
    t1_dataset_id: int,
    t0_year: int,
    t1_year: int,
    description: str = "",
    horizon_years: int = 20,
    legend_product: str = AUTO,
) -> ScenarioSet:
    """A set from two raster datasets of the landscape, with a default legend and empty tables, and its
    business-as-usual scenario. The maps are checked now (kind, class codes, CRS, overlap).
    ``legend_product`` names the product whose legend the classes start from (``legends.PRODUCT_CHOICES``)."""
    permissions.check(actor, "add_content", landscape)
    if legend_product not in PRODUCT_CHOICES:
        raise ValidationFailed(
            _("Unknown legend “%(value)s”: choose one of %(choices)s.")
            % {"value": legend_product, "choices": ", ".join(PRODUCT_CHOICES)},
            code="unknown_legend",
            details={"legend_product": [_("Choose a legend from the list.")]},
        )
    fields = _clean_set_fields(
        {
            "title": title,
            "description": description,
            "t0_year": t0_year,
            "t1_year": t1_year,
            "horizon_years": horizon_years,
        }
    )
    first = commons.land_cover_version(
        actor=actor, landscape=landscape, dataset_id=t0_dataset_id, label=_("the first map")
    )
    second = commons.land_cover_version(
        actor=actor, landscape=landscape, dataset_id=t1_dataset_id, label=_("the second map")
    )
    if first.pk == second.pk:
        raise ValidationFailed(
            _("Choose two different maps: one of each date."),
            details={"t1_dataset": [_("Choose another map.")]},
        )
    legend, warnings = _inspect_maps(first, second, product=legend_product)
    codes = [entry["code"] for entry in legend]
    with transaction.atomic():
        scenario_set = ScenarioSet.objects.create(
            landscape=landscape,
            t0_version=first,
            t1_version=second,
            legend=legend,
            carbon_pools=tables.default_rows(codes, spec=tables.POOLS),
            coefficients=tables.default_rows(codes, spec=tables.COEFFICIENTS),
            warnings=warnings,
            created_by=actor,
            **fields,
        )
        Scenario.objects.create(
            scenario_set=scenario_set,
            name=_("Business as usual"),
            kind=Scenario.Kind.BAU,
            description=_("The trends seen between the two maps continue."),
            created_by=actor,
        )
        audit(
            actor,
            AuditEvent.Action.CREATE,
            scenario_set,
            landscape.pk,
            f"Scenario set “{scenario_set.title}” created",
            t0=first.pk,
            t1=second.pk,
        )
    return scenario_set


def _inspect_maps(
    first: Any, second: Any, *, product: str = AUTO
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The default legend of the codes in both maps, and the warnings about aligning them."""
    first_label, second_label = commons.version_label(first), commons.version_label(second)
    with commons.local_raster(first) as first_path, commons.local_raster(second) as second_path:
        before = rasters.inspect(first_path, label=first_label)
        after = rasters.inspect(second_path, label=second_label)
        if after.width * after.height > max_cells():
            raise ValidationFailed(
                _(
                    "The map %(map)s has %(cells)s cells, more than the %(limit)s a run can hold. Resample "
                    "it to larger cells or clip it to the landscape."
                )
                % {"map": second_label, "cells": after.width * after.height, "limit": max_cells()},
                code="map_too_large",
            )
        warnings = rasters.check_pair(before, after)
        codes = set(rasters.class_codes(first_path, label=first_label, nodata=before.nodata).tolist())
        codes |= set(rasters.class_codes(second_path, label=second_label, nodata=after.nodata).tolist())
    if not codes:
        raise ValidationFailed(_("The maps hold no class codes, only cells without data."), code="empty_maps")
    if len(codes) > MAX_CLASSES:
        raise ValidationFailed(
            _("Together the two maps have %(count)s classes; at most %(limit)s are possible.")
            % {"count": len(codes), "limit": MAX_CLASSES},
            code="too_many_classes",
        )
    legend = default_legend(codes, colormap=after.colormap or before.colormap, product=product)
    return legend, [w.as_dict() for w in warnings]


def scenario_set_update(*, actor: Any, scenario_set: ScenarioSet, **changes: Any) -> ScenarioSet:
    """Change the set's title, years, horizon, seed or valuation parameters."""
    permissions.check(actor, "change", scenario_set)
    cleaned = _clean_set_fields(changes, current=scenario_set)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(scenario_set, name, value)
        scenario_set.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Scenario set “{scenario_set.title}” changed",
            fields=sorted(cleaned),
        )
    return scenario_set


def _clean_legend(entries: Iterable[Mapping[str, Any]], *, scenario_set: ScenarioSet) -> list[dict[str, Any]]:
    errors: list[str] = []
    legend: dict[int, dict[str, Any]] = {}
    roles = set(ClassRole.values)
    for number, entry in enumerate(entries, start=1):
        try:
            code = int(entry.get("code"))
        except (TypeError, ValueError):
            errors.append(_("Line %(line)s: the code must be a whole number.") % {"line": number})
            continue
        name = str(entry.get("name") or "").strip()[:80]
        colour = str(entry.get("colour") or "").strip()
        role = str(entry.get("role") or ClassRole.OTHER)
        if not 0 <= code <= 65535:
            errors.append(_("Line %(line)s: codes go from 0 to 65535.") % {"line": number})
        elif code in legend:
            errors.append(
                _("Line %(line)s: the code %(code)s is listed twice.") % {"line": number, "code": code}
            )
        if not name:
            errors.append(_("Line %(line)s: give the class a name.") % {"line": number})
        if not HEX_COLOUR.match(colour):
            errors.append(_("Line %(line)s: the colour must look like #1b5e20.") % {"line": number})
        if role not in roles:
            errors.append(_("Line %(line)s: choose a kind of land from the list.") % {"line": number})
        legend[code] = {"code": code, "name": name, "colour": colour.lower(), "role": role}
    mapped = {int(e["code"]) for e in scenario_set.legend}
    in_maps = {int(c) for c in (scenario_set.change or {}).get("classes", [])} or mapped
    used = {
        int(item[key])
        for scenario in scenario_set.scenarios.all()
        for item in scenario.interventions
        for key in ("from_class", "to_class")
        if item.get(key) is not None
    }
    missing = sorted((in_maps | used) - set(legend))
    if missing:
        errors.append(
            _("The classes %(codes)s are in the maps or in interventions and cannot be removed.")
            % {"codes": ", ".join(str(c) for c in missing)}
        )
    if len(legend) > MAX_CLASSES:
        errors.append(_("A legend has at most %(limit)s classes.") % {"limit": MAX_CLASSES})
    if errors:
        raise ValidationFailed(" ".join(errors), code="invalid_legend", details={"legend": errors})
    return [legend[code] for code in sorted(legend)]


def scenario_set_update_legend(
    *, actor: Any, scenario_set: ScenarioSet, entries: Iterable[Mapping[str, Any]]
) -> ScenarioSet:
    """Names, colours and kinds of the classes; new codes (e.g. an agroforestry class no map has yet)
    get zero rows in the tables."""
    permissions.check(actor, "change", scenario_set)
    legend = _clean_legend(entries, scenario_set=scenario_set)
    codes = [entry["code"] for entry in legend]
    with transaction.atomic():
        scenario_set.legend = legend
        for name, spec in (("carbon_pools", tables.POOLS), ("coefficients", tables.COEFFICIENTS)):
            rows = {int(r["lucode"]): r for r in getattr(scenario_set, name)}
            new = [c for c in codes if c not in rows]
            rows.update({int(r["lucode"]): r for r in tables.default_rows(new, spec=spec)})
            setattr(scenario_set, name, [rows[c] for c in sorted(rows)])
        scenario_set.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Legend of “{scenario_set.title}” changed",
        )
    return scenario_set


def scenario_set_update_drivers(
    *, actor: Any, scenario_set: ScenarioSet, drivers: Iterable[Mapping[str, Any]]
) -> ScenarioSet:
    """Replace the set's driver rasters (each a raster of the landscape with a weight and an effect);
    every later run allocates change with them."""
    permissions.check(actor, "change", scenario_set)
    rasters = {d.pk: d for d in commons.raster_datasets(actor=actor, landscape=scenario_set.landscape)}
    cleaned = clean_drivers(drivers, rasters=rasters)
    with transaction.atomic():
        scenario_set.drivers = cleaned
        scenario_set.save(update_fields=["drivers", "updated_at"])
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Drivers of “{scenario_set.title}” changed",
            drivers=[d["title"] for d in cleaned],
        )
    return scenario_set


def scenario_set_update_no_change(
    *, actor: Any, scenario_set: ScenarioSet, classes: Iterable[Any], zone_dataset_id: int | None = None
) -> ScenarioSet:
    """Land no scenario may change: classes of the legend (e.g. water) and the polygons of one of the
    landscape's map layers (e.g. protected areas). Business as usual keeps them too."""
    permissions.check(actor, "change", scenario_set)
    codes = {int(e["code"]) for e in scenario_set.legend}
    try:
        chosen = sorted({int(c) for c in classes})
    except (TypeError, ValueError):
        chosen = [-1]
    if not set(chosen) <= codes:
        message = _("Choose classes of the legend.")
        raise ValidationFailed(message, details={"classes": [message]})
    zone, source = None, None
    if zone_dataset_id:
        data = {"zone_dataset_id": zone_dataset_id}
        zone, source = zone_of(actor=actor, scenario_set=scenario_set, data=data)
    with transaction.atomic():
        scenario_set.no_change = {"classes": chosen, "zone": zone, "zone_source": source}
        scenario_set.save(update_fields=["no_change", "updated_at"])
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Land that never changes in “{scenario_set.title}” changed",
            classes=chosen,
        )
    return scenario_set


def scenario_set_update_report_zones(
    *, actor: Any, scenario_set: ScenarioSet, dataset_id: int | None
) -> ScenarioSet:
    """Report every later run's results by the polygons of one of the landscape's map layers (villages,
    watersheds…), kept on the set as named areas so runs reproduce them; None stops reporting by zone."""
    permissions.check(actor, "change", scenario_set)
    report: dict[str, Any] = {}
    if dataset_id:
        dataset, collection = commons.zone_features(
            actor=actor, landscape=scenario_set.landscape, dataset_id=int(dataset_id)
        )
        report = {
            "dataset_id": dataset.pk,
            "version": dataset.current_version.number,
            "title": dataset.title,
            "zones": zones_from_features(collection),
        }
    with transaction.atomic():
        scenario_set.report_zones = report
        scenario_set.save(update_fields=["report_zones", "updated_at"])
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Zones of “{scenario_set.title}” changed",
            zones=len(report.get("zones", [])),
        )
    return scenario_set


def scenario_set_hindcast_start(
    *, actor: Any, scenario_set: ScenarioSet, t2_dataset_id: int, t2_year: int
) -> Hindcast:
    """Check the model against a third, later land-cover map of the landscape: a job calibrates on the
    set's two maps, projects to the third map's year and compares. Refused while a hindcast against the
    same map and year is under way."""
    permissions.check(actor, "change", scenario_set)
    if scenario_set.t0_version is None or scenario_set.t1_version is None:
        message = _("A land-cover map of this set was deleted from the data.")
        raise ValidationFailed(message, code="map_deleted")
    version = commons.land_cover_version(
        actor=actor, landscape=scenario_set.landscape, dataset_id=t2_dataset_id, label=_("the later map")
    )
    if version.dataset_id in (scenario_set.t0_version.dataset_id, scenario_set.t1_version.dataset_id):
        message = _("Choose a third map: the later map cannot be one of the set's two maps.")
        raise ValidationFailed(message, code="same_map", details={"t2_dataset": [message]})
    if commons.raster_kind(version) == "continuous":
        message = _("“%(title)s” holds measured values, not land-cover classes: choose a land-cover map.") % {
            "title": version.dataset.title
        }
        raise ValidationFailed(message, code="not_land_cover", details={"t2_dataset": [message]})
    first, last = scenario_set.t1_year + 1, scenario_set.t1_year + max_years()
    if not first <= int(t2_year) <= last:
        message = _("Give the year of the later map, from %(first)s to %(last)s.") % {
            "first": first,
            "last": last,
        }
        raise ValidationFailed(message, details={"t2_year": [message]})
    with transaction.atomic():
        # Locking the set makes two simultaneous requests for the same hindcast queue one after the other.
        ScenarioSet.objects.select_for_update().filter(pk=scenario_set.pk).first()
        # A job that ended without its row (cancelled while queued, worker lost) no longer counts.
        under_way = (
            scenario_set.hindcasts.filter(
                t2_version=version, t2_year=int(t2_year), status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
            )
            .exclude(job__status__in=[Job.Status.FAILED, Job.Status.CANCELLED])
            .exists()
        )
        if under_way:
            raise Conflict(
                _("A hindcast against this map and year is already under way: wait for its figures."),
                code="hindcast_under_way",
            )
        hindcast = Hindcast.objects.create(
            scenario_set=scenario_set, t2_version=version, t2_year=int(t2_year), created_by=actor
        )
        hindcast.job = job_start(
            kind=HINDCAST_JOB,
            actor=actor,
            landscape_id=scenario_set.landscape_id,
            params={
                "hindcast_id": hindcast.pk,
                "set_id": scenario_set.pk,
                "version_id": version.pk,
                "t2_year": int(t2_year),
            },
        )
        hindcast.save(update_fields=["job"])
        audit(actor, AuditEvent.Action.UPDATE, scenario_set, scenario_set.landscape_id,
              f"Hindcast of “{scenario_set.title}” against {version.dataset.title} asked for")  # fmt: skip
    return hindcast


def scenario_set_hindcast_execute(
    *,
    actor: Any,
    set_id: int,
    version_id: int,
    t2_year: int,
    progress: Any,
    hindcast_id: int | None = None,
) -> dict[str, Any]:
    """The hindcast job's work: its figures are stored on its row and, as the last hindcast, on the set,
    in one write. (Jobs queued before hindcasts had rows have no ``hindcast_id``.)"""
    scenario_set = ScenarioSet.objects.select_related(
        "landscape", "t0_version__dataset", "t1_version__dataset"
    ).get(pk=set_id)
    done = {"url": f"{scenario_set.get_absolute_url()}#hindcast", "title": scenario_set.title}
    rows = Hindcast.objects.filter(pk=hindcast_id) if hindcast_id else Hindcast.objects.none()
    if rows.filter(status=Job.Status.SUCCEEDED).exists():
        return done  # idempotent: a re-queued job of a finished hindcast does nothing
    try:
        permissions.check(actor, "change", scenario_set)  # the role may have changed since
        version = commons.version_of_landscape(landscape=scenario_set.landscape, version_id=version_id)
        rows.update(status=Job.Status.RUNNING)
        figures = hindcasts.run_hindcast(
            scenario_set=scenario_set, t2_version=version, t2_year=t2_year, progress=progress
        )
    except DomainError as exc:
        rows.update(status=Job.Status.FAILED, error=exc.message, finished_at=timezone.now())
        raise
    except Exception:
        failed = _("The hindcast failed unexpectedly.")
        rows.update(status=Job.Status.FAILED, error=failed, finished_at=timezone.now())
        raise
    with transaction.atomic():
        rows.update(status=Job.Status.SUCCEEDED, figures=figures, error="", finished_at=timezone.now())
        ScenarioSet.objects.filter(pk=scenario_set.pk).update(hindcast=figures)
    return done


def scenario_set_update_table(
    *, actor: Any, scenario_set: ScenarioSet, table: str, rows: list[Mapping[str, Any]], first_row: int = 1
) -> ScenarioSet:
    """Replace the carbon pools or the coefficients with rows edited in the page (or sent by the API)."""
    permissions.check(actor, "change", scenario_set)
    spec = tables.SPECS.get(table)
    if spec is None:
        raise NotFound(_("Unknown table."))
    codes = [int(e["code"]) for e in scenario_set.legend]
    cleaned = tables.clean_rows(rows, spec=spec, codes=codes, first_row=first_row)
    with transaction.atomic():
        setattr(scenario_set, spec.name, cleaned)
        scenario_set.save()
        audit(
            actor,
            AuditEvent.Action.UPDATE,
            scenario_set,
            scenario_set.landscape_id,
            f"Table {spec.name} of “{scenario_set.title}” changed",
            rows=len(cleaned),
        )
    return scenario_set


def scenario_set_import_table(
    *, actor: Any, scenario_set: ScenarioSet, table: str, data: bytes
) -> ScenarioSet:
    """Replace a table with a CSV file (InVEST's columns for carbon pools); row 1 is the header."""
    permissions.check(actor, "change", scenario_set)
    spec = tables.SPECS.get(table)
    if spec is None:
        raise NotFound(_("Unknown table."))
    rows = tables.read_csv(data, spec=spec)
    return scenario_set_update_table(
        actor=actor, scenario_set=scenario_set, table=table, rows=rows, first_row=2
    )


def scenario_set_delete(*, actor: Any, scenario_set: ScenarioSet) -> None:
    """Delete a set with its scenarios and runs; the runs' datasets stay in the data commons."""
    permissions.check(actor, "delete", scenario_set)
    with transaction.atomic():
        audit(
            actor,
            AuditEvent.Action.DELETE,
            scenario_set,
            scenario_set.landscape_id,
            f"Scenario set “{scenario_set.title}” deleted",
        )
        scenario_set.delete()


def scenario_set_change(
    *,
    actor: Any,
    scenario_set: ScenarioSet,
    fields: Mapping[str, Any] | None = None,
    legend: Iterable[Mapping[str, Any]] | None = None,
    carbon_pools: list[Mapping[str, Any]] | None = None,
    coefficients: list[Mapping[str, Any]] | None = None,
) -> ScenarioSet:
    """Several changes at once (the API's PATCH): all are applied, or none."""
    permissions.check(actor, "change", scenario_set)
    with transaction.atomic():
        if fields:
            scenario_set_update(actor=actor, scenario_set=scenario_set, **fields)
        if legend is not None:
            scenario_set_update_legend(actor=actor, scenario_set=scenario_set, entries=legend)
        for name, rows in (("carbon_pools", carbon_pools), ("coefficients", coefficients)):
            if rows is not None:
                scenario_set_update_table(actor=actor, scenario_set=scenario_set, table=name, rows=rows)
    return scenario_set
