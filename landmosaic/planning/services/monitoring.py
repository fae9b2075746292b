"""Writes for the monitoring plan (5.2) and results (5.1): indicators and measurements."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from .. import geometry
from ..models import (
    Confidence,
    Direction,
    Goal,
    Indicator,
    LibraryIndicator,
    Measurement,
    Objective,
    monitoring_subject,
)
from ._common import audit, clean, field_error, finite, in_landscape

INDICATOR_FIELDS = (
    "goal_id",
    "objective_id",
    "library_code",
    "name",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "frequency",
    "method",
    "measured_by",
    "weight",
    "geometry",
)
#: Fields a library indicator fills in when they are not given (in the caller's language).
FROM_LIBRARY = ("name", "unit", "method", "direction", "frequency")


def _same_unit(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _from_library(code: str, changes: dict[str, Any]) -> None:
    item = LibraryIndicator.objects.filter(code=code).first()
    if item is None:
        raise field_error(
            "library_code", _("There is no indicator “%(code)s” in the library.") % {"code": code}
        )
    for field in FROM_LIBRARY:
        if not changes.get(field):
            changes[field] = (
                item.localized(field) if field in item.translated_fields else getattr(item, field)
            )


def _check_direction(indicator: Indicator) -> None:
    baseline, target = indicator.baseline_value, indicator.target_value
    if baseline is None or target is None:
        return
    if indicator.direction == Direction.INCREASE and target < baseline:
        raise field_error(
            "target_value",
            _(
                "The target is below the baseline, but the indicator should increase: check the values "
                "or the direction."
            ),
        )
    if indicator.direction == Direction.DECREASE and target > baseline:
        raise field_error(
            "target_value",
            _(
                "The target is above the baseline, but the indicator should decrease: check the values "
                "or the direction."
            ),
        )


@transaction.atomic
def indicator_save(
    *, actor: User, landscape: Landscape, indicator: Indicator | None = None, **changes: Any
) -> Indicator:
    """Create an indicator under a goal or an objective (``indicator`` None), or change one (editors).

    With ``library_code`` the starter library fills in what is not given, in the caller's language.
    """
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    permissions.check(actor, "change", indicator or monitoring_subject(landscape))
    created = indicator is None
    indicator = indicator or Indicator(landscape=landscape, created_by=actor)
    indicator.landscape = landscape
    if changes.get("library_code"):
        _from_library(changes["library_code"], changes)
    goal_id, objective_id = changes.get("goal_id"), changes.get("objective_id")
    if created or "goal_id" in changes or "objective_id" in changes:
        if (goal_id is None) == (objective_id is None):
            raise field_error("objective", _("Attach the indicator to one goal or to one objective."))
        indicator.goal = (
            None
            if goal_id is None
            else in_landscape(
                Goal, goal_id, landscape, field="goal", message=_("Choose a goal of this landscape.")
            )
        )
        indicator.objective = (
            None
            if objective_id is None
            else in_landscape(
                Objective,
                objective_id,
                landscape,
                field="objective",
                message=_("Choose an objective of this landscape."),
            )
        )
    new_unit = "unit" in changes and not _same_unit(indicator.unit or "", changes["unit"] or "")
    if new_unit and indicator.pk and indicator.measurements.exists():
        raise field_error(
            "unit",
            _("This indicator has measurements in %(unit)s: keep the unit, or create a new indicator.")
            % {"unit": indicator.unit},
        )
    for field in ("name", "unit", "method", "measured_by", "library_code"):
        if field in changes:
            setattr(indicator, field, (changes[field] or "").strip())
    for field in ("baseline_value", "target_value"):
        if field in changes:
            finite(field, changes[field])
            setattr(indicator, field, changes[field])
    for field in ("baseline_date", "target_date", "direction", "frequency", "weight"):
        if field in changes:
            setattr(indicator, field, changes[field])
    if "geometry" in changes:
        indicator.geometry = geometry.location(
            landscape=landscape, geometry=changes["geometry"], field="geometry"
        )
    if indicator.baseline_date and indicator.target_date and indicator.target_date <= indicator.baseline_date:
        raise field_error("target_date", _("The target date must be after the baseline date."))
    _check_direction(indicator)
    clean(
        indicator,
        exclude=["landscape", "goal", "objective", "created_by"],
        message=_("Check the indicator: a name, a unit, a direction and a frequency are needed."),
    )
    indicator.save()
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        indicator,
        "indicator",
        f"Indicator “{indicator.name[:100]}” {'added' if created else 'changed'}",
        fields=sorted(changes),
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    """Remove an indicator and its measurements (editors)."""
    permissions.check(actor, "change", indicator)
    count = indicator.measurements.count()
    audit(
        actor,
        AuditEvent.Action.DELETE,
        indicator,
        "indicator",
        f"Indicator “{indicator.name[:100]}” removed with {count} measurements",
    )
    indicator.delete()


@transaction.atomic
def measurement_add(
    *,
    actor: User,
    indicator: Indicator,
    value: float,
    date: datetime.date,
    source: str = "",
    confidence: str = Confidence.MEDIUM,
    unit: str | None = None,
) -> Measurement:
    """Record a value of an indicator (members). A unit, if given, must be the indicator's."""
    permissions.check(actor, "measure", indicator)
    finite("value", value)
    if value is None:
        raise field_error("value", _("Enter a number."))
    if unit is not None and unit.strip() and not _same_unit(unit, indicator.unit):
        raise field_error(
            "unit",
            _("This indicator is measured in %(unit)s, not %(given)s: convert the value first.")
            % {"unit": indicator.unit, "given": unit.strip()},
        )
    if date > timezone.localdate():
        raise field_error("date", _("The date of a measurement cannot be in the future."))
    if indicator.baseline_date and date < indicator.baseline_date:
        raise field_error(
            "date",
            _("This date is before the baseline (%(date)s): change the baseline instead.")
            % {"date": indicator.baseline_date.isoformat()},
        )
    measurement = Measurement(
        landscape_id=indicator.landscape_id,
        indicator=indicator,
        value=value,
        date=date,
        source=(source or "").strip(),
        confidence=confidence or Confidence.MEDIUM,
        recorded_by=actor,
    )
    clean(measurement, exclude=["landscape", "indicator", "recorded_by"], message=_("Check the measurement."))
    measurement.save()
    audit(
        actor,
        AuditEvent.Action.CREATE,
        measurement,
        "measurement",
        f"Measurement of “{indicator.name[:100]}”: {value} {indicator.unit} on {date.isoformat()}",
    )
    return measurement


@transaction.atomic
def measurement_delete(*, actor: User, measurement: Measurement) -> None:
    """Remove a measurement: editors, or the member who recorded it."""
    own = measurement.recorded_by_id is not None and measurement.recorded_by_id == getattr(actor, "pk", None)
    permissions.check(actor, "measure" if own else "change", measurement)
    audit(
        actor,
        AuditEvent.Action.DELETE,
        measurement,
        "measurement",
        f"Measurement of indicator {measurement.indicator_id} on {measurement.date.isoformat()} removed",
    )
    measurement.delete()
