"""Pages of forms: the landscape's list, upload, versions, method, media, publishing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.datasets.selectors import dataset_find
from landmosaic.landscapes.selectors import landscape_get

from .. import selectors, services
from ..forms import FormDetailsForm, MediaUploadForm, XLSFormUploadForm
from ..models import Form
from ._common import file_too_large, form_error, private_file

#: The form page holds two file fields (a new version, a media file): a prefix keeps their ids apart.
MEDIA_PREFIX = "media"


@login_required
def field_data(request: HttpRequest, slug: str) -> HttpResponse:
    """The landscape's forms; editors upload XLSForms here."""
    landscape = landscape_get(actor=request.user, slug=slug)
    forms = selectors.form_list(actor=request.user, landscape=landscape)
    if request.method == "POST":
        permissions.check(request.user, "add_content", landscape)
    can_add = permissions.can(request.user, "add_content", landscape)
    upload_form = XLSFormUploadForm(request.POST or None, request.FILES or None) if can_add else None
    issues: list[dict] = []
    status = 200
    if request.method == "POST" and upload_form is not None:
        status = 400
        upload = upload_form.cleaned_data["file"] if upload_form.is_valid() else None
        if upload is not None and upload.size > settings.FIELDWORK_XLSFORM_MAX_BYTES:
            upload_form.add_error("file", file_too_large(upload, settings.FIELDWORK_XLSFORM_MAX_BYTES))
        elif upload is not None:
            try:
                form, version, created = services.form_upload(
                    actor=request.user, landscape=landscape, data=upload.read(), filename=upload.name
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                issues = exc.details.get("issues", [])
                upload_form.add_error(None, exc.message)
                status = exc.status
            else:
                _upload_message(request, version, created)
                return redirect(form.get_absolute_url())
    return render(
        request,
        "fieldwork/field_data.html",
        {
            "landscape": landscape,
            "forms": forms,
            "upload_form": upload_form,
            "issues": issues,
            "can_add": can_add,
        },
        status=status,
    )


def _upload_message(request: HttpRequest, version: Any, created: bool) -> None:
    if created:
        messages.success(
            request, _("Version %(version)s of the form is stored.") % {"version": version.version}
        )
    else:
        messages.info(
            request,
            _("This file was already uploaded as version %(version)s.") % {"version": version.version},
        )


@login_required
def form_detail(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(
        actor=request.user,
        landscape=landscape,
        form_pk=form_pk,
        action="change" if request.method == "POST" else "view",
    )
    can_change = permissions.can(request.user, "change", form)
    details_form = (
        FormDetailsForm(request.POST or None, instance=form, prefix="details") if can_change else None
    )
    status = 200
    if request.method == "POST" and details_form is not None:
        if details_form.is_valid():
            try:
                services.form_update(
                    actor=request.user,
                    form=selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk),
                    title=details_form.cleaned_data["title"],
                    method=details_form.cleaned_data["method"],
                )
            except DomainError as exc:
                form_error(details_form, exc)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect(form.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "fieldwork/form_detail.html",
        _form_context(request, landscape, form, details_form),
        status=status,
    )


def _form_context(request: HttpRequest, landscape: Any, form: Form, details_form: Any, **extra: Any) -> dict:
    can_change = permissions.can(request.user, "change", form)
    return {
        "landscape": landscape,
        "form": form,
        "version": form.current_version,
        "versions": selectors.form_versions(actor=request.user, form=form)[:20],
        "media": selectors.form_media_list(actor=request.user, form=form),
        "missing_media": services.form_missing_media(form=form),
        "can_change": can_change,
        "can_collect": permissions.can(request.user, "collect", form),
        "details_form": details_form,
        # The records' dataset in the data commons, when it exists and the reader may see it.
        "dataset": dataset_find(actor=request.user, pk=form.dataset_id),
        "version_form": extra.pop("version_form", None) or (XLSFormUploadForm() if can_change else None),
        "media_form": extra.pop("media_form", None)
        or (MediaUploadForm(prefix=MEDIA_PREFIX) if can_change else None),
        "issues": extra.pop("issues", []),
        **extra,
    }


@login_required
@require_POST
def form_upload_version(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="change")
    version_form = XLSFormUploadForm(request.POST, request.FILES)
    issues: list[dict] = []
    if version_form.is_valid():
        upload = version_form.cleaned_data["file"]
        if upload.size > settings.FIELDWORK_XLSFORM_MAX_BYTES:
            version_form.add_error("file", file_too_large(upload, settings.FIELDWORK_XLSFORM_MAX_BYTES))
        else:
            try:
                _form, version, created = services.form_upload(
                    actor=request.user,
                    landscape=landscape,
                    data=upload.read(),
                    filename=upload.name,
                    form=form,
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                issues = exc.details.get("issues", [])
                version_form.add_error(None, exc.message)
            else:
                _upload_message(request, version, created)
                return redirect(form.get_absolute_url())
    context = _form_context(
        request,
        landscape,
        form,
        FormDetailsForm(instance=form, prefix="details"),
        version_form=version_form,
        issues=issues,
    )
    return render(request, "fieldwork/form_detail.html", context, status=400)


@login_required
@require_POST
def form_status(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="change")
    try:
        if request.POST.get("action") == "publish":
            services.form_publish(actor=request.user, form=form)
            messages.success(
                request, _("The form is published: collectors can download it and send records.")
            )
        else:
            services.form_unpublish(actor=request.user, form=form)
            messages.success(
                request, _("The form is closed: phones no longer receive it and records are refused.")
            )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect(form.get_absolute_url())


@login_required
@require_POST
def media_add(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="change")
    media_form = MediaUploadForm(request.POST, request.FILES, prefix=MEDIA_PREFIX)
    if media_form.is_valid():
        upload = media_form.cleaned_data["file"]
        try:
            media = services.form_media_add(
                actor=request.user, form=form, uploaded=upload, filename=upload.name
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form_error(media_form, exc)
        else:
            messages.success(request, _("%(file)s is attached.") % {"file": media.filename})
            return redirect(form.get_absolute_url())
    context = _form_context(
        request, landscape, form, FormDetailsForm(instance=form, prefix="details"), media_form=media_form
    )
    return render(request, "fieldwork/form_detail.html", context, status=400)


@login_required
@require_POST
def media_delete(request: HttpRequest, slug: str, form_pk: int, media_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="change")
    media = selectors.form_media_get(actor=request.user, form=form, media_pk=media_pk)
    services.form_media_delete(actor=request.user, media=media)
    messages.success(request, _("%(file)s is removed.") % {"file": media.filename})
    return redirect(form.get_absolute_url())


@login_required
def media_download(request: HttpRequest, slug: str, form_pk: int, media_pk: int) -> FileResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    media = selectors.form_media_get(actor=request.user, form=form, media_pk=media_pk)
    return private_file(media.file, name=media.filename, content_type=media.content_type)


@login_required
def version_download(
    request: HttpRequest, slug: str, form_pk: int, version_pk: int, kind: str
) -> HttpResponse:
    """The original XLSForm (byte for byte) or the XForm made from it."""
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk)
    version = selectors.form_version_get(actor=request.user, form=form, version_pk=version_pk)
    if kind == "xlsx":
        return private_file(
            version.xlsform,
            name=f"{form.form_id}-{version.version}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = HttpResponse(version.xform, content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{form.form_id}-{version.version}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
