"""Field records into the data commons: each form's records become a point dataset of its landscape.

The dataset is made on the form's first record and gets a new version after records arrive and
after reviews, through the ``fieldwork.dataset_refresh`` job. Refreshes are debounced: while a
refresh of a form waits in the queue no other is queued, and the one that runs publishes every
record received until then. A refresh that finds nothing changed writes no version. Like every
dataset it starts private; its managers may share it. ``Form.dataset_id`` links the two.

Each repeat group (outside other repeats) is a child table of its own in the commons, published by
the same refresh: one row per entry, with ``_parent_instance_id`` (the record's ``_instance_id``),
``_record_id`` and ``_index``, and a point layer when the repeat asks for a geopoint. A child never
has a sharing of its own: it follows the form's dataset, at each refresh and each time a manager
changes that dataset's sharing (``children_follow_sharing``). ``RepeatDataset`` links them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.core.jobs import job_start
from landmosaic.core.models import Job
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets.models import Dataset

from ..models import Form, RepeatDataset
from ..table import Table, records_as_table, repeat_as_table, repeat_label, repeat_paths

REFRESH_JOB = "fieldwork.dataset_refresh"
Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    """Default progress callback when a refresh runs outside a job."""


def form_dataset_schedule(*, form: Form, actor: Any = None) -> Job | None:
    """Queue a refresh of the form's dataset once the caller's transaction commits, unless one is
    already waiting (it will pick up this change too)."""
    waiting = Job.objects.filter(
        kind=REFRESH_JOB, status=Job.Status.QUEUED, landscape_id=form.landscape_id, params__form_id=form.pk
    ).exists()
    if waiting:
        return None
    return job_start(
        kind=REFRESH_JOB, actor=actor, landscape_id=form.landscape_id, params={"form_id": form.pk}
    )


def _publish(form: Form, dataset: Dataset | None, progress: Progress) -> Dataset:
    table = records_as_table(form)
    return dataset_services.dataset_publish_rows(
        actor=dataset_services.SYSTEM,
        landscape=form.landscape,
        title=form.title,
        columns=[{"name": c.name, "type": c.type} for c in table.columns],
        rows=table.rows,
        geometry=table.geometry if dataset is None or dataset.kind == Dataset.Kind.VECTOR else None,
        method=form.method,
        dataset=dataset,
        note=_("Records of the form “%(form)s”, refreshed after new records or reviews.")
        % {"form": form.title},
        metadata={
            "description": _(
                "Records collected in the field with the form “%(title)s” (form ID %(form_id)s). "
                "Updated automatically as records arrive and are reviewed; one row per record."
            )
            % {"title": form.title, "form_id": form.form_id},
            "keywords": [_("field data"), form.form_id],
            "update_frequency": Dataset.UpdateFrequency.CONTINUAL,
        },
        skip_unchanged=True,
        inline=True,
        progress=progress,
    )


def _main_dataset(form_id: int, progress: Progress) -> Dataset | None:
    form = Form.objects.select_related("landscape").get(pk=form_id)
    dataset = dataset_selectors.dataset_of_landscape(landscape_id=form.landscape_id, pk=form.dataset_id)
    if dataset is not None:
        return _publish(form, dataset, progress)
    # The first publication holds the form's row so that two refreshes never make two datasets;
    # it is small (the first records), so the lock is brief.
    with transaction.atomic():
        form = Form.objects.select_for_update().select_related("landscape").get(pk=form_id)
        dataset = dataset_selectors.dataset_of_landscape(landscape_id=form.landscape_id, pk=form.dataset_id)
        if dataset is not None:
            return _publish(form, dataset, progress)
        dataset = _publish(form, None, progress)
        Form.objects.filter(pk=form.pk).update(dataset_id=dataset.pk)
        return dataset


def _publish_repeat(
    form: Form, repeat: str, table: Table, dataset: Dataset | None, parent: Dataset
) -> Dataset:
    label = repeat_label(form, repeat)
    return dataset_services.dataset_publish_rows(
        actor=dataset_services.SYSTEM,
        landscape=form.landscape,
        title=f"{form.title} — {label}",
        columns=[{"name": c.name, "type": c.type} for c in table.columns],
        rows=table.rows,
        geometry=table.geometry if dataset is None or dataset.kind == Dataset.Kind.VECTOR else None,
        method=form.method,
        dataset=dataset,
        note=_("Entries of the repeat group “%(repeat)s” of the form “%(form)s”, refreshed with its records.")
        % {"repeat": label, "form": form.title},
        metadata={
            "description": _(
                "Entries of the repeat group “%(repeat)s” of the records collected with the form "
                "“%(title)s” (form ID %(form_id)s): one row per entry. Each row belongs to the record "
                "whose _instance_id is its _parent_instance_id, in the dataset “%(parent)s”; _index is "
                "its place among the record's entries. Updated automatically with the records."
            )
            % {"repeat": label, "title": form.title, "form_id": form.form_id, "parent": parent.title},
            "keywords": [_("field data"), form.form_id, repeat],
            "update_frequency": Dataset.UpdateFrequency.CONTINUAL,
        },
        skip_unchanged=True,
        inline=True,
    )


def _repeat_dataset(form: Form, repeat: str, parent: Dataset) -> Dataset | None:
    """Publish one repeat's rows as the next version of its child dataset, made on its first entry."""
    link = RepeatDataset.objects.filter(form=form, repeat=repeat).first()
    dataset = dataset_selectors.dataset_of_landscape(
        landscape_id=form.landscape_id, pk=link.dataset_id if link else None
    )
    table = repeat_as_table(form, repeat)
    if dataset is not None:
        return _publish_repeat(form, repeat, table, dataset, parent)
    first = next(iter(table.rows), None)
    if first is None:
        return None  # no entry yet: no empty table in the commons
    table.rows = itertools.chain([first], table.rows)
    with transaction.atomic():  # as for the form's dataset: never two children for one repeat
        Form.objects.select_for_update().filter(pk=form.pk).first()
        link = RepeatDataset.objects.filter(form=form, repeat=repeat).first()
        dataset = dataset_selectors.dataset_of_landscape(
            landscape_id=form.landscape_id, pk=link.dataset_id if link else None
        )
        dataset = _publish_repeat(form, repeat, table, dataset, parent)
        RepeatDataset.objects.update_or_create(form=form, repeat=repeat, defaults={"dataset_id": dataset.pk})
        return dataset


