"""REST endpoints for field data: forms and their versions, records and their review, collector access.

Phones do not use these: they speak OpenRosa (see openrosa.py). These serve scripts and other clients.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Router
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import SIGNED_IN
from landmosaic.core import permissions
from landmosaic.core.pagination import paginate
from landmosaic.landscapes.selectors import landscape_get

from . import qr, selectors, services
from .models import CollectorAccess, Form, Submission
from .schemas import (
    CollectorCreated,
    CollectorIn,
    CollectorOut,
    FormDetailOut,
    FormOut,
    FormPatch,
    FormUploadOut,
    RecordOut,
    RecordPage,
    ReviewIn,
)
from .table import repeat_label

router = Router(tags=["field data"])


def _version(version: Any) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "id": version.pk,
        "version": version.version,
        "title": version.title,
        "xform_md5": version.xform_md5,
        "xlsform_sha256": version.xlsform_sha256,
        "media_references": version.media_references,
        "issues": version.issues,
        "created_at": version.created_at,
    }


def _form(form: Form, actor: Any) -> dict[str, Any]:
    return {
        "id": form.pk,
        "form_id": form.form_id,
        "title": form.title,
        "method": form.method,
        "status": form.status,
        "current_version": _version(form.current_version),
        "media": [{"filename": m.filename, "md5": m.md5, "size": m.size} for m in form.media.all()],
        "missing_media": services.form_missing_media(form=form),
        "record_count": _record_count(form),
        "allowed_actions": permissions.allowed_actions(actor, form),
        "url": form.get_absolute_url(),
    }


def _dataset_link(dataset: Any) -> dict[str, Any]:
    return {"id": dataset.pk, "title": dataset.title, "url": dataset.get_absolute_url()}


def _datasets(form: Form, actor: Any) -> dict[str, Any]:
    """The form's datasets in the commons that ``actor`` may see: its records and one per repeat group."""
    family = selectors.form_commons(actor=actor, form=form)
    return {
        "records": _dataset_link(family.parent) if family.parent is not None else None,
        "repeats": [
            {
                **_dataset_link(dataset),
                "path": path,
                "name": path.rsplit("/", 1)[-1],
                "label": repeat_label(form, path),
                "dataset_id": dataset.pk,
            }
            for path, dataset in family.children
        ],
    }


def _record_count(form: Form) -> int:
    # Lists annotate the count; single forms count here.
    if hasattr(form, "record_count"):
        return form.record_count
    return form.submissions.filter(is_current=True).count()


def _record(record: Submission) -> dict[str, Any]:
    return {
        "id": record.pk,
        "instance_id": record.instance_id,
        "record_id": record.record_id,
        "form_version": record.form_version.version,
        "received_at": record.received_at,
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "collector": record.collector_name,
        "device_id": record.device_id,
        "username": record.username,
        "location": None if record.lon is None else [record.lon, record.lat],
        "outside_landscape": record.outside_landscape,
        "review_status": record.review_status,
        "review_comment": record.review_comment,
        "is_current": record.is_current,
        "data": record.data,
        "attachments": [a.name for a in record.attachments.all()],
    }


def _collector(access: CollectorAccess) -> dict[str, Any]:
    return {
        "id": access.pk,
        "name": access.name,
        "prefix": access.prefix,
        "created_at": access.created_at,
        "last_used_at": access.last_used_at,
        "revoked_at": access.revoked_at,
    }


@router.get(
    "/landscapes/{slug}/forms", response=list[FormOut], auth=SIGNED_IN, summary="Forms of a landscape"
)
def form_list(request: HttpRequest, slug: str):
    landscape = landscape_get(actor=request.auth, slug=slug)
    return [_form(f, request.auth) for f in selectors.form_list(actor=request.auth, landscape=landscape)]


@router.post(
    "/landscapes/{slug}/forms",
    response={200: FormUploadOut, 201: FormUploadOut},
    auth=SIGNED_IN,
    summary="Upload an XLSForm (a new form, or a new version of the form with the same form_id)",
)
def form_upload(request: HttpRequest, slug: str, file: File[UploadedFile]):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form, _version_obj, created = services.form_upload(
        actor=request.auth, landscape=landscape, data=file.read(), filename=file.name or "form.xlsx"
    )
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form.pk)
    return (201 if created else 200), {"created": created, "form": _form(form, request.auth)}


