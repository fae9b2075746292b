"""Reads for field data: forms, collector access, records, monitoring figures; all permission-checked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.datasets.selectors import dataset_find, dataset_visible
from landmosaic.landscapes.models import Landscape

from .builder import Definition, from_xlsx
from .models import Attachment, CollectorAccess, Form, FormMedia, FormVersion, RepeatDataset, Submission

# --- Collectors (OpenRosa callers) -------------------------------------------------------------


@dataclass(frozen=True)
class Collector:
    """Who is talking OpenRosa: a collector token of a landscape, or a member with an account."""

    landscape: Landscape
    access: CollectorAccess | None = None
    user: User | None = None

    @property
    def name(self) -> str:
        if self.access is not None:
            return self.access.name
        return self.user.display_name if self.user is not None else ""


#: Landscape columns that can weigh megabytes; requests from phones never need them.
HEAVY_LANDSCAPE_FIELDS = ("boundary_geojson", "boundary_display_geojson", "description")


def collector_access_by_token(*, secret: str) -> CollectorAccess | None:
    """The access behind a token, active or revoked (the caller tells them apart), or None."""
    if not secret or len(secret) > 200:
        return None
    access = (
        CollectorAccess.objects.select_related("landscape")
        .defer(*(f"landscape__{name}" for name in HEAVY_LANDSCAPE_FIELDS))
        .filter(key_hash=CollectorAccess.hash_key(secret))
        .first()
    )
    if access is not None and access.revoked_at is None:
        now = timezone.now()
        if access.last_used_at is None or (now - access.last_used_at).total_seconds() > 60:
            # A bookkeeping time: when another request holds the write lock, skip it, never fail.
            with contextlib.suppress(OperationalError), transaction.atomic():
                CollectorAccess.objects.filter(pk=access.pk).update(last_used_at=now)
    return access


def landscape_for_collecting(*, slug: str) -> Landscape | None:
    """A landscape by slug for account holders who collect; permissions are checked per form."""
    return Landscape.objects.defer(*HEAVY_LANDSCAPE_FIELDS).filter(slug=slug).first()


def landscape_boundary(*, landscape_id: int) -> dict | None:
    """The boundary GeoJSON alone, read only when a point needs testing against it."""
    return Landscape.objects.filter(pk=landscape_id).values_list("boundary_geojson", flat=True).first()


def collector_form_any(*, collector: Collector, form_id: str) -> Form | None:
    """A form of the collector's landscape by id whatever its status (to say why a submission is refused)."""
    return Form.objects.filter(landscape=collector.landscape, form_id=form_id).first()


def collector_forms(*, collector: Collector) -> list[Form]:
    """Published forms the collector may list and fill, with their current version."""
    forms = (
        Form.objects.filter(landscape=collector.landscape, status=Form.Status.PUBLISHED)
        .exclude(current_version=None)
        .select_related("current_version", "landscape")
        .prefetch_related("media")
        .order_by("title", "pk")
    )
    if collector.user is None:
        return list(forms)
    return [f for f in forms if permissions.can(collector.user, "collect", f)]


def collector_form_get(*, collector: Collector, form_id: str) -> Form:
    form = next((f for f in collector_forms(collector=collector) if f.form_id == form_id), None)
    if form is None:
        raise NotFound(_("This landscape has no published form “%(form_id)s”.") % {"form_id": form_id[:100]})
    return form


def collector_media_get(*, collector: Collector, form_id: str, filename: str) -> FormMedia:
    form = collector_form_get(collector=collector, form_id=form_id)
    media = next((m for m in form.media.all() if m.filename == filename), None)
    if media is None:
        raise NotFound(_("This form has no media file %(name)s.") % {"name": filename[:200]})
    return media


# --- Forms -------------------------------------------------------------------------------------


def form_list(*, actor: Any, landscape: Landscape) -> QuerySet[Form]:
    """The landscape's forms with their record counts and last submission, if the caller may see them."""
    probe = Form(landscape=landscape)
    permissions.check(actor, "view", probe)
    return (
        Form.objects.filter(landscape=landscape)
        .select_related("current_version", "landscape")
        .prefetch_related("media")
        .annotate(
            record_count=Count("submissions", filter=Q(submissions__is_current=True)),
            last_received_at=Max("submissions__received_at"),
        )
        .order_by("title", "pk")
    )


def form_definition_get(*, actor: Any, form: Form) -> Definition | None:
    """The current version as rows for the form builder; None when it goes beyond what the page shows."""
    permissions.check(actor, "change", form)
    version = form.current_version
    if version is None:
        return None
    with version.xlsform.open("rb") as handle:
        return from_xlsx(handle.read())


def form_get(*, actor: Any, landscape: Landscape, form_pk: int, action: str = "view") -> Form:
    form = (
        Form.objects.select_related("landscape", "current_version")
        .filter(landscape=landscape, pk=form_pk)
        .first()
    )
    if form is None:
        # Same answer whether the form is missing or hidden: nothing to learn about private content.
        permissions.check(actor, "view", Form(landscape=landscape))
        raise NotFound(_("Form not found."))
    permissions.check(actor, action, form)
    return form


def form_versions(*, actor: Any, form: Form) -> QuerySet[FormVersion]:
    permissions.check(actor, "view", form)
    return form.versions.defer("xform").select_related("created_by")


def form_version_get(*, actor: Any, form: Form, version_pk: int) -> FormVersion:
    permissions.check(actor, "view", form)
    version = form.versions.filter(pk=version_pk).first()
    if version is None:
        raise NotFound(_("Form version not found."))
    return version


