"""API of the action plan and its tracker: strategies, actions, progress notes, tracker, map."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions
from landmosaic.core.pagination import paginate

from .. import selectors, services
from ..models import Action, ProgressNote, Strategy, action_plan_subject
from ..schemas.actions import (
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
    NoteIn,
    NoteOut,
    StrategyIn,
    StrategyOut,
    StrategyPatch,
    TrackerOut,
)
from ..selectors.actions import Group
from ._router import router

BASE = "/landscapes/{slug}/plan"


def _landscape(request: HttpRequest, slug: str) -> Any:
    return selectors.action_plan_landscape_get(actor=request.auth, slug=slug)


def _org(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "slug": org.slug, "name": org.name}


def _strategy(s: Strategy) -> dict[str, Any]:
    return {
        "id": s.pk,
        "objective_id": s.objective_id,
        "title": s.title,
        "description": s.description,
        "sort": s.sort,
    }


def _action(a: Action, *, budget: bool, today: datetime.date, slug: str) -> dict[str, Any]:
    return {
        "id": a.pk,
        "strategy_id": a.strategy_id,
        "objective_id": a.strategy.objective_id,
        "goal_id": a.strategy.objective.goal_id,
        "title": a.title,
        "description": a.description,
        "lead_organisation": _org(a.lead_organisation),
        "partners": [_org(p) for p in a.partners.all()],
        "budget": a.budget if budget else None,
        "currency": a.currency if budget else "",
        "start_date": a.start_date,
        "end_date": a.end_date,
        "status": a.status,
        "overdue": a.is_overdue(today),
        "location": a.location,
        "zone": None if a.zone is None else {"id": a.zone.pk, "name": a.zone.name, "kind": a.zone.kind},
        "output": a.output.code if a.output_id else None,
        "updated_at": a.updated_at,
        "url": reverse("planning:action", kwargs={"slug": slug, "action_id": a.pk}),
    }


def _note(n: ProgressNote, *, show_people: bool) -> dict[str, Any]:
    return {
        "id": n.pk,
        "text": n.text,
        "status": n.status,
        "author": n.author.display_name if show_people and n.author else None,
        "created_at": n.created_at,
    }


def _budget(actor: Any, landscape: Any) -> bool:
    return permissions.can(actor, "view_budget", action_plan_subject(landscape))


def _one(request: HttpRequest, landscape: Any, action_id: int) -> dict[str, Any]:
    action = selectors.action_get(actor=request.auth, landscape=landscape, action_id=action_id)
    return _action(
        action, budget=_budget(request.auth, landscape), today=timezone.localdate(), slug=landscape.slug
    )


# --- Strategies ------------------------------------------------------------------------------


@router.get(
    f"{BASE}/strategies", response=list[StrategyOut], auth=ANYONE, summary="Strategies under objectives"
)
def strategy_list(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    return [_strategy(s) for s in selectors.strategy_list(actor=request.auth, landscape=landscape)]


@router.post(f"{BASE}/strategies", response={201: StrategyOut}, auth=SIGNED_IN, summary="Add a strategy")
def strategy_create(request: HttpRequest, slug: str, payload: StrategyIn):
    landscape = _landscape(request, slug)
    return 201, _strategy(services.strategy_save(actor=request.auth, landscape=landscape, **payload.dict()))


@router.patch(
    f"{BASE}/strategies/{{int:strategy_id}}",
    response=StrategyOut,
    auth=SIGNED_IN,
    summary="Change a strategy",
)
def strategy_update(request: HttpRequest, slug: str, strategy_id: int, payload: StrategyPatch):
    landscape = _landscape(request, slug)
    strategy = selectors.strategy_get(actor=request.auth, landscape=landscape, strategy_id=strategy_id)
    changes = payload.dict(exclude_unset=True)
    return _strategy(
        services.strategy_save(actor=request.auth, landscape=landscape, strategy=strategy, **changes)
    )


@router.delete(
    f"{BASE}/strategies/{{int:strategy_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a strategy without actions",
)
def strategy_delete(request: HttpRequest, slug: str, strategy_id: int):
    landscape = _landscape(request, slug)
    strategy = selectors.strategy_get(actor=request.auth, landscape=landscape, strategy_id=strategy_id)
    services.strategy_delete(actor=request.auth, strategy=strategy)
    return 204, None


# --- Actions ---------------------------------------------------------------------------------


@router.get(
    f"{BASE}/actions", response=ActionPage, auth=ANYONE, summary="Actions of the plan (3.4), paginated"
)
def action_list(
    request: HttpRequest,
    slug: str,
    status: str = "",
    organisation: int | None = None,
    zone: int | None = None,
    strategy: int | None = None,
    overdue: bool = False,
    page: int = 1,
    page_size: int = 50,
):
    landscape = _landscape(request, slug)
    today = timezone.localdate()
    actions = selectors.action_list(
        actor=request.auth,
        landscape=landscape,
        today=today,
        status=status,
        organisation_id=organisation,
        zone_id=zone,
        strategy_id=strategy,
        overdue=overdue,
    )
    result = paginate(actions, page=page, page_size=page_size)
    budget = _budget(request.auth, landscape)
    return {
        "items": [_action(a, budget=budget, today=today, slug=slug) for a in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "allowed_actions": permissions.allowed_actions(request.auth, action_plan_subject(landscape)),
    }


@router.get(
    f"{BASE}/actions.geojson",
    auth=ANYONE,
    summary="Located actions as a GeoJSON FeatureCollection (at most 2000)",
    openapi_extra={"responses": {200: {"description": "GeoJSON", "content": {"application/geo+json": {}}}}},
)
def action_geojson(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    data = selectors.actions_geojson(actor=request.auth, landscape=landscape, today=timezone.localdate())
    return JsonResponse(data, content_type="application/geo+json")


@router.post(f"{BASE}/actions", response={201: ActionOut}, auth=SIGNED_IN, summary="Add an action")
def action_create(request: HttpRequest, slug: str, payload: ActionIn):
    landscape = _landscape(request, slug)
    action = services.action_save(actor=request.auth, landscape=landscape, **payload.dict())
    return 201, _one(request, landscape, action.pk)


@router.get(f"{BASE}/actions/{{int:action_id}}", response=ActionOut, auth=ANYONE, summary="One action")
def action_detail(request: HttpRequest, slug: str, action_id: int):
    return _one(request, _landscape(request, slug), action_id)


@router.patch(
    f"{BASE}/actions/{{int:action_id}}", response=ActionOut, auth=SIGNED_IN, summary="Change an action"
)
def action_update(request: HttpRequest, slug: str, action_id: int, payload: ActionPatch):
    landscape = _landscape(request, slug)
    action = selectors.action_get(actor=request.auth, landscape=landscape, action_id=action_id)
    services.action_save(
        actor=request.auth, landscape=landscape, action=action, **payload.dict(exclude_unset=True)
    )
    return _one(request, landscape, action_id)


@router.delete(
    f"{BASE}/actions/{{int:action_id}}", response={204: None}, auth=SIGNED_IN, summary="Remove an action"
)
def action_delete(request: HttpRequest, slug: str, action_id: int):
    landscape = _landscape(request, slug)
    action = selectors.action_get(actor=request.auth, landscape=landscape, action_id=action_id)
    services.action_delete(actor=request.auth, action=action)
    return 204, None


@router.get(
    f"{BASE}/actions/{{int:action_id}}/notes", response=list[NoteOut], auth=ANYONE, summary="Progress notes"
)
def note_list(request: HttpRequest, slug: str, action_id: int):
    landscape = _landscape(request, slug)
    action = selectors.action_get(actor=request.auth, landscape=landscape, action_id=action_id)
    people = permissions.can(request.auth, "view_members", landscape)
    return [_note(n, show_people=people) for n in selectors.action_notes(actor=request.auth, action=action)]


@router.post(
    f"{BASE}/actions/{{int:action_id}}/notes",
    response={201: NoteOut},
    auth=SIGNED_IN,
    summary="Report progress: a note, a new status, or both (members)",
)
def note_create(request: HttpRequest, slug: str, action_id: int, payload: NoteIn):
    landscape = _landscape(request, slug)
    action = selectors.action_get(actor=request.auth, landscape=landscape, action_id=action_id)
    note = services.action_report(actor=request.auth, action=action, text=payload.text, status=payload.status)
    return 201, _note(note, show_people=True)


# --- Tracker ---------------------------------------------------------------------------------


def _group(g: Group) -> dict[str, Any]:
    return {"id": g.key, "label": g.label, "total": g.total, "counts": g.counts, "overdue": g.overdue}


@router.get(
    f"{BASE}/tracker",
    response=TrackerOut,
    auth=ANYONE,
    summary="Action plan tracker (4.2): status by goal, organisation and zone; overdue actions",
)
def tracker(request: HttpRequest, slug: str):
    landscape = _landscape(request, slug)
    result = selectors.tracker_get(actor=request.auth, landscape=landscape, today=timezone.localdate())
    return {
        "total": result.total,
        "totals": result.totals,
        "by_goal": [_group(g) for g in result.by_goal],
        "by_organisation": [_group(g) for g in result.by_organisation],
        "by_zone": [_group(g) for g in result.by_zone],
        "by_element": [_group(g) for g in result.by_element],
        "overdue": [
            {
                "id": a.pk,
                "title": a.title,
                "end_date": a.end_date,
                "status": a.status,
                "lead_organisation": a.lead_organisation.name if a.lead_organisation else None,
                "url": reverse("planning:action", kwargs={"slug": slug, "action_id": a.pk}),
            }
            for a in result.overdue
        ],
        "overdue_count": result.overdue_count,
    }
