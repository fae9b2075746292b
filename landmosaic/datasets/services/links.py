""" "Anyone with the link" share links: made and revoked by the dataset's managers.

A link's token is random and shown once; only its sha256 is stored, so the database never holds a
working link. What a link grants is decided by ``core.permissions`` through the subject of a dataset
opened with it (``Dataset.permission_subject``).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent

from ..models import Dataset, DatasetLink

TOKEN_BYTES = 32


def link_path(token: str) -> str:
    """The path of a link's page, made from the token the creator was shown."""
    return reverse("datasets:link", kwargs={"token": token})


@transaction.atomic
def dataset_link_create(
    *, actor: Any, dataset: Dataset, expires_on: date | None = None, allow_download: bool = False
) -> tuple[DatasetLink, str]:
    """Make a share link (managers); returns it with its token, which is never readable again."""
    permissions.check(actor, "share", dataset)
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationFailed(
            _("The expiry date is in the past."),
            details={"expires_on": [_("Choose today or a later date.")]},
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = DatasetLink.objects.create(
        dataset=dataset,
        token_sha256=DatasetLink.hash_token(token),
        allow_download=allow_download,
        expires_on=expires_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SHARE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Share link {link.pk} of “{dataset.title}” created",
        data={
            "link": link.pk,
            "allow_download": allow_download,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return link, token


@transaction.atomic
def dataset_link_revoke(*, actor: Any, dataset: Dataset, link: DatasetLink) -> DatasetLink:
    """Revoke a share link (managers): it answers "not found" from now on. Revoking twice is harmless."""
    permissions.check(actor, "share", dataset)
    if link.dataset_id != dataset.pk:
        raise ValueError("the link belongs to another dataset")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SHARE,
            object_type="dataset",
            object_id=dataset.pk,
            landscape_id=dataset.landscape_id,
            summary=f"Share link {link.pk} of “{dataset.title}” revoked",
            data={"link": link.pk, "revoked": True},
        )
    return link


def dataset_link_used(*, link: DatasetLink) -> None:
    """Note when a link was last opened (one UPDATE; at most once a minute)."""
    now = timezone.now()
    if link.last_used_at is None or (now - link.last_used_at).total_seconds() > 60:
        DatasetLink.objects.filter(pk=link.pk).update(last_used_at=now)
        link.last_used_at = now
