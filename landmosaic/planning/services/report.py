"""Exports of the whole landscape plan (JSON, Miradi XMPZ2), recorded in the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from .. import miradi, planfile
from ..selectors.report import plan_document_get

FORMATS = ("json", "xmpz2")


@dataclass(frozen=True)
class PlanExport:
    content: bytes
    content_type: str
    filename: str


def plan_export(*, actor: User, landscape: Landscape, fmt: str) -> PlanExport:
    """The plan the caller may see as a file; anyone who may view the plan may export it."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            _("Unknown export format: choose %(formats)s.") % {"formats": ", ".join(FORMATS)}
        )
    doc = plan_document_get(actor=actor, landscape=landscape)
    if fmt == "json":
        data = planfile.plan_json(doc)
        content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
        result = PlanExport(content, "application/json; charset=utf-8", f"{landscape.slug}-plan.json")
    else:
        result = PlanExport(miradi.xmpz2(doc), "application/zip", f"{landscape.slug}-plan.xmpz2")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="plan",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Landscape plan exported as {fmt}",
        data={"actions": len(doc.actions), "indicators": len(doc.indicators)},
    )
    return result
