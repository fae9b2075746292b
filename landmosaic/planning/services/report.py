"""Exports of the whole landscape plan (JSON, Miradi XMPZ2), recorded in the audit log.

A small plan is exported on the spot. A plan with more actions than ``PLAN_EXPORT_SYNC_MAX_ACTIONS`` is
exported by a job for signed-in callers (the page shows its progress, then the link back here) and the
file is kept in storage under the plan's revision key, so asking again serves the same file until the plan
changes. Who may see budgets gets another file than who may not (the key says which). Every answer is
permission-checked here first; the cached files are only ever read back through this function.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.landscapes.models import Landscape

from .. import miradi, planfile
from ..selectors.report import PlanDocument, PlanRevision, plan_document_get, plan_revision_get

FORMATS = ("json", "xmpz2")
EXPORT_JOB = "planning.plan_export"
CACHE_ROOT = "planning/exports"


@dataclass(frozen=True)
class PlanExport:
    content: bytes
    content_type: str
    filename: str


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationFailed(
            _("Unknown export format: choose %(formats)s.") % {"formats": ", ".join(FORMATS)}
        )


def _render(doc: PlanDocument, fmt: str) -> bytes:
    if fmt == "json":
        data = planfile.plan_json(doc)
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
    return miradi.xmpz2(doc)


def _file(landscape: Landscape, fmt: str, content: bytes) -> PlanExport:
    if fmt == "json":
        return PlanExport(content, "application/json; charset=utf-8", f"{landscape.slug}-plan.json")
    return PlanExport(content, "application/zip", f"{landscape.slug}-plan.xmpz2")


def _folder(landscape: Landscape) -> str:
    return f"{CACHE_ROOT}/{landscape.pk}"


def _variant(fmt: str, revision: PlanRevision) -> str:
    """Format and budget view: one kept file of each per landscape."""
    return f"{fmt}-{'budgets' if revision.budgets else 'public'}-"


def _cache_name(landscape: Landscape, fmt: str, revision: PlanRevision) -> str:
    return f"{_folder(landscape)}/{_variant(fmt, revision)}{revision.key}.{fmt}"


def _large(revision: PlanRevision) -> bool:
    return revision.actions > settings.PLAN_EXPORT_SYNC_MAX_ACTIONS


def _cache_save(landscape: Landscape, fmt: str, revision: PlanRevision, content: bytes) -> None:
    """Keep the file under its revision and drop the landscape's older files of that format and budget
    view (the other view may still be asked for)."""
    name = _cache_name(landscape, fmt, revision)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    try:
        _, files = default_storage.listdir(_folder(landscape))
    except FileNotFoundError:
        return
    keep = name.rsplit("/", 1)[1]
    for stale in files:
        if stale.startswith(_variant(fmt, revision)) and stale != keep:
            default_storage.delete(f"{_folder(landscape)}/{stale}")


def _audit(actor: Any, landscape: Landscape, fmt: str, revision: PlanRevision) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="plan",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Landscape plan exported as {fmt}",
        data={"actions": revision.actions},
    )


def plan_export_url(*, landscape: Landscape, fmt: str) -> str:
    return reverse("planning:plan_export", kwargs={"slug": landscape.slug, "fmt": fmt})


def plan_export(*, actor: Any, landscape: Landscape, fmt: str) -> PlanExport | Job:
    """The plan the caller may see as a file (anyone who may view the plan may export it), or, for a
    large plan not exported since its last change, the job producing the file."""
    _check_format(fmt)
    revision = plan_revision_get(actor=actor, landscape=landscape)  # permission-checked
    name = _cache_name(landscape, fmt, revision)
    if _large(revision) and default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            content = cached.read()
    elif _large(revision) and getattr(actor, "is_authenticated", False):
        return _job_for(actor=actor, landscape=landscape, fmt=fmt, revision=revision)
    else:
        # Small plans, and large ones asked for by visitors who cannot follow a job: on the spot.
        content = plan_export_build(actor=actor, landscape=landscape, fmt=fmt, revision=revision)
    _audit(actor, landscape, fmt, revision)
    return _file(landscape, fmt, content)


def _job_for(*, actor: Any, landscape: Landscape, fmt: str, revision: PlanRevision) -> Job:
    """The caller's unfinished job for this very file, or a new one: asking twice starts one job."""
    params = {"landscape_id": landscape.pk, "format": fmt, "revision": revision.key}
    running = Job.objects.filter(
        kind=EXPORT_JOB,
        created_by=actor,
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
        params__landscape_id=landscape.pk,
        params__format=fmt,
        params__revision=revision.key,
    ).first()
    return running or job_start(kind=EXPORT_JOB, actor=actor, landscape_id=landscape.pk, params=params)


def plan_export_build(
    *,
    actor: Any,
    landscape: Landscape,
    fmt: str,
    revision: PlanRevision,
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """Read the plan as the caller sees it and write the file; a large plan's file is kept under
    ``revision`` (taken before reading, so a change meanwhile gives a newer key and a new file)."""
    report = progress or (lambda percent, message: None)
    report(10, _("Reading the plan"))
    doc = plan_document_get(actor=actor, landscape=landscape)
    report(40, _("Writing the file"))
    content = _render(doc, fmt)
    if _large(revision):
        report(90, _("Saving the file"))
        _cache_save(landscape, fmt, revision, content)
    return content
