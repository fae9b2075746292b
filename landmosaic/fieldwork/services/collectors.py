"""Writes for collector access: tokens that ODK Collect / KoboCollect use as their server URL."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..models import CollectorAccess

#: Collector tokens start with this, so they are recognisable (and never look like a landscape slug).
TOKEN_PREFIX = "lmc_"  # noqa: S105 - a public prefix, not a secret
MAX_ACTIVE = 200


@transaction.atomic
def collector_create(*, actor: User, landscape: Landscape, name: str) -> tuple[CollectorAccess, str]:
    """Create collector access; returns it with the token, which is never stored nor shown again."""
    permissions.check(actor, "add_content", landscape)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            _("Give the access a name: the person or team who will collect."),
            details={"name": [_("This field is required.")]},
        )
    if landscape.collector_accesses.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE:
        raise ValidationFailed(
            _("This landscape already has %(count)d active collector accesses. Revoke unused ones first.")
            % {"count": MAX_ACTIVE}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    access = CollectorAccess.objects.create(
        landscape=landscape,
        name=name[:100],
        prefix=secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
        key_hash=CollectorAccess.hash_key(secret),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="collector_access",
        object_id=access.pk,
        landscape_id=landscape.pk,
        summary=f"Collector access “{access.name}” created",
    )
    return access, secret


@transaction.atomic
def collector_revoke(*, actor: User, access: CollectorAccess) -> CollectorAccess:
    """Revoke at once: the phone's next request is refused. Records already received stay."""
    permissions.check(actor, "revoke", access)
    if access.revoked_at is None:
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            object_type="collector_access",
            object_id=access.pk,
            landscape_id=access.landscape_id,
            summary=f"Collector access “{access.name}” revoked",
        )
    return access
