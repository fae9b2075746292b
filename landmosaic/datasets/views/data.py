"""A landscape's data: the list, uploads with progress, new versions, editing and deletion."""

from __future__ import annotations

import uuid
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, DomainError, ValidationFailed
from landmosaic.core.forms import form_error
from landmosaic.core.models import Job
from landmosaic.core.pagination import paginate
from landmosaic.core.selectors import job_get
from landmosaic.landscapes.selectors import landscape_get

from .. import panels, selectors, services
from ..forms import DataFilterForm, MetadataForm, UploadForm, VersionForm
from ..services.uploads import dataset_create_from_upload_once, upload_key_clean
from ..uploadlimits import max_total_bytes, page_limited, page_refusal

# --- A landscape's data ----------------------------------------------------------------------


def data_list(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_data_get(actor=request.user, slug=slug)
    form = DataFilterForm(request.GET or None)
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "kind": request.GET.get("kind", "")[:10],
        "theme": request.GET.get("theme", "")[:5],
    }
    page = paginate(
        selectors.dataset_list(actor=request.user, landscape=landscape, **filters),
        page=request.GET.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "landscape": landscape,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(filters.values()),
        "can_upload": permissions.can(request.user, "add_content", landscape),
    }
    if not request.htmx:
        context["panels"] = panels.landscape_data_panels(request, landscape)
    template = "datasets/_list_results.html" if request.htmx else "datasets/list.html"
    return render(request, template, context)


@login_required
@partial(page_limited, files=None)  # several files: each, and all together, within their limits
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug, action="add_content")
    refused = page_refusal(request) if request.method == "POST" else ""
    form = UploadForm(None if refused else request.POST or None, None if refused else request.FILES or None)
    status = 200
    if request.method == "POST" and KEY_HEADER in request.headers and not refused:
        return _upload_once(request, landscape, form, request.headers[KEY_HEADER])
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            jobs = []
            for upload in data["files"]:
                try:
                    jobs.append(
                        services.dataset_create_from_upload(
                            actor=request.user,
                            landscape=landscape,
                            upload=upload,
                            title=data["title"] if len(data["files"]) == 1 else "",
                            license=data["license"],
                            keywords=data["keywords"],
                        )
                    )
                except ValidationFailed as exc:
                    form_error(form, exc)
            if jobs and _wants_json(request):
                return JsonResponse(_accepted(landscape.slug, jobs, form), status=201)
            if jobs:
                if form.errors:
                    for error in form.non_field_errors():
                        messages.error(request, error)
                return redirect(_progress_url(landscape.slug, jobs))
        if _wants_json(request):
            errors = [refused] if refused else _messages(form)
            return JsonResponse({"errors": errors}, status=413 if refused else 400)
        status = 400
    context = {
        "landscape": landscape,
        "form": form,
        "refused": refused,
        # The page checks sizes before sending (upload.js); the server checks them again.
        "max_file_bytes": settings.DATASET_MAX_UPLOAD_BYTES,
        "max_total_bytes": max_total_bytes(),
    }
    return render(request, "datasets/upload.html", context, status=status)


# upload.js sends each file with a random key it keeps across "Try again"; the plain form sends none.
KEY_HEADER = "Idempotency-Key"


def _upload_once(request: HttpRequest, landscape, form: UploadForm, key: str) -> JsonResponse:
    """One file under an idempotency key, answered in JSON: 201 with its job when new; 200 with the
    same answer when this key already brought this file (a retry after a lost answer); 409 when the
    key came with another file; 400 for a bad key or form."""
    try:
        upload_key_clean(key=key)
    except ValidationFailed as exc:
        return JsonResponse({"errors": [exc.message]}, status=400)
    if not form.is_valid():
        return JsonResponse({"errors": _messages(form)}, status=400)
    data = form.cleaned_data
    if len(data["files"]) != 1:
        return JsonResponse({"errors": [_("Send one file per upload key.")]}, status=400)
    try:
        job, replayed = dataset_create_from_upload_once(
            actor=request.user,
            landscape=landscape,
            upload=data["files"][0],
            key=key,
            title=data["title"],
            license=data["license"],
            keywords=data["keywords"],
        )
    except Conflict as exc:
        return JsonResponse({"errors": [exc.message]}, status=409)
    except ValidationFailed as exc:
        form_error(form, exc)
        return JsonResponse({"errors": _messages(form)}, status=400)
    return JsonResponse(_accepted(landscape.slug, [job], form), status=200 if replayed else 201)


def _wants_json(request: HttpRequest) -> bool:
    """upload.js sends each file by itself and asks for JSON; the plain form post gets the pages."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _accepted(slug: str, jobs: list[Job], form: UploadForm) -> dict:
    return {
        "jobs": [{"id": str(job.pk), "progress_url": _progress_url(slug, [job])} for job in jobs],
        "errors": _messages(form),
    }


def _messages(form: UploadForm) -> list[str]:
    """The form's errors as sentences, each field's prefixed by its label."""
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        found.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return found


def _progress_url(slug: str, jobs: list[Job]) -> str:
    return f"{reverse('datasets:progress', kwargs={'slug': slug})}?{urlencode([('job', j.pk) for j in jobs])}"


@login_required
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    """One progress bar per uploaded file; each polls the job page until it is finished."""
    landscape = landscape_get(actor=request.user, slug=slug)
    ids = []
    for value in request.GET.getlist("job")[:50]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue  # a mangled link shows the other uploads
    jobs = [job_get(actor=request.user, job_id=job_id) for job_id in ids]
    return render(request, "datasets/progress.html", {"landscape": landscape, "jobs": jobs})


@login_required
def edit(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="change")
    form = MetadataForm(request.POST or None, initial=MetadataForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            services.dataset_update_metadata(actor=request.user, dataset=item, **changes)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "datasets/edit.html",
        {
            "dataset": item,
            "landscape": item.landscape,
            "form": form,
            "can_delete": permissions.can(request.user, "delete", item),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@page_limited
def version_new(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="add_version")
    refused = page_refusal(request) if request.method == "POST" else ""
    form = VersionForm(None if refused else request.POST or None, None if refused else request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.dataset_add_version(
                    actor=request.user,
                    dataset=item,
                    upload=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )
            except ValidationFailed as exc:
                form_error(form, exc)
            else:
                return redirect(_progress_url(item.landscape.slug, [job]))
        status = 400
    return render(
        request,
        "datasets/version_new.html",
        {"dataset": item, "landscape": item.landscape, "form": form},
        status=status,
    )


@login_required
@require_POST
def delete(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="delete")
    if request.POST.get("confirm_title", "").strip() != item.title:
        messages.error(request, _("Type the dataset's exact title to delete it."))
        return redirect("datasets:edit", slug=slug, dataset=dataset)
    services.dataset_delete(actor=request.user, dataset=item)
    messages.success(request, _("The dataset is deleted."))
    return redirect("datasets:list", slug=slug)