@router.get(
    "/landscapes/{slug}/forms/{form_pk}",
    response=FormDetailOut,
    auth=SIGNED_IN,
    summary="One form, with its datasets in the data commons (records and repeat groups)",
)
def form_detail(request: HttpRequest, slug: str, form_pk: int):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    return {**_form(form, request.auth), "datasets": _datasets(form, request.auth)}


@router.patch(
    "/landscapes/{slug}/forms/{form_pk}", response=FormOut, auth=SIGNED_IN, summary="Edit title and method"
)
def form_update(request: HttpRequest, slug: str, form_pk: int, payload: FormPatch):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    services.form_update(actor=request.auth, form=form, **payload.dict(exclude_unset=True))
    return _form(form, request.auth)


@router.post(
    "/landscapes/{slug}/forms/{form_pk}/publish", response=FormOut, auth=SIGNED_IN, summary="Publish"
)
def form_publish(request: HttpRequest, slug: str, form_pk: int):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    return _form(services.form_publish(actor=request.auth, form=form), request.auth)


@router.post(
    "/landscapes/{slug}/forms/{form_pk}/close", response=FormOut, auth=SIGNED_IN, summary="Unpublish"
)
def form_close(request: HttpRequest, slug: str, form_pk: int):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    return _form(services.form_unpublish(actor=request.auth, form=form), request.auth)


@router.get(
    "/landscapes/{slug}/forms/{form_pk}/records",
    response=RecordPage,
    auth=SIGNED_IN,
    summary="Records of a form",
)
def record_list(
    request: HttpRequest, slug: str, form_pk: int, review: str = "", page: int = 1, page_size: int = 50
):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    review = review if review in Submission.Review.values else ""
    result = paginate(
        selectors.records(actor=request.auth, form=form, review=review).prefetch_related("attachments"),
        page=page,
        page_size=page_size,
    )
    return {
        "items": [_record(r) for r in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
    }


@router.post(
    "/landscapes/{slug}/forms/{form_pk}/records/{record_pk}/review",
    response=RecordOut,
    auth=SIGNED_IN,
    summary="Approve or reject a record",
)
def record_review(request: HttpRequest, slug: str, form_pk: int, record_pk: int, payload: ReviewIn):
    landscape = landscape_get(actor=request.auth, slug=slug)
    form = selectors.form_get(actor=request.auth, landscape=landscape, form_pk=form_pk)
    record = selectors.record_get(actor=request.auth, form=form, record_pk=record_pk)
    services.submission_review(
        actor=request.auth, submission=record, status=payload.status, comment=payload.comment
    )
    return _record(record)


@router.get(
    "/landscapes/{slug}/collectors", response=list[CollectorOut], auth=SIGNED_IN, summary="Collector access"
)
def collector_list(request: HttpRequest, slug: str):
    landscape = landscape_get(actor=request.auth, slug=slug)
    return [_collector(a) for a in selectors.collector_access_list(actor=request.auth, landscape=landscape)]


@router.post(
    "/landscapes/{slug}/collectors",
    response={201: CollectorCreated},
    auth=SIGNED_IN,
    summary="Create collector access; the server URL (with its token) is returned only this once",
)
def collector_create(request: HttpRequest, slug: str, payload: CollectorIn):
    landscape = landscape_get(actor=request.auth, slug=slug)
    access, secret = services.collector_create(actor=request.auth, landscape=landscape, name=payload.name)
    url = request.build_absolute_uri(reverse("fieldwork:openrosa_root", kwargs={"key": secret}))
    settings_payload = qr.encode_settings(qr.collect_settings(server_url=url, project_name=landscape.name))
    return 201, {**_collector(access), "server_url": url, "collect_settings": settings_payload}


@router.post(
    "/landscapes/{slug}/collectors/{access_pk}/revoke",
    response=CollectorOut,
    auth=SIGNED_IN,
    summary="Revoke collector access",
)
def collector_revoke(request: HttpRequest, slug: str, access_pk: int):
    landscape = landscape_get(actor=request.auth, slug=slug)
    access = selectors.collector_access_get(actor=request.auth, landscape=landscape, access_pk=access_pk)
    return _collector(services.collector_revoke(actor=request.auth, access=access))
