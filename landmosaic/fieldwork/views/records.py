"""Pages of records: monitoring, map, table, CSV export, a record and its review, attachments."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import DomainError
from landmosaic.core.models import AuditEvent
from landmosaic.core.pagination import paginate
from landmosaic.landscapes.selectors import landscape_get

from .. import selectors, services
from ..files import IMAGE_TYPES
from ..forms import ReviewForm
from ..models import Submission
from ..table import csv_safe, repeat_columns, repeat_paths, repeat_rows, table_columns, table_rows
from ._common import form_error, private_file

REVIEW_FILTERS = dict(Submission.Review.choices)


@login_required
def records(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    """Monitoring: counts per day and per collector, last submission, a map and the records."""
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    review = request.GET.get("review", "")
    review = review if review in REVIEW_FILTERS else ""
    page = paginate(
        selectors.records(actor=request.user, form=form, review=review),
        page=request.GET.get("page", 1),
        page_size=50,
    )
    monitoring = selectors.form_monitoring(actor=request.user, form=form)
    per_day_max = max((n for _day, n in monitoring.per_day), default=0)
    return render(
        request,
        "fieldwork/records.html",
        {
            "landscape": landscape,
            "form": form,
            "page": page,
            "monitoring": monitoring,
            "per_day_max": per_day_max,
            "review": review,
            "review_choices": Submission.Review.choices,
            "query": f"review={review}" if review else "",
            "can_export": permissions.can(request.user, "export", form),
            "repeats": repeat_paths(form),
            # The form's dataset and its repeat groups' tables in the commons, those the reader may see.
            "commons": selectors.form_commons(actor=request.user, form=form),
        },
    )


@login_required
def records_geojson(request: HttpRequest, slug: str, form_pk: int) -> JsonResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    rows = (
        selectors.records(actor=request.user, form=form)
        .filter(lon__isnull=False)
        .values_list("pk", "lon", "lat", "collector_name", "received_at")[:20000]
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "name": f"{collector} · {received:%Y-%m-%d %H:%M}"
                if collector
                else f"{received:%Y-%m-%d %H:%M}",
                "url": reverse(
                    "fieldwork:record", kwargs={"slug": slug, "form_pk": form.pk, "record_pk": pk}
                ),
            },
        }
        for pk, lon, lat, collector, received in rows
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(columns: list, rows: Any, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM so that spreadsheet programs read UTF-8
        yield writer.writerow([csv_safe(c.name) for c in columns])
        for row in rows:
            yield writer.writerow([csv_safe(row.get(c.name)) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def records_csv(request: HttpRequest, slug: str, form_pk: int) -> StreamingHttpResponse:
    """CSV of the current records (optionally approved only), safe to open in a spreadsheet.

    With ``?repeat=<path>``, the rows of that repeat group instead: one line per occurrence, linked
    to its record by ``_parent_instance_id``.
    """
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="export")
    approved = request.GET.get("approved") == "1"
    repeat = request.GET.get("repeat", "")
    if repeat and repeat not in repeat_paths(form):
        raise Http404(_("This form has no repeat group “%(name)s”.") % {"name": repeat[:100]})
    qs = selectors.records(actor=request.user, form=form, review="approved" if approved else "")
    records = qs.order_by("received_at", "pk").iterator(chunk_size=500)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="form",
        object_id=form.pk,
        landscape_id=landscape.pk,
        summary=f"Records of form “{form.form_id}” exported as CSV"
        + (f" (rows of {repeat})" if repeat else "")
        + (" (approved only)" if approved else ""),
    )
    suffix = "-approved" if approved else ""
    if repeat:
        name = repeat.replace("/", "-")
        return _csv(
            repeat_columns(form, repeat),
            repeat_rows(form, repeat, records),
            f"{form.form_id}-{name}{suffix}.csv",
        )
    return _csv(table_columns(form), table_rows(form, records), f"{form.form_id}-records{suffix}.csv")


@login_required
def record_detail(request: HttpRequest, slug: str, form_pk: int, record_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    record = selectors.record_get(actor=request.user, form=form, record_pk=record_pk)
    if request.method == "POST":
        permissions.check(request.user, "review", record)
    can_review = permissions.can(request.user, "review", record) and record.is_current
    review_form = (
        ReviewForm(
            request.POST or None, initial={"status": record.review_status, "comment": record.review_comment}
        )
        if can_review
        else None
    )
    status = 200
    if request.method == "POST" and review_form is not None:
        if review_form.is_valid():
            try:
                services.submission_review(actor=request.user, submission=record, **review_form.cleaned_data)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                form_error(review_form, exc)
                status = 400
            else:
                messages.success(request, _("The review is saved."))
                return redirect("fieldwork:record", slug=slug, form_pk=form.pk, record_pk=record.pk)
        else:
            status = 400
    fields = record.form_version.fields
    labels = {f["path"]: f.get("label") or f["path"] for f in fields}
    # Metadata (start, end, device…) is shown under "Collection", not again among the answers.
    hidden = {f["path"] for f in fields if f.get("preload") or f["path"].startswith("meta/")}
    attachments = {a.name: a for a in record.attachments.all()}
    answers = [
        (labels.get(path, path), value, attachments.get(value) if isinstance(value, str) else None)
        for path, value in record.data.items()
        if not isinstance(value, list) and path not in hidden
    ]
    # A repeat inside a repeat is shown as its JSON within the row of the outer one.
    repeats = {
        path: [
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in row.items()}
            for row in rows
            if isinstance(row, dict)
        ]
        for path, rows in record.data.items()
        if isinstance(rows, list)
    }
    return render(
        request,
        "fieldwork/record.html",
        {
            "landscape": landscape,
            "form": form,
            "record": record,
            "answers": answers,
            "repeats": repeats,
            "missing": [name for name in record.expected_attachments if name not in attachments],
            "image_types": IMAGE_TYPES,
            "versions": selectors.record_versions(actor=request.user, record=record),
            "review_form": review_form,
        },
        status=status,
    )


@login_required
def attachment_download(request: HttpRequest, slug: str, form_pk: int, record_pk: int, attachment_pk: int):
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    record = selectors.record_get(actor=request.user, form=form, record_pk=record_pk)
    attachment = selectors.attachment_get(actor=request.user, record=record, attachment_pk=attachment_pk)
    return private_file(attachment.file, name=attachment.name, content_type=attachment.content_type)
