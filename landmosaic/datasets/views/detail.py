"""One dataset's page, map data, preview image and downloads, by its address or by a share link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core.models import Job

from .. import catalogue, panels, selectors, services
from ..exports import formats_for
from ..responses import file_response, image_response

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
                # A zip (the shapefile) already holds its datapackage.json; other files may come
                # zipped with one.
                "described": services.is_zip(f.code),
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