def form_dataset_refresh(*, form_id: int, progress: Progress = _no_progress) -> Dataset | None:
    """Publish the current version of every record of a form as the next version of its dataset,
    and each repeat group's entries as the next version of its child dataset, making each on its
    first row; None while the form has no record."""
    form = Form.objects.select_related("landscape").filter(pk=form_id).first()
    if form is None or not form.submissions.filter(is_current=True).exists():
        return None
    dataset = _main_dataset(form_id, progress)
    repeats = repeat_paths(form)
    for number, repeat in enumerate(repeats, start=1):
        progress(50 + 40 * number // len(repeats), _("Publishing the repeat groups"))
        child = _repeat_dataset(form, repeat, dataset)
        if child is not None:
            dataset_services.dataset_follow_sharing(dataset=child, source=dataset)
    return dataset


def children_follow_sharing(dataset: Dataset) -> None:
    """After a manager changed the sharing of a form's dataset: its repeat tables follow at once."""
    for link in RepeatDataset.objects.filter(
        form__dataset_id=dataset.pk, form__landscape_id=dataset.landscape_id
    ):
        child = dataset_selectors.dataset_of_landscape(landscape_id=dataset.landscape_id, pk=link.dataset_id)
        if child is not None:
            dataset_services.dataset_follow_sharing(dataset=child, source=dataset)
