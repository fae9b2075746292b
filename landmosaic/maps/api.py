"""REST endpoints of point maps: list, create, detail, change, delete, and the points as GeoJSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.datasets import selectors as dataset_selectors

from . import selectors, services
from .models import PointMap
from .schemas import PointMapIn, PointMapOut, PointMapPatch

router = Router(tags=["point maps"])
API = "/api/v1"


def _out(point_map: PointMap, actor: Any) -> dict[str, Any]:
    dataset = point_map.dataset
    return {
        "id": point_map.pk,
        "slug": point_map.slug,
        "title": point_map.title,
        "description": point_map.description,
        "landscape": {"slug": point_map.landscape.slug, "name": point_map.landscape.name},
        "dataset": {"id": dataset.pk, "slug": dataset.slug, "name": dataset.title},
        "latitude_field": point_map.latitude_field,
        "longitude_field": point_map.longitude_field,
        "colour_field": point_map.colour_field,
        "colour_mode": point_map.colour_mode,
        "point_size": point_map.point_size,
        "popup_fields": point_map.popup_fields,
        "visibility": point_map.visibility,
        "created_at": point_map.created_at,
        "updated_at": point_map.updated_at,
        "allowed_actions": selectors.point_map_actions(actor=actor, point_map=point_map),
        "url": point_map.get_absolute_url(),
        "data_url": f"{API}/point-maps/{point_map.pk}/data",
    }


@router.get(
    "/landscapes/{slug}/point-maps",
    response=list[PointMapOut],
    auth=ANYONE,
    summary="A landscape's point maps",
)
def landscape_point_maps(request: HttpRequest, slug: str):
    landscape = dataset_selectors.landscape_data_get(actor=request.auth, slug=slug)
    return [_out(m, request.auth) for m in selectors.point_map_list(actor=request.auth, landscape=landscape)]


@router.get(
    "/datasets/{dataset_id}/point-maps",
    response=list[PointMapOut],
    auth=ANYONE,
    summary="A dataset's point maps",
)
def dataset_point_maps(request: HttpRequest, dataset_id: int):
    dataset = dataset_selectors.dataset_get(actor=request.auth, pk=dataset_id)
    return [_out(m, request.auth) for m in selectors.point_map_list(actor=request.auth, dataset=dataset)]


@router.post(
    "/datasets/{dataset_id}/point-maps",
    response={201: PointMapOut},
    auth=SIGNED_IN,
    summary="Make a point map of a table or point layer (editors of its landscape)",
)
def point_map_create(request: HttpRequest, dataset_id: int, payload: PointMapIn):
    dataset = dataset_selectors.dataset_get(actor=request.auth, pk=dataset_id)
    point_map = services.point_map_create(actor=request.auth, dataset=dataset, **payload.dict())
    return 201, _out(selectors.point_map_get(actor=request.auth, pk=point_map.pk), request.auth)


@router.get("/point-maps/{map_id}", response=PointMapOut, auth=ANYONE, summary="One point map")
def point_map_detail(request: HttpRequest, map_id: int):
    return _out(selectors.point_map_get(actor=request.auth, pk=map_id), request.auth)


@router.patch(
    "/point-maps/{map_id}", response=PointMapOut, auth=SIGNED_IN, summary="Change a point map or who sees it"
)
def point_map_update(request: HttpRequest, map_id: int, payload: PointMapPatch):
    point_map = selectors.point_map_get(actor=request.auth, pk=map_id)
    services.point_map_update(actor=request.auth, point_map=point_map, **payload.dict(exclude_unset=True))
    return _out(selectors.point_map_get(actor=request.auth, pk=map_id), request.auth)


@router.delete("/point-maps/{map_id}", response={204: None}, auth=SIGNED_IN, summary="Delete a point map")
def point_map_delete(request: HttpRequest, map_id: int):
    point_map = selectors.point_map_get(actor=request.auth, pk=map_id)
    services.point_map_delete(actor=request.auth, point_map=point_map)
    return 204, None


@router.get(
    "/point-maps/{map_id}/data",
    response=dict,
    auth=ANYONE,
    summary="The map's points as GeoJSON (EPSG:4326) with their legend classes",
    description="Each feature has `class`, its index in the collection's `legend` ({label, colour, count}). "
    "`skipped` counts rows without a usable position; `truncated` says the map holds more points.",
)
def point_map_data(request: HttpRequest, map_id: int):
    point_map = selectors.point_map_get(actor=request.auth, pk=map_id)
    return selectors.point_map_data(actor=request.auth, point_map=point_map)
