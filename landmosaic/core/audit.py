"""Writing and reading the audit log. Writes happen inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    landscape_id: int | None = None,
    summary: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; the summary is stored as written (in the platform's language)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        landscape_id=landscape_id,
        summary=summary[:500],
        data=data or {},
    )


def audit_for_landscape(*, landscape_id: int) -> QuerySet[AuditEvent]:
    """Events of one landscape, newest first. Callers check ``view_audit`` before calling."""
    return AuditEvent.objects.filter(landscape_id=landscape_id).select_related("actor")
