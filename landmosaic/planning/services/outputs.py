"""Writes for the ILM dashboard: confirming or overriding output statuses, notes, evidence."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..models import Evidence, Output, OutputStatus, Status, output_subject
from ..selectors import plan_facts
from ..suggestions import suggestion_for
from ._common import UNSET, invalid

MAX_EVIDENCE = 20


# --- Output statuses and evidence ------------------------------------------------------------


def _output(code: str) -> Output:
    output = Output.objects.filter(code=code).first()
    if output is None:
        raise NotFound(_("There is no output %(code)s in the ILM framework.") % {"code": code})
    return output


def _evidence(record: OutputStatus, *, actor: User, title: str, url: str) -> Evidence:
    evidence = Evidence(
        output_status=record, title=(title or "").strip(), url=(url or "").strip(), added_by=actor
    )
    try:
        evidence.full_clean(exclude=["output_status", "added_by"])
    except ValidationError as exc:
        raise invalid(exc, _("Check the evidence: a title and a link are needed.")) from exc
    return evidence


@transaction.atomic
def output_update(
    *,
    actor: User,
    landscape: Landscape,
    code: str,
    status: str | None = UNSET,
    reason: str = "",
    notes: str = UNSET,
    evidence: list[dict[str, str]] | None = UNSET,
) -> OutputStatus:
    """Confirm, override or clear an output's status; edit its notes; replace its evidence.

    Editors confirm what the platform suggests; any other status is an override that needs a
    manager and a reason. ``status`` None or "" goes back to following the suggestion.
    """
    output = _output(code)
    subject = output_subject(landscape)
    if status is UNSET and notes is UNSET and evidence is UNSET:
        raise ValidationFailed(_("Nothing to change: send a status, notes or evidence."))
    if notes is not UNSET or evidence is not UNSET:
        permissions.check(actor, "change", subject)
    record = OutputStatus.objects.select_for_update().filter(
        landscape=landscape, output=output
    ).first() or OutputStatus(landscape=landscape, output=output)
    changed = []
    if status is not UNSET:
        status = status or ""
        if status and status not in Status.values:
            raise ValidationFailed(
                _("Unknown status: choose not_started, in_progress, complete or validated."),
                details={"status": [_("Invalid choice.")]},
            )
        suggested = suggestion_for(plan_facts(landscape=landscape), code).status
        current = record.status
        follows = status == suggested if status else current in ("", suggested)
        permissions.check(actor, "confirm" if follows else "override", subject)
        reason = (reason or "").strip()
        if status and status != suggested and not reason:
            message = _("Say why the status differs from the suggestion (%(suggested)s).") % {
                "suggested": Status(suggested).label
            }
            raise ValidationFailed(message, details={"reason": [message]})
        record.status, record.reason = status, reason if status else ""
        record.confirmed_by, record.confirmed_at = (actor, timezone.now()) if status else (None, None)
        changed.append("status")
    if notes is not UNSET:
        record.notes = (notes or "").strip()
        changed.append("notes")
    record.updated_by = actor
    try:
        record.full_clean(
            exclude=["landscape", "output", "confirmed_by", "updated_by"], validate_constraints=False
        )
    except ValidationError as exc:
        raise invalid(exc, _("Check the status and notes.")) from exc
    record.save()
    if evidence is not UNSET:
        items = [
            _evidence(record, actor=actor, title=e.get("title", ""), url=e.get("url", ""))
            for e in evidence or []
        ]
        if len(items) > MAX_EVIDENCE:
            raise ValidationFailed(_("At most %(max)d evidence links per output.") % {"max": MAX_EVIDENCE})
        record.evidence.all().delete()
        Evidence.objects.bulk_create(items)
        changed.append("evidence")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="ilm_output",
        object_id=output.code,
        landscape_id=landscape.pk,
        summary=f"Output {output.code} updated ({', '.join(changed)})"
        + (f": status {record.status or 'follows the suggestion'}" if "status" in changed else ""),
        data={"fields": changed, "status": record.status},
    )
    return record


@transaction.atomic
def output_evidence_add(*, actor: User, landscape: Landscape, code: str, title: str, url: str) -> Evidence:
    """Add one evidence link to an output (editors)."""
    output = _output(code)
    permissions.check(actor, "change", output_subject(landscape))
    record, _created = OutputStatus.objects.get_or_create(
        landscape=landscape, output=output, defaults={"updated_by": actor}
    )
    if record.evidence.count() >= MAX_EVIDENCE:
        raise Conflict(_("At most %(max)d evidence links per output.") % {"max": MAX_EVIDENCE})
    evidence = _evidence(record, actor=actor, title=title, url=url)
    evidence.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="ilm_output",
        object_id=output.code,
        landscape_id=landscape.pk,
        summary=f"Evidence added to output {output.code}: {evidence.title}",
    )
    return evidence


@transaction.atomic
def output_evidence_remove(*, actor: User, landscape: Landscape, evidence_id: int) -> None:
    permissions.check(actor, "change", output_subject(landscape))
    evidence = (
        Evidence.objects.select_related("output_status__output")
        .filter(pk=evidence_id, output_status__landscape=landscape)
        .first()
    )
    if evidence is None:
        raise NotFound(_("Evidence not found."))
    code = evidence.output_status.output.code
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="ilm_output",
        object_id=code,
        landscape_id=landscape.pk,
        summary=f"Evidence removed from output {code}: {evidence.title}",
    )
    evidence.delete()
