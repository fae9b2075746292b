"""Metadata, sharing and deletion of datasets."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.accounts.selectors import organisation_get
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.core.permissions import Visibility
from landmosaic.landscapes.models import Landscape

from .. import storage
from ..metadata import clean_metadata
from ..models import Dataset, DatasetShare, DatasetVersion
from .following import sharing_changed


@transaction.atomic
def dataset_update_metadata(*, actor: Any, dataset: Dataset, **changes: Any) -> Dataset:
    """Edit the description of a dataset (editors and managers). The slug never changes, so links last."""
    permissions.check(actor, "change", dataset)
    cleaned = clean_metadata(changes)
    for field, value in cleaned.items():
        setattr(dataset, field, value)
    dataset.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Metadata of “{dataset.title}” updated",
        data={"fields": sorted(cleaned)},
    )
    return dataset


def share_targets(
    *, actor: Any, own_landscape_id: int, landscapes: list[str], organisations: list[str]
) -> set[tuple[str, int]]:
    """Landscape and organisation slugs as ("landscape"|"organisation", id) share targets (the owning
    landscape left out); unknown slugs refuse the whole list."""
    targets: set[tuple[str, int]] = set()
    unknown: dict[str, list[str]] = {}
    # Partner landscapes are often private: a manager may share with one whose address they know,
    # even if they cannot see it. Sharing gives away access to this dataset, never to the partner.
    found = dict(Landscape.objects.filter(slug__in=landscapes).values_list("slug", "pk"))
    for slug in dict.fromkeys(landscapes):
        if slug not in found:
            unknown.setdefault("landscapes", []).append(_("Unknown landscape: %(slug)s") % {"slug": slug})
        elif found[slug] != own_landscape_id:
            targets.add((DatasetShare.TargetType.LANDSCAPE, found[slug]))
    for slug in dict.fromkeys(organisations):
        try:
            targets.add((DatasetShare.TargetType.ORGANISATION, organisation_get(actor=actor, slug=slug).pk))
        except NotFound:
            unknown.setdefault("organisations", []).append(
                _("Unknown organisation: %(slug)s") % {"slug": slug}
            )
    if unknown:
        raise ValidationFailed(_("Check the landscapes and organisations to share with."), details=unknown)
    return targets


@transaction.atomic
def dataset_set_sharing(
    *,
    actor: Any,
    dataset: Dataset,
    visibility: str,
    restricted: bool | None = None,
    download_access: str | None = None,
    landscapes: list[str] | None = None,
    organisations: list[str] | None = None,
) -> Dataset:
    """Who may see and download a dataset (managers). ``landscapes``/``organisations`` (slugs) replace
    the share list when given; "shared" needs at least one of them."""
    permissions.check(actor, "share", dataset)
    errors: dict[str, list[str]] = {}
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose private, shared or public.")]
    if download_access is not None and download_access not in Dataset.DownloadAccess.values:
        errors["download_access"] = [_("Choose who may download the dataset.")]
    if errors:
        raise ValidationFailed(_("Check the sharing settings."), details=errors)
    current = {(s.target_type, s.target_id) for s in dataset.shares.all()}
    targets = current
    if landscapes is not None or organisations is not None:
        targets = share_targets(
            actor=actor,
            own_landscape_id=dataset.landscape_id,
            landscapes=landscapes or [],
            organisations=organisations or [],
        )
    if visibility == Visibility.SHARED and not targets:
        raise ValidationFailed(
            _("Name at least one landscape or organisation to share the dataset with."),
            details={"landscapes": [_("Name at least one landscape or organisation.")]},
        )
    before = {
        "visibility": dataset.visibility,
        "restricted": dataset.restricted,
        "download": dataset.download_access,
    }
    dataset.visibility = visibility
    if restricted is not None:
        dataset.restricted = restricted
    if download_access is not None:
        dataset.download_access = download_access
    dataset.save()
    if targets != current:
        dataset.shares.exclude(
            pk__in=[s.pk for s in dataset.shares.all() if (s.target_type, s.target_id) in targets]
        ).delete()
        DatasetShare.objects.bulk_create(
            [
                DatasetShare(dataset=dataset, target_type=t, target_id=i, created_by=actor)
                for t, i in targets - current
            ]
        )
    after = {
        "visibility": dataset.visibility,
        "restricted": dataset.restricted,
        "download": dataset.download_access,
    }
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SHARE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Sharing of “{dataset.title}”: {before['visibility']} → {after['visibility']}",
        data={"before": before, "after": after, "shared_with": sorted([list(t) for t in targets])},
    )
    sharing_changed(dataset)
    return dataset


@transaction.atomic
def dataset_delete(*, actor: Any, dataset: Dataset) -> None:
    """Delete a dataset, every version and their files (managers). Files go after the commit; an
    original that another dataset's version still uses (a layer of the same upload) stays."""
    permissions.check(actor, "delete", dataset)
    versions = list(dataset.versions.all())
    shared_originals = set(
        DatasetVersion.objects.filter(original_path__in=[v.original_path for v in versions])
        .exclude(dataset=dataset)
        .values_list("original_path", flat=True)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Dataset “{dataset.title}” deleted with {len(versions)} versions",
    )
    dataset.delete()

    def remove_files() -> None:
        for version in versions:
            if version.original_path in shared_originals:
                storage.delete(version.normalised_path)
                storage.delete_tree(f"{version.storage_prefix}/exports")
            else:
                storage.delete_tree(version.storage_prefix)
                storage.delete_tree(storage.upload_prefix(version.original_path))

    transaction.on_commit(remove_files)
