"""Pages of the data commons: a landscape's data, upload with progress, dataset, edit, share."""

from __future__ import annotations

import uuid
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.accounts.selectors import organisation_list
from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, ValidationFailed
from landmosaic.core.forms import form_error
from landmosaic.core.models import Job
from landmosaic.core.pagination import paginate
from landmosaic.core.selectors import job_get
from landmosaic.landscapes.selectors import landscape_get, landscape_visible

from . import catalogue, panels, selectors, services
from .exports import formats_for
from .forms import DataFilterForm, GrantForm, LinkForm, MetadataForm, SharingForm, UploadForm, VersionForm
from .responses import file_response, image_response
from .uploadlimits import page_limited, page_refusal

PACKAGE_FORMATS = ("csv", "gpkg")


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
@partial(page_limited, files=None)  # several files: each is watched as it streams
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug, action="add_content")
    refused = page_refusal(request) if request.method == "POST" else ""
    form = UploadForm(None if refused else request.POST or None, None if refused else request.FILES or None)
    status = 200
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
            if jobs:
                if form.errors:
                    for error in form.non_field_errors():
                        messages.error(request, error)
                return redirect(_progress_url(landscape.slug, jobs))
        status = 400
    context = {"landscape": landscape, "form": form, "refused": refused}
    return render(request, "datasets/upload.html", context, status=status)


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


# --- One dataset -----------------------------------------------------------------------------


class _PageUrls:
    """Where a dataset page's map, images and downloads are fetched: under the dataset's own address,
    or under the share link it was opened with (so a link's holder never needs another address)."""

    def __init__(self, item, token: str = "") -> None:
        self.item, self.token = item, token

    def _reverse(self, name: str, **kwargs) -> str:
        if self.token:
            return reverse(f"datasets:link_{name}", kwargs={"token": self.token, **kwargs})
        return reverse(
            f"datasets:{name}", kwargs={"slug": self.item.landscape.slug, "dataset": self.item.slug, **kwargs}
        )

    def features(self, number: int) -> str:
        return f"{self._reverse('features')}?version={number}"

    def quicklook(self, number: int) -> str:
        return self._reverse("quicklook", number=number)

    def download(self, number: int, fmt: str) -> str:
        return self._reverse("download", number=number, fmt=fmt)


def _version_number(request: HttpRequest) -> int | None:
    number = request.GET.get("version", "")
    return int(number) if number.isdigit() else None


def _detail_page(request: HttpRequest, item, urls: _PageUrls, link=None) -> HttpResponse:
    version = selectors.version_get(actor=request.user, dataset=item, number=_version_number(request))
    actions = set(selectors.dataset_actions(actor=request.user, dataset=item))
    downloads = []
    if "download" in actions:
        downloads = [
            {
                "code": f.code,
                "label": f.label,
                "url": urls.download(version.number, f.code),
                "package": f.code in PACKAGE_FORMATS,
            }
            for f in (formats_for(item.kind) if version.normalised_path else [])
        ]
    preview = selectors.version_preview(actor=request.user, dataset=item, version=version)
    quicklook = version.details.get("quicklook") if item.kind == "raster" else None
    numeric = [f["type"] in ("integer", "number") for f in preview["fields"]]
    context = {
        "dataset": item,
        "landscape": item.landscape,
        "version": version,
        "preview": preview,
        "preview_rows": [list(zip(row, numeric, strict=False)) for row in preview["rows"]],
        "versions": selectors.version_list(actor=request.user, dataset=item),
        "actions": actions,
        "downloads": downloads,
        "original_url": urls.download(version.number, "original"),
        "features_url": urls.features(version.number),
        "quicklook": quicklook
        and {
            **quicklook,
            "url": urls.quicklook(version.number),
            "bounds": ",".join(str(v) for v in quicklook["bounds_4326"]),
        },
        "statistics": _statistics(version.details) if item.kind == "raster" else None,
        "via_link": link is not None,
        "ogc_url": _ogc_url(request, item) if link is None else "",
        "ogc_open": catalogue.is_public(item) and item.download_access == item.DownloadAccess.VIEWERS,
        # Sections of the apps above (point maps); a share link opens the dataset and nothing more.
        "panels": panels.dataset_panels(request, item) if link is None else [],
    }
    return render(request, "datasets/detail.html", context)


def _ogc_url(request: HttpRequest, item) -> str:
    """The OGC API Features collection of a vector dataset, for GIS software."""
    if item.kind != item.Kind.VECTOR or item.current_version is None:
        return ""
    if item.current_version.normalised_format != "gpkg":
        return ""
    return request.build_absolute_uri(
        reverse("ogc:collection", kwargs={"collection": f"{item.landscape.slug}.{item.slug}"})
    )


