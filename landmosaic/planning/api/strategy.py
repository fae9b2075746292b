"""API of the shared vision and the strategy: vision (and its image), zones, goals, objectives."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import File, Form
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions

from .. import selectors, services
from ..models import Goal, Objective, Vision, Zone, strategy_subject
from ..schemas.strategy import (
    GoalIn,
    GoalOut,
    GoalPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    VisionIn,
    VisionOut,
    ZoneIn,
    ZoneOut,
    ZonePatch,
)
from ._router import router

BASE = "/landscapes/{slug}/plan"


def _landscape(request: HttpRequest, slug: str) -> Any:
    return selectors.strategy_landscape_get(actor=request.auth, slug=slug)


def _vision(vision: Vision | None, landscape: Any, actor: Any) -> dict[str, Any]:
    image = bool(vision and vision.image)
    return {
        "exists": vision is not None,
        "statement": vision.statement if vision else "",
        "horizon_year": vision.horizon_year if vision else None,
        "image_url": reverse("planning:vision_image", kwargs={"slug": landscape.slug}) if image else None,
        "image_alt": vision.image_alt if vision else "",
        "agreed": bool(vision and vision.agreed),
        "agreed_at": vision.agreed_at if vision else None,
        "allowed_actions": permissions.allowed_actions(actor, strategy_subject(landscape)),
    }


def _zone_ref(z: Zone | None) -> dict[str, Any] | None:
    return None if z is None else {"id": z.pk, "name": z.name, "kind": z.kind}


def _zone(z: Zone) -> dict[str, Any]:
    return {**_zone_ref(z), "description": z.description, "area_ha": z.area_ha, "geometry": z.geometry}


def _objective(o: Objective) -> dict[str, Any]:
    return {
        "id": o.pk,
        "goal_id": o.goal_id,
        "what": o.what,
        "how_much": o.how_much,
        "unit": o.unit,
        "by_when": o.by_when,
        "where": o.where,
        "zone": _zone_ref(o.zone),
        "sort": o.sort,
    }


def _goal(g: Goal) -> dict[str, Any]:
    return {
        "id": g.pk,
        "title": g.title,
        "description": g.description,
        "return_kind": g.return_kind,
        "pillar": g.pillar,
        "zones": [_zone_ref(z) for z in g.zones.all()],
        "objectives": [_objective(o) for o in g.objectives.all()],
        "sort": g.sort,
    }


# --- Vision ----------------------------------------------------------------------------------


@router.get(f"{BASE}/vision", response=VisionOut, auth=ANYONE, summary="The shared vision (output 3.1)")
def vision_detail(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return _vision(selectors.vision_get(actor=request.auth, landscape=landscape), landscape, request.auth)


@router.put(f"{BASE}/vision", response=VisionOut, auth=SIGNED_IN, summary="Write or edit the vision")
def vision_save(request: HttpRequest, slug: str, payload: VisionIn):
    landscape = _landscape(request, slug)
    vision = services.vision_save(actor=request.auth, landscape=landscape, **payload.dict(exclude_unset=True))
    return _vision(vision, landscape, request.auth)


@router.post(f"{BASE}/vision/image", response=VisionOut, auth=SIGNED_IN, summary="Set the vision's image")
def vision_image(request: HttpRequest, slug: str, file: File[UploadedFile], image_alt: Form[str]):
    landscape = _landscape(request, slug)
    vision = services.vision_save(actor=request.auth, landscape=landscape, image=file, image_alt=image_alt)
    return _vision(vision, landscape, request.auth)


@router.delete(
    f"{BASE}/vision/image", response=VisionOut, auth=SIGNED_IN, summary="Remove the vision's image"
)
def vision_image_remove(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    vision = services.vision_save(actor=request.auth, landscape=landscape, image=None)
    return _vision(vision, landscape, request.auth)


@router.post(f"{BASE}/vision/agree", response=VisionOut, auth=SIGNED_IN, summary="Mark the vision agreed")
def vision_agree(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return _vision(services.vision_agree(actor=request.auth, landscape=landscape), landscape, request.auth)


@router.delete(f"{BASE}/vision/agree", response=VisionOut, auth=SIGNED_IN, summary="Withdraw the agreed mark")
def vision_disagree(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    vision = services.vision_agree(actor=request.auth, landscape=landscape, agreed=False)
    return _vision(vision, landscape, request.auth)


# --- Zones -----------------------------------------------------------------------------------


@router.get(f"{BASE}/zones", response=list[ZoneOut], auth=ANYONE, summary="Zones drawn on the map")
def zone_list(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return [_zone(z) for z in selectors.zone_list(actor=request.auth, landscape=landscape)]


@router.get(
    f"{BASE}/zones.geojson",
    auth=ANYONE,
    summary="Zones as a GeoJSON FeatureCollection",
    openapi_extra={"responses": {200: {"description": "GeoJSON", "content": {"application/geo+json": {}}}}},
)
def zone_geojson(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    zones = selectors.zone_list(actor=request.auth, landscape=landscape)
    return JsonResponse(selectors.zones_geojson(zones, slug=slug), content_type="application/geo+json")


@router.post(f"{BASE}/zones", response={201: ZoneOut}, auth=SIGNED_IN, summary="Draw a zone")
def zone_create(request: HttpRequest, slug: str, payload: ZoneIn):
    landscape = _landscape(request, slug)
    return 201, _zone(services.zone_save(actor=request.auth, landscape=landscape, **payload.dict()))


@router.get(f"{BASE}/zones/{{int:zone_id}}", response=ZoneOut, auth=ANYONE, summary="One zone")
def zone_detail(request: HttpRequest, slug: str, zone_id: int):
    landscape = _landscape(request, slug)
    return _zone(selectors.zone_get(actor=request.auth, landscape=landscape, zone_id=zone_id))


@router.patch(f"{BASE}/zones/{{int:zone_id}}", response=ZoneOut, auth=SIGNED_IN, summary="Change a zone")
def zone_update(request: HttpRequest, slug: str, zone_id: int, payload: ZonePatch):
    landscape = _landscape(request, slug)
    zone = selectors.zone_get(actor=request.auth, landscape=landscape, zone_id=zone_id)
    changes = payload.dict(exclude_unset=True)
    return _zone(services.zone_save(actor=request.auth, landscape=landscape, zone=zone, **changes))


@router.delete(f"{BASE}/zones/{{int:zone_id}}", response={204: None}, auth=SIGNED_IN, summary="Remove a zone")
def zone_delete(request: HttpRequest, slug: str, zone_id: int):
    landscape = _landscape(request, slug)
    services.zone_delete(
        actor=request.auth, zone=selectors.zone_get(actor=request.auth, landscape=landscape, zone_id=zone_id)
    )
    return 204, None


# --- Goals and objectives ----------------------------------------------------------------------


@router.get(
    f"{BASE}/goals",
    response=list[GoalOut],
    auth=ANYONE,
    summary="Long-term goals with their objectives (3.2)",
)
def goal_list(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return [_goal(g) for g in selectors.goal_list(actor=request.auth, landscape=landscape)]


@router.post(f"{BASE}/goals", response={201: GoalOut}, auth=SIGNED_IN, summary="Add a goal")
def goal_create(request: HttpRequest, slug: str, payload: GoalIn):
    landscape = _landscape(request, slug)
    goal = services.goal_save(actor=request.auth, landscape=landscape, **payload.dict())
    return 201, _goal(selectors.goal_get(actor=request.auth, landscape=landscape, goal_id=goal.pk))


@router.get(f"{BASE}/goals/{{int:goal_id}}", response=GoalOut, auth=ANYONE, summary="One goal")
def goal_detail(request: HttpRequest, slug: str, goal_id: int):
    landscape = _landscape(request, slug)
    return _goal(selectors.goal_get(actor=request.auth, landscape=landscape, goal_id=goal_id))


@router.patch(f"{BASE}/goals/{{int:goal_id}}", response=GoalOut, auth=SIGNED_IN, summary="Change a goal")
def goal_update(request: HttpRequest, slug: str, goal_id: int, payload: GoalPatch):
    landscape = _landscape(request, slug)
    goal = selectors.goal_get(actor=request.auth, landscape=landscape, goal_id=goal_id)
    services.goal_save(actor=request.auth, landscape=landscape, goal=goal, **payload.dict(exclude_unset=True))
    return _goal(selectors.goal_get(actor=request.auth, landscape=landscape, goal_id=goal_id))


@router.delete(
    f"{BASE}/goals/{{int:goal_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a goal without objectives or indicators",
)
def goal_delete(request: HttpRequest, slug: str, goal_id: int):
    landscape = _landscape(request, slug)
    services.goal_delete(
        actor=request.auth, goal=selectors.goal_get(actor=request.auth, landscape=landscape, goal_id=goal_id)
    )
    return 204, None


@router.get(f"{BASE}/objectives", response=list[ObjectiveOut], auth=ANYONE, summary="SMART objectives")
def objective_list(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return [_objective(o) for o in selectors.objective_list(actor=request.auth, landscape=landscape)]


@router.post(f"{BASE}/objectives", response={201: ObjectiveOut}, auth=SIGNED_IN, summary="Add an objective")
def objective_create(request: HttpRequest, slug: str, payload: ObjectiveIn):
    landscape = _landscape(request, slug)
    return 201, _objective(services.objective_save(actor=request.auth, landscape=landscape, **payload.dict()))


@router.get(
    f"{BASE}/objectives/{{int:objective_id}}", response=ObjectiveOut, auth=ANYONE, summary="One objective"
)
def objective_detail(request: HttpRequest, slug: str, objective_id: int):
    landscape = _landscape(request, slug)
    return _objective(
        selectors.objective_get(actor=request.auth, landscape=landscape, objective_id=objective_id)
    )


@router.patch(
    f"{BASE}/objectives/{{int:objective_id}}",
    response=ObjectiveOut,
    auth=SIGNED_IN,
    summary="Change an objective",
)
def objective_update(request: HttpRequest, slug: str, objective_id: int, payload: ObjectivePatch):
    landscape = _landscape(request, slug)
    objective = selectors.objective_get(actor=request.auth, landscape=landscape, objective_id=objective_id)
    changes = payload.dict(exclude_unset=True)
    return _objective(
        services.objective_save(actor=request.auth, landscape=landscape, objective=objective, **changes)
    )


@router.delete(
    f"{BASE}/objectives/{{int:objective_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove an objective without strategies or indicators",
)
def objective_delete(request: HttpRequest, slug: str, objective_id: int):
    landscape = _landscape(request, slug)
    objective = selectors.objective_get(actor=request.auth, landscape=landscape, objective_id=objective_id)
    services.objective_delete(actor=request.auth, objective=objective)
    return 204, None