def form_media_list(*, actor: Any, form: Form) -> QuerySet[FormMedia]:
    permissions.check(actor, "view", form)
    return form.media.all()


def form_media_get(*, actor: Any, form: Form, media_pk: int) -> FormMedia:
    media = form_media_list(actor=actor, form=form).filter(pk=media_pk).first()
    if media is None:
        raise NotFound(_("Media file not found."))
    return media


# --- Collector access (pages) --------------------------------------------------------------------


def collector_access_list(*, actor: Any, landscape: Landscape) -> QuerySet[CollectorAccess]:
    permissions.check(actor, "view", CollectorAccess(landscape=landscape))
    return (
        landscape.collector_accesses.select_related("created_by")
        .annotate(record_count=Count("submissions"))
        .order_by("revoked_at", "-created_at")
    )


def collector_access_get(*, actor: Any, landscape: Landscape, access_pk: int) -> CollectorAccess:
    access = collector_access_list(actor=actor, landscape=landscape).filter(pk=access_pk).first()
    if access is None:
        raise NotFound(_("Collector access not found."))
    return access


# --- Records -----------------------------------------------------------------------------------


def records(*, actor: Any, form: Form, review: str = "", current: bool = True) -> QuerySet[Submission]:
    """Records of a form, newest first: by default only the current version of each."""
    permissions.check(actor, "view", form)
    qs = form.submissions.select_related("form_version", "collector")
    if current:
        qs = qs.filter(is_current=True)
    if review:
        qs = qs.filter(review_status=review)
    return qs.order_by("-received_at", "-pk")


def record_get(*, actor: Any, form: Form, record_pk: int) -> Submission:
    record = (
        form.submissions.select_related(
            "form__landscape", "form_version", "collector", "previous", "reviewed_by"
        )
        .filter(pk=record_pk)
        .first()
    )
    if record is None:
        permissions.check(actor, "view", form)
        raise NotFound(_("Record not found."))
    permissions.check(actor, "view", record)
    return record


def record_versions(*, actor: Any, record: Submission) -> QuerySet[Submission]:
    """Every version of a record, oldest first."""
    permissions.check(actor, "view", record)
    return record.form.submissions.filter(record_id=record.record_id).order_by("received_at", "pk")


def attachment_get(*, actor: Any, record: Submission, attachment_pk: int) -> Attachment:
    permissions.check(actor, "view", record)
    attachment = record.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment


@dataclass(frozen=True)
class Monitoring:
    total: int
    approved: int
    rejected: int
    pending: int
    outside: int
    last_received_at: Any
    per_day: list[tuple[Any, int]]
    per_collector: list[tuple[str, int]]


def form_monitoring(*, actor: Any, form: Form, days: int = 60) -> Monitoring:
    """Counts per day of collection (end time, else receipt) and per collector, for current records."""
    qs = records(actor=actor, form=form).order_by()
    totals = qs.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(review_status="approved")),
        rejected=Count("pk", filter=Q(review_status="rejected")),
        outside=Count("pk", filter=Q(outside_landscape=True)),
        last=Max("received_at"),
    )
    per_day = list(
        qs.annotate(day=TruncDate(Coalesce("ended_at", "received_at")))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-day")
        .values_list("day", "n")[:days]
    )
    per_collector = list(
        qs.values("collector_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "collector_name")
        .values_list("collector_name", "n")
    )
    return Monitoring(
        total=totals["total"],
        approved=totals["approved"],
        rejected=totals["rejected"],
        pending=totals["total"] - totals["approved"] - totals["rejected"],
        outside=totals["outside"],
        last_received_at=totals["last"],
        per_day=per_day,
        per_collector=per_collector,
    )


# --- Records in the data commons -----------------------------------------------------------------


@dataclass(frozen=True)
class CommonsFamily:
    """A form's datasets in the commons as one caller sees them: the records' dataset and one child
    table per repeat group, each present only when the caller may see it."""

    form: Form
    #: Whether the caller may open the form's own pages (members of its landscape).
    form_visible: bool
    parent: Any
    #: [(repeat path, dataset)], by title.
    children: list[tuple[str, Any]]
    #: For a child table's page: its repeat path ("" on the records' dataset).
    repeat: str = ""


def form_commons(*, actor: Any, form: Form, repeat: str = "") -> CommonsFamily:
    """The datasets of ``form`` in the commons that ``actor`` may see."""
    links = dict(form.repeat_datasets.values_list("dataset_id", "repeat"))
    children = dataset_visible(actor=actor).filter(pk__in=list(links), landscape_id=form.landscape_id)
    return CommonsFamily(
        form=form,
        form_visible=permissions.can(actor, "view", form),
        parent=dataset_find(actor=actor, pk=form.dataset_id),
        children=[(links[d.pk], d) for d in children.order_by("title", "pk")],
        repeat=repeat,
    )


def dataset_commons_family(*, actor: Any, dataset: Any) -> CommonsFamily | None:
    """For a dataset's page: the form whose records (or repeat entries) it holds, with its other
    datasets the caller may see; None for a dataset that no form publishes."""
    link = (
        RepeatDataset.objects.select_related("form__landscape")
        .filter(dataset_id=dataset.pk, form__landscape_id=dataset.landscape_id)
        .first()
    )
    if link is not None:
        return form_commons(actor=actor, form=link.form, repeat=link.repeat)
    form = (
        Form.objects.select_related("landscape")
        .filter(dataset_id=dataset.pk, landscape_id=dataset.landscape_id)
        .first()
    )
    return form_commons(actor=actor, form=form) if form is not None else None