def detail(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    return _detail_page(request, item, _PageUrls(item))


def features(request: HttpRequest, slug: str, dataset: str) -> JsonResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    return _features(request, item)


def _features(request: HttpRequest, item) -> JsonResponse:
    version = selectors.version_get(actor=request.user, dataset=item, number=_version_number(request))
    collection = selectors.version_features(actor=request.user, dataset=item, version=version)
    return JsonResponse(collection, content_type="application/geo+json")


def _statistics(details: dict) -> dict | None:
    """A raster's statistics with each class's share of the valid cells, for the legend."""
    statistics = details.get("statistics")
    if not statistics or statistics.get("kind") != "categorical":
        return statistics
    cells = statistics["valid_cells"] or 1
    classes = [{**c, "percent": round(100 * c["count"] / cells, 1)} for c in statistics["classes"]]
    return {**statistics, "classes": classes}


def quicklook(request: HttpRequest, slug: str, dataset: str, number: int) -> HttpResponse:
    """A raster version's preview image, for whoever may see the dataset."""
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    return _quicklook(request, item, number)


def _quicklook(request: HttpRequest, item, number: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, dataset=item, number=number)
    return image_response(selectors.version_quicklook(actor=request.user, dataset=item, version=version))


def download(request: HttpRequest, slug: str, dataset: str, number: int, fmt: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    return _download(request, item, number, fmt)


def _download(request: HttpRequest, item, number: int, fmt: str) -> HttpResponse:
    version = selectors.version_get(actor=request.user, dataset=item, number=number)
    result = services.version_export(
        actor=request.user, dataset=item, version=version, fmt=fmt, package=request.GET.get("package") == "1"
    )
    if isinstance(result, Job):
        messages.info(request, _("The file is large: it is being prepared. Download it when it is ready."))
        return redirect("web:job", job_id=result.pk)
    return file_response(result)


# --- Share links: pages for anyone holding one -----------------------------------------------


def _by_link(token: str):
    item, link = selectors.dataset_by_link(token=token)
    services.dataset_link_used(link=link)
    return item, link


def link_detail(request: HttpRequest, token: str) -> HttpResponse:
    item, link = _by_link(token)
    response = _detail_page(request, item, _PageUrls(item, token), link=link)
    response["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    response["X-Robots-Tag"] = "noindex"
    return response


def link_features(request: HttpRequest, token: str) -> JsonResponse:
    item, _link = _by_link(token)
    return _features(request, item)


def link_quicklook(request: HttpRequest, token: str, number: int) -> HttpResponse:
    item, _link = _by_link(token)
    return _quicklook(request, item, number)


def link_download(request: HttpRequest, token: str, number: int, fmt: str) -> HttpResponse:
    item, _link = _by_link(token)
    return _download(request, item, number, fmt)


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


def _sharing_form(request: HttpRequest, item, data=None) -> SharingForm:
    targets = selectors.dataset_share_targets(actor=request.user, dataset=item)
    landscapes = [
        (x.slug, x.name)
        for x in landscape_visible(actor=request.user).exclude(pk=item.landscape_id).order_by("name")
    ]
    organisations = [(o.slug, o.name) for o in organisation_list()]
    initial = {
        "visibility": item.visibility,
        "restricted": item.restricted,
        "download_access": item.download_access,
        "landscapes": [x.slug for x in targets["landscapes"]],
        "organisations": [o.slug for o in targets["organisations"]],
    }
    return SharingForm(data, initial=initial, landscapes=landscapes, organisations=organisations)


def _sharing_page(
    request: HttpRequest, item, *, form=None, link_form=None, grant_form=None, new_link="", status=200
):
    context = {
        "dataset": item,
        "landscape": item.landscape,
        "form": form or _sharing_form(request, item),
        "link_form": link_form or LinkForm(prefix="link"),
        "links": selectors.dataset_link_list(actor=request.user, dataset=item),
        "new_link": new_link,
        "grant_form": grant_form or GrantForm(prefix="grant"),
        "grants": selectors.dataset_grant_list(actor=request.user, dataset=item),
    }
    response = render(request, "datasets/sharing.html", context, status=status)
    if new_link:
        response["Cache-Control"] = "no-store"  # the link is shown once; keep it out of caches
    return response


@login_required
def sharing(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    form = _sharing_form(request, item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_set_sharing(actor=request.user, dataset=item, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Sharing settings saved."))
            return redirect(item.get_absolute_url())
    return _sharing_page(request, item, form=form, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def link_create(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    link_form = LinkForm(request.POST, prefix="link")
    if link_form.is_valid():
        try:
            _link, token = services.dataset_link_create(
                actor=request.user, dataset=item, **link_form.cleaned_data
            )
        except DomainError as exc:
            form_error(link_form, exc)
        else:
            url = request.build_absolute_uri(services.link_path(token))
            return _sharing_page(request, item, new_link=url)
    return _sharing_page(request, item, link_form=link_form, status=400)


@login_required
@require_POST
def link_revoke(request: HttpRequest, slug: str, dataset: str, link_id: int) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    link = selectors.dataset_link_get(actor=request.user, dataset=item, pk=link_id)
    services.dataset_link_revoke(actor=request.user, dataset=item, link=link)
    messages.success(request, _("The link is revoked: it no longer opens the dataset."))
    return redirect("datasets:sharing", slug=slug, dataset=dataset)


@login_required
@require_POST
def grant_create(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    grant_form = GrantForm(request.POST, prefix="grant")
    if grant_form.is_valid():
        try:
            services.dataset_grant(actor=request.user, dataset=item, **grant_form.cleaned_data)
        except DomainError as exc:
            form_error(grant_form, exc)
        else:
            messages.success(request, _("Access given: the person can now see this dataset."))
            return redirect("datasets:sharing", slug=slug, dataset=dataset)
    return _sharing_page(request, item, grant_form=grant_form, status=400)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, slug: str, dataset: str, grant_id: int) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    grant = selectors.dataset_grant_get(actor=request.user, dataset=item, pk=grant_id)
    services.dataset_grant_revoke(actor=request.user, dataset=item, grant=grant)
    messages.success(request, _("Access taken back: the person can no longer see this dataset."))
    return redirect("datasets:sharing", slug=slug, dataset=dataset)


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
