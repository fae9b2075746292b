"""REST endpoints of the data commons: list, upload, describe, version, preview, download, share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core.models import Job
from landmosaic.core.pagination import paginate
from landmosaic.landscapes.selectors import landscape_get

from . import api_shapes as shapes
from . import selectors, services
from .responses import file_response, parse_bbox
from .schemas import (
    DatasetOut,
    DatasetPage,
    DatasetPatch,
    DatasetUploadIn,
    GrantIn,
    GrantOut,
    JobAccepted,
    LinkCreated,
    LinkIn,
    LinkOut,
    PreviewOut,
    SharingIn,
    SharingOut,
    VersionOut,
    VersionUploadIn,
)
from .uploadlimits import api_limited

router = Router(tags=["datasets"])


def _accepted(job: Job) -> tuple[int, dict[str, Any]]:
    return 202, {"job": {"id": str(job.pk), "status": job.status, "url": f"{shapes.API}/jobs/{job.pk}"}}


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


@router.get(
    "/landscapes/{slug}/datasets", response=DatasetPage, auth=ANYONE, summary="A landscape's datasets"
)
def dataset_list(
    request: HttpRequest,
    slug: str,
    search: str = "",
    kind: str = "",
    theme: str = "",
    page: int = 1,
    page_size: int = 24,
):
    landscape = selectors.landscape_data_get(actor=request.auth, slug=slug)
    qs = selectors.dataset_list(
        actor=request.auth, landscape=landscape, search=search, kind=kind, theme=theme
    )
    result = paginate(qs, page=page, page_size=page_size)
    return {
        "items": [shapes.list_item_out(d) for d in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
    }


@router.post(
    "/landscapes/{slug}/datasets",
    response={202: JobAccepted},
    auth=SIGNED_IN,
    summary="Upload a file as a new dataset (one per layer); follow the job for the result",
)
@decorate_view(api_limited)
def dataset_create(request: HttpRequest, slug: str, file: File[UploadedFile], meta: Form[DatasetUploadIn]):
    landscape = landscape_get(actor=request.auth, slug=slug)
    data = meta.dict()
    data["keywords"], data["themes"] = _split(data["keywords"]), _split(data["themes"])
    job = services.dataset_create_from_upload(actor=request.auth, landscape=landscape, upload=file, **data)
    return _accepted(job)


@router.get("/datasets/{dataset_id}", response=DatasetOut, auth=ANYONE, summary="One dataset")
def dataset_detail(request: HttpRequest, dataset_id: int):
    return shapes.dataset_out(selectors.dataset_get(actor=request.auth, pk=dataset_id), request.auth)


@router.patch(
    "/datasets/{dataset_id}", response=DatasetOut, auth=SIGNED_IN, summary="Edit a dataset's metadata"
)
def dataset_update(request: HttpRequest, dataset_id: int, payload: DatasetPatch):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    services.dataset_update_metadata(actor=request.auth, dataset=dataset, **payload.dict(exclude_unset=True))
    return shapes.dataset_out(selectors.dataset_get(actor=request.auth, pk=dataset_id), request.auth)


@router.delete("/datasets/{dataset_id}", response={204: None}, auth=SIGNED_IN, summary="Delete a dataset")
def dataset_delete(request: HttpRequest, dataset_id: int):
    services.dataset_delete(
        actor=request.auth, dataset=selectors.dataset_get(actor=request.auth, pk=dataset_id)
    )
    return 204, None


@router.get(
    "/datasets/{dataset_id}/versions",
    response=list[VersionOut],
    auth=ANYONE,
    summary="All versions, newest first",
)
def version_list(request: HttpRequest, dataset_id: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    downloads = selectors.can_download(actor=request.auth, dataset=dataset)
    return [
        shapes.version_out(dataset, v, with_downloads=downloads)
        for v in selectors.version_list(actor=request.auth, dataset=dataset)
    ]


@router.post(
    "/datasets/{dataset_id}/versions",
    response={202: JobAccepted},
    auth=SIGNED_IN,
    summary="Upload a file as the dataset's next version; follow the job for the result",
)
@decorate_view(api_limited)
def version_create(
    request: HttpRequest, dataset_id: int, file: File[UploadedFile], meta: Form[VersionUploadIn]
):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    return _accepted(
        services.dataset_add_version(actor=request.auth, dataset=dataset, upload=file, note=meta.note)
    )


@router.get(
    "/datasets/{dataset_id}/versions/{number}", response=VersionOut, auth=ANYONE, summary="One version"
)
def version_detail(request: HttpRequest, dataset_id: int, number: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    version = selectors.version_get(actor=request.auth, dataset=dataset, number=number)
    return shapes.version_out(
        dataset, version, with_downloads=selectors.can_download(actor=request.auth, dataset=dataset)
    )


@router.get(
    "/datasets/{dataset_id}/versions/{number}/preview",
    response=PreviewOut,
    auth=ANYONE,
    summary="The first rows and the column types",
)
def version_preview(request: HttpRequest, dataset_id: int, number: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    version = selectors.version_get(actor=request.auth, dataset=dataset, number=number)
    return selectors.version_preview(actor=request.auth, dataset=dataset, version=version)


@router.get(
    "/datasets/{dataset_id}/versions/{number}/features",
    response=dict,
    auth=ANYONE,
    summary="Features as GeoJSON in EPSG:4326 for a map preview (limited, simplified when heavy)",
)
def version_features(
    request: HttpRequest,
    dataset_id: int,
    number: int,
    bbox: str = Query("", description="west,south,east,north in longitude/latitude"),
    limit: int | None = None,
):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    version = selectors.version_get(actor=request.auth, dataset=dataset, number=number)
    box = parse_bbox(bbox)
    return selectors.version_features(
        actor=request.auth, dataset=dataset, version=version, bbox=box, limit=limit
    )


@router.get(
    "/datasets/{dataset_id}/versions/{number}/download",
    response={202: JobAccepted},
    auth=ANYONE,
    summary="Download a version: original, gpkg, geojson, csv, shp, kml (vector), csv, xlsx (table) or cog "
    "(raster)",
    description="Add package=true for a zip with a Frictionless datapackage.json. The zipped shapefile "
    "(shp) always holds one; other formats come as plain files. Large exports answer 202 with a job; "
    "download again when it has succeeded.",
)
def version_download(
    request: HttpRequest,
    dataset_id: int,
    number: int,
    fmt: str = Query("original", alias="format"),
    package: bool = False,
):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    version = selectors.version_get(actor=request.auth, dataset=dataset, number=number)
    result = services.version_export(
        actor=request.auth, dataset=dataset, version=version, fmt=fmt, package=package
    )
    if isinstance(result, Job):
        return _accepted(result)
    return file_response(result)


@router.put(
    "/datasets/{dataset_id}/sharing", response=SharingOut, auth=SIGNED_IN, summary="Who may see and download"
)
def dataset_sharing(request: HttpRequest, dataset_id: int, payload: SharingIn):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    services.dataset_set_sharing(actor=request.auth, dataset=dataset, **payload.dict())
    return shapes.sharing_out(request.auth, selectors.dataset_get(actor=request.auth, pk=dataset_id))


@router.get("/datasets/{dataset_id}/sharing", response=SharingOut, auth=SIGNED_IN, summary="Sharing settings")
def dataset_sharing_get(request: HttpRequest, dataset_id: int):
    return shapes.sharing_out(request.auth, selectors.dataset_get(actor=request.auth, pk=dataset_id))


@router.post(
    "/datasets/{dataset_id}/links",
    response={201: LinkCreated},
    auth=SIGNED_IN,
    summary="Create an “anyone with the link” share link (managers); its URL is returned only here",
)
def dataset_link_create(request: HttpRequest, dataset_id: int, payload: LinkIn):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    link, token = services.dataset_link_create(actor=request.auth, dataset=dataset, **payload.dict())
    return 201, {**shapes.link_out(link), "url": request.build_absolute_uri(services.link_path(token))}


@router.get(
    "/datasets/{dataset_id}/links", response=list[LinkOut], auth=SIGNED_IN, summary="A dataset's share links"
)
def dataset_link_list(request: HttpRequest, dataset_id: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    return [
        shapes.link_out(entry["link"])
        for entry in selectors.dataset_link_list(actor=request.auth, dataset=dataset)
    ]


@router.delete(
    "/datasets/{dataset_id}/links/{link_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Revoke a share link: it answers 404 from then on",
)
def dataset_link_revoke(request: HttpRequest, dataset_id: int, link_id: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    link = selectors.dataset_link_get(actor=request.auth, dataset=dataset, pk=link_id)
    services.dataset_link_revoke(actor=request.auth, dataset=dataset, link=link)
    return 204, None


@router.get(
    "/datasets/{dataset_id}/grants",
    response=list[GrantOut],
    auth=SIGNED_IN,
    summary="People granted a restricted dataset by name (managers)",
)
def dataset_grant_list(request: HttpRequest, dataset_id: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    return [shapes.grant_out(g) for g in selectors.dataset_grant_list(actor=request.auth, dataset=dataset)]


@router.post(
    "/datasets/{dataset_id}/grants",
    response={201: GrantOut},
    auth=SIGNED_IN,
    summary="Let a named person see a restricted dataset, and download it if allowed (managers)",
    description="Granting the same person again changes whether they may download.",
)
def dataset_grant_create(request: HttpRequest, dataset_id: int, payload: GrantIn):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    return 201, shapes.grant_out(
        services.dataset_grant(actor=request.auth, dataset=dataset, **payload.dict())
    )


@router.delete(
    "/datasets/{dataset_id}/grants/{grant_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Take back a person's access to a restricted dataset (managers)",
)
def dataset_grant_revoke(request: HttpRequest, dataset_id: int, grant_id: int):
    dataset = selectors.dataset_get(actor=request.auth, pk=dataset_id)
    grant = selectors.dataset_grant_get(actor=request.auth, dataset=dataset, pk=grant_id)
    services.dataset_grant_revoke(actor=request.auth, dataset=dataset, grant=grant)
    return 204, None
