"""Per-person grants on restricted datasets: its managers name who else may see it (and download it).

Restricted data (sensitive or Indigenous) is seen by the landscape's managers and the people granted
here, nobody else; ``core.permissions`` reads the grants through ``Dataset.permission_subject``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent

from ..models import Dataset, DatasetGrant
from .following import sharing_changed


def _audit(actor: Any, dataset: Dataset, summary: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SHARE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=summary,
        data=data,
    )


@transaction.atomic
def dataset_grant(*, actor: Any, dataset: Dataset, email: str, allow_download: bool = False) -> DatasetGrant:
    """Let the person with this email address see a restricted dataset, and download it when
    ``allow_download`` (managers). Granting the same person again changes their download access."""
    permissions.check(actor, "share", dataset)
    if not dataset.restricted:
        raise ValidationFailed(
            _("Access by name is for restricted datasets: restrict this dataset first."),
            details={"email": [_("Restrict the dataset first.")]},
        )
    address = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=address, is_active=True).first() if address else None
    if user is None:
        raise ValidationFailed(
            _("No one has an account with the address %(email)s; ask them to sign up first.")
            % {"email": address[:200]},
            details={"email": [_("No account uses this email address.")]},
        )
    grant, created = DatasetGrant.objects.update_or_create(
        dataset=dataset, user=user, defaults={"allow_download": allow_download}
    )
    if created:
        grant.created_by = actor if getattr(actor, "is_authenticated", False) else None
        grant.save(update_fields=["created_by"])
    verb = "granted" if created else "changed"
    _audit(actor, dataset, f"Access to “{dataset.title}” {verb} for person {user.pk}",
           user_id=user.pk, allow_download=allow_download)  # fmt: skip
    sharing_changed(dataset)
    return grant


@transaction.atomic
def dataset_grant_revoke(*, actor: Any, dataset: Dataset, grant: DatasetGrant) -> None:
    """Take back a person's access to a restricted dataset (managers)."""
    permissions.check(actor, "share", dataset)
    _audit(
        actor,
        dataset,
        f"Access to “{dataset.title}” revoked for person {grant.user_id}",
        user_id=grant.user_id,
    )
    grant.delete()
    sharing_changed(dataset)
