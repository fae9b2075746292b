"""Measurements computed from the data commons: an indicator's dataset source, and computing from it.

The source says which table or vector dataset (a field form's records, a scenario run's indicators
table, any upload) and which figure to take. Computing reads the dataset's current version through the
datasets app's selectors, as the person who asks: they must be able to view the dataset then, not only
when the source was set. It runs as a job (a large dataset takes more than a second to read); computing
again for the same date replaces the computed measurement of that date, so it can be re-run at will.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import Conflict
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.datasets.models import Dataset

from .. import aggregate
from ..models import ComputedSource, Confidence, Indicator, Measurement
from ._common import audit, field_error, finite
from .monitoring import measurement_add

COMPUTE_JOB = "planning.measurement_compute"


def _dataset(actor: User, dataset_id: Any) -> Dataset:
    """A table or vector dataset with a current version that ``actor`` may view; a field error if not."""
    dataset = dataset_selectors.dataset_find(
        actor=actor, pk=dataset_id if isinstance(dataset_id, int) else None
    )
    if dataset is None:
        raise field_error("dataset", _("Choose a dataset you can see in the data commons."))
    if dataset.kind not in (Dataset.Kind.TABLE, Dataset.Kind.VECTOR) or dataset.current_version is None:
        raise field_error(
            "dataset",
            _(
                "“%(title)s” has no rows to compute from: choose a table, a vector layer or the records "
                "of a field form."
            )
            % {"title": dataset.title},
        )
    return dataset


def _columns(source: ComputedSource, dataset: Dataset) -> list[str]:
    return aggregate.check_columns(
        fields=dataset.current_version.fields,
        operation=source.operation,
        column=source.column,
        date_column=source.date_column,
        match_column=source.match_column,
    )


@transaction.atomic
def computed_source_save(
    *,
    actor: User,
    indicator: Indicator,
    dataset_id: int,
    operation: str,
    column: str = "",
    date_column: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    match_column: str = "",
    match_value: float | None = None,
) -> ComputedSource:
    """Say where the indicator's measurements are computed from (editors who may view the dataset)."""
    permissions.check(actor, "change", indicator)
    dataset = _dataset(actor, dataset_id)
    source = ComputedSource.objects.filter(indicator=indicator).first() or ComputedSource(
        landscape_id=indicator.landscape_id, indicator=indicator
    )
    source.dataset, source.operation, source.updated_by = dataset, operation, actor
    source.column = (column or "").strip() if operation != "count" else ""
    source.date_column = (date_column or "").strip()
    source.date_from, source.date_to = date_from, date_to
    source.match_column = (match_column or "").strip() if operation == "value" else ""
    source.match_value = match_value if operation == "value" else None
    if (date_from or date_to) and not source.date_column:
        raise field_error("date_column", _("Choose the date column the date range applies to."))
    if date_from and date_to and date_to < date_from:
        raise field_error("date_to", _("The end of the date range must be on or after its start."))
    if operation == "value":
        finite("match_value", match_value)
        if match_value is None:
            raise field_error("match_value", _("Give the value that picks the row, such as the year 2035."))
    _columns(source, dataset)
    aggregate.check_unit(operation=operation, column=source.column, indicator_unit=indicator.unit)
    created = source.pk is None
    source.save()
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        indicator,
        "indicator",
        f"Indicator “{indicator.name[:100]}” computed from dataset {dataset.pk} ({operation})",
    )
    return source


@transaction.atomic
def computed_source_delete(*, actor: User, indicator: Indicator) -> None:
    """Stop computing the indicator from a dataset; its measurements stay (editors)."""
    permissions.check(actor, "change", indicator)
    ComputedSource.objects.filter(indicator=indicator).delete()
    audit(actor, AuditEvent.Action.UPDATE, indicator, "indicator", "Dataset source removed")


def _source(indicator: Indicator) -> ComputedSource:
    source = ComputedSource.objects.select_related("dataset").filter(indicator=indicator).first()
    if source is None:
        raise Conflict(_("This indicator is not computed from a dataset: choose a dataset first."))
    return source


def _default_date(source: ComputedSource) -> datetime.date:
    """The end of the date range if it is over, else today."""
    today = timezone.localdate()
    return source.date_to if source.date_to and source.date_to <= today else today


@transaction.atomic
def measurement_compute(*, actor: User, indicator: Indicator, date: datetime.date | None = None) -> Job:
    """Start computing a measurement from the indicator's dataset (members who may view the dataset)."""
    permissions.check(actor, "measure", indicator)
    source = _source(indicator)
    _dataset(actor, source.dataset_id)
    date = date or _default_date(source)
    if date > timezone.localdate():
        raise field_error("date", _("The date of a measurement cannot be in the future."))
    return job_start(
        kind=COMPUTE_JOB,
        actor=actor,
        landscape_id=indicator.landscape_id,
        params={"indicator_id": indicator.pk, "date": date.isoformat()},
    )


def measurement_compute_run(*, actor: User, indicator: Indicator, date: datetime.date) -> Measurement:
    """The job's work: read the dataset as ``actor``, compute the figure, store it (replacing the
    computed measurement of the same date, in one transaction)."""
    permissions.check(actor, "measure", indicator)
    source = _source(indicator)
    dataset = _dataset(actor, source.dataset_id)
    version = dataset.current_version
    names = _columns(source, dataset)
    aggregate.check_unit(operation=source.operation, column=source.column, indicator_unit=indicator.unit)
    columns = dataset_selectors.version_columns(actor=actor, dataset=dataset, version=version, names=names)
    figure = aggregate.compute(
        {name: columns.column(name) for name in names},
        columns.length,
        operation=source.operation,
        column=source.column,
        date_column=source.date_column,
        date_from=source.date_from,
        date_to=source.date_to,
        match_column=source.match_column,
        match_value=source.match_value,
    )
    what = source.get_operation_display() + (f" “{source.column}”" if source.column else "")
    described = _("%(what)s in “%(title)s” version %(number)d (%(rows)d rows)") % {
        "what": what,
        "title": dataset.title,
        "number": version.number,
        "rows": figure.rows,
    }
    with transaction.atomic():
        Measurement.objects.filter(indicator=indicator, date=date, computed=True).delete()
        measurement = measurement_add(
            actor=actor,
            indicator=indicator,
            value=figure.value,
            date=date,
            source=described[:300],
            confidence=Confidence.HIGH,
        )
        measurement.computed = True
        measurement.save(update_fields=["computed"])
    return measurement
