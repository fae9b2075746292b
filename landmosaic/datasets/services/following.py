"""Datasets whose sharing follows another's: the platform derives some datasets from another (the
rows of a field form's repeat groups, from its records' dataset) and they must never be seen by more
people than the dataset they come from, nor by fewer.

The app that derives them registers a listener; the commons tells it, in the same transaction, each
time a dataset's sharing changes (visibility, restriction, share list, people granted), and it calls
``dataset_follow_sharing`` for each derived dataset.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from landmosaic.core.audit import audit_record
from landmosaic.core.models import AuditEvent

from ..models import Dataset, DatasetGrant, DatasetShare

SharingListener = Callable[[Dataset], None]
_LISTENERS: list[SharingListener] = []


def register_sharing_listener(listener: SharingListener) -> SharingListener:
    """Call ``listener(dataset)`` after every change of a dataset's sharing, inside its transaction."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def sharing_changed(dataset: Dataset) -> None:
    for listener in _LISTENERS:
        listener(dataset)


def _state(dataset: Dataset) -> tuple:
    shares = frozenset(dataset.shares.values_list("target_type", "target_id"))
    grants = frozenset(dataset.grants.values_list("user_id", "allow_download"))
    return dataset.visibility, dataset.restricted, dataset.download_access, shares, grants


@transaction.atomic
def dataset_follow_sharing(*, dataset: Dataset, source: Dataset) -> bool:
    """Give ``dataset`` exactly the sharing of ``source`` (the platform's own act: no permission check;
    audited when anything changed). Returns whether anything changed."""
    if dataset.landscape_id != source.landscape_id:
        raise ValueError("a dataset follows only the sharing of a dataset of its own landscape")
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    before, wanted = _state(dataset), _state(source)
    if before == wanted:
        return False
    visibility, restricted, download_access, shares, grants = wanted
    Dataset.objects.filter(pk=dataset.pk).update(
        visibility=visibility, restricted=restricted, download_access=download_access
    )
    dataset.shares.all().delete()
    DatasetShare.objects.bulk_create(
        [DatasetShare(dataset=dataset, target_type=t, target_id=i) for t, i in sorted(shares)]
    )
    dataset.grants.all().delete()
    DatasetGrant.objects.bulk_create(
        [DatasetGrant(dataset=dataset, user_id=u, allow_download=d) for u, d in sorted(grants)]
    )
    audit_record(
        actor=None,
        action=AuditEvent.Action.SHARE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Sharing of “{dataset.title}” follows “{source.title}”: {before[0]} → {visibility}",
        data={"source": source.pk, "before": before[0], "after": visibility, "restricted": restricted},
    )
    return True
