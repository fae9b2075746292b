"""REST endpoints for the ILM dashboard and the stakeholder register."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions
from landmosaic.core.pagination import paginate

from .. import selectors, services
from ..downloads import attachment
from ..models import Stakeholder, StakeholderRelation, output_subject, plan_subject, stakeholder_subject
from ..schemas.dashboard import (
    ChecksOut,
    ImportOut,
    OutputOut,
    OutputPatch,
    PlanOut,
    RelationIn,
    RelationOut,
    StakeholderIn,
    StakeholderOut,
    StakeholderPage,
    StakeholderPatch,
)
from ..selectors import OutputView, Plan
from ._router import router

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- The dashboard ---------------------------------------------------------------------------


def _output(view: OutputView, *, slug: str, show_people: bool) -> dict[str, Any]:
    record = view.record
    return {
        "code": view.code,
        "name": view.name,
        "description": view.description,
        "status": view.status,
        "status_label": view.status_label,
        "suggested": {"status": view.suggestion.status, "reasons": list(view.suggestion.reasons)},
        "confirmed": None
        if not view.confirmed
        else {
            "status": view.confirmed,
            "reason": record.reason,
            "by": record.confirmed_by.display_name if show_people and record.confirmed_by else None,
            "at": record.confirmed_at,
        },
        "differs": view.differs,
        "notes": record.notes if record else "",
        "evidence": [
            {
                "id": e.pk,
                "title": e.title,
                "url": e.url,
                "internal": e.is_internal,
                "created_at": e.created_at,
            }
            for e in view.evidence
        ],
        "found_evidence": [{"kind": f.kind, "title": f.title, "url": f.url} for f in view.found],
        "next_steps": view.next_steps,
        "tools": list(view.output.tools),
        "url": reverse("planning:output", kwargs={"slug": slug, "code": view.code}),
    }


def _plan(plan: Plan, actor: Any) -> dict[str, Any]:
    landscape = plan.landscape
    show_people = permissions.can(actor, "view_members", landscape)
    return {
        "landscape": landscape.slug,
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "description": e.description,
                "complete": e.complete,
                "total": e.total,
                "progress": e.progress,
                "outputs": [_output(o, slug=landscape.slug, show_people=show_people) for o in e.outputs],
            }
            for e in plan.elements
        ],
        "next_steps": [
            {"code": o.code, "name": o.name, "status": o.status, "step": o.next_step} for o in plan.next_steps
        ],
        "allowed_actions": permissions.allowed_actions(actor, plan_subject(landscape)),
        "output_actions": permissions.allowed_actions(actor, output_subject(landscape)),
    }


@router.get(
    "/landscapes/{slug}/plan",
    response=PlanOut,
    auth=ANYONE,
    summary="The ILM dashboard: elements, outputs, statuses, progress, next steps",
)
def plan_detail(request: HttpRequest, slug: str):
    landscape = selectors.plan_landscape_get(actor=request.auth, slug=slug)
    return _plan(selectors.plan_get(actor=request.auth, landscape=landscape), request.auth)


@router.patch(
    "/landscapes/{slug}/plan/outputs/{code}",
    response=OutputOut,
    auth=SIGNED_IN,
    summary="Confirm or override an output's status; edit its notes and evidence",
)
def output_update(request: HttpRequest, slug: str, code: str, payload: OutputPatch):
    landscape = selectors.plan_landscape_get(actor=request.auth, slug=slug)
    changes = payload.dict(exclude_unset=True)
    kwargs: dict[str, Any] = {}
    if "status" in changes:
        kwargs.update(status=changes["status"], reason=changes.get("reason", ""))
    if "notes" in changes:
        kwargs["notes"] = changes["notes"] or ""
    if "evidence" in changes:
        kwargs["evidence"] = changes["evidence"] or []
    services.output_update(actor=request.auth, landscape=landscape, code=code, **kwargs)
    plan = selectors.plan_get(actor=request.auth, landscape=landscape)
    return _output(
        plan.output(code), slug=slug, show_people=permissions.can(request.auth, "view_members", landscape)
    )


# --- Stakeholders ----------------------------------------------------------------------------


def _stakeholder(s: Stakeholder, actions: list[str]) -> dict[str, Any]:
    org = s.organisation
    return {
        "id": s.pk,
        "name": s.name,
        "organisation": None if org is None else {"id": org.pk, "slug": org.slug, "name": org.name},
        "sector": s.sector,
        "type": s.type,
        "role": s.role,
        "contact": s.contact if "view_contact" in actions else None,
        "influence": s.influence,
        "interest": s.interest,
        "quadrant": s.quadrant,
        "strategy": s.strategy,
        "participation": s.participation,
        "represents": list(s.represents),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "allowed_actions": actions,
    }


def _actions(actor: Any, landscape_id: int) -> list[str]:
    # Every stakeholder of a landscape has the same rules: computed once per request.
    return permissions.allowed_actions(actor, stakeholder_subject(landscape_id))


@router.get(
    "/landscapes/{slug}/stakeholders",
    response=StakeholderPage,
    auth=ANYONE,
    summary="The stakeholder register (members of the landscape)",
)
def stakeholder_list(
    request: HttpRequest, slug: str, search: str = "", sector: str = "", page: int = 1, page_size: int = 50
):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    result = paginate(
        selectors.stakeholder_list(
            actor=request.auth, landscape=landscape, search=search[:100], sector=sector
        ),
        page=page,
        page_size=page_size,
    )
    actions = _actions(request.auth, landscape.pk)
    return {
        "items": [_stakeholder(s, actions) for s in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
    }


@router.post(
    "/landscapes/{slug}/stakeholders",
    response={201: StakeholderOut},
    auth=SIGNED_IN,
    summary="Register a stakeholder",
)
def stakeholder_create(request: HttpRequest, slug: str, payload: StakeholderIn):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    stakeholder = services.stakeholder_create(actor=request.auth, landscape=landscape, **payload.dict())
    return 201, _stakeholder(stakeholder, _actions(request.auth, landscape.pk))


@router.get(
    "/landscapes/{slug}/stakeholders/checks",
    response=ChecksOut,
    auth=ANYONE,
    summary="Inclusion checks: the gaps in the register",
)
def stakeholder_checks(request: HttpRequest, slug: str):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    checks = selectors.stakeholder_checks(actor=request.auth, landscape=landscape)
    return {
        "gaps": sum(1 for c in checks if not c.ok),
        "checks": [
            {
                "code": c.code,
                "ok": c.ok,
                "label": c.label,
                "message": c.message,
                "stakeholders": list(c.names),
            }
            for c in checks
        ],
    }


@router.get(
    "/landscapes/{slug}/stakeholders/export.csv",
    auth=SIGNED_IN,
    summary="The register as CSV (formulas neutralised)",
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV, UTF-8 with BOM",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def stakeholder_export(request: HttpRequest, slug: str):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    text = services.stakeholder_export_csv(actor=request.auth, landscape=landscape)
    return attachment(text, "text/csv; charset=utf-8", f"{landscape.slug}-stakeholders.csv")


@router.get(
    "/landscapes/{slug}/stakeholders/export.xlsx",
    auth=SIGNED_IN,
    summary="The register as an Excel workbook (formulas neutralised)",
    openapi_extra={
        "responses": {
            200: {
                "description": "One sheet, “Stakeholders”, with the CSV's columns",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def stakeholder_export_xlsx(request: HttpRequest, slug: str):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    data = services.stakeholder_export_xlsx(actor=request.auth, landscape=landscape)
    return attachment(data, XLSX, f"{landscape.slug}-stakeholders.xlsx")


@router.post(
    "/landscapes/{slug}/stakeholders/import",
    response=ImportOut,
    auth=SIGNED_IN,
    summary="Import stakeholders from CSV or XLSX: every row is valid or nothing is stored",
)
def stakeholder_import(request: HttpRequest, slug: str, file: File[UploadedFile]):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    result = services.stakeholder_import(
        actor=request.auth, landscape=landscape, data=file.read(), filename=file.name or ""
    )
    return {"created": result.created, "updated": result.updated}


@router.get(
    "/landscapes/{slug}/stakeholders/{int:stakeholder_id}",
    response=StakeholderOut,
    auth=ANYONE,
    summary="One stakeholder",
)
def stakeholder_detail(request: HttpRequest, slug: str, stakeholder_id: int):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.auth, landscape=landscape, stakeholder_id=stakeholder_id
    )
    return _stakeholder(stakeholder, _actions(request.auth, landscape.pk))


@router.patch(
    "/landscapes/{slug}/stakeholders/{int:stakeholder_id}",
    response=StakeholderOut,
    auth=SIGNED_IN,
    summary="Edit a stakeholder",
)
def stakeholder_update(request: HttpRequest, slug: str, stakeholder_id: int, payload: StakeholderPatch):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.auth, landscape=landscape, stakeholder_id=stakeholder_id
    )
    stakeholder = services.stakeholder_update(
        actor=request.auth, stakeholder=stakeholder, **payload.dict(exclude_unset=True)
    )
    return _stakeholder(stakeholder, _actions(request.auth, landscape.pk))


@router.delete(
    "/landscapes/{slug}/stakeholders/{int:stakeholder_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a stakeholder and its relations",
)
def stakeholder_delete(request: HttpRequest, slug: str, stakeholder_id: int):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.auth, landscape=landscape, stakeholder_id=stakeholder_id
    )
    services.stakeholder_delete(actor=request.auth, stakeholder=stakeholder)
    return 204, None


# --- Relations -------------------------------------------------------------------------------


def _relation(r: StakeholderRelation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "source": r.source_id,
        "target": r.target_id,
        "source_name": r.source.name,
        "target_name": r.target.name,
        "kind": r.kind,
        "directed": r.directed,
        "note": r.note,
    }


@router.get(
    "/landscapes/{slug}/stakeholder-relations",
    response=list[RelationOut],
    auth=ANYONE,
    summary="Relations between stakeholders",
)
def relation_list(request: HttpRequest, slug: str):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    return [_relation(r) for r in selectors.relation_list(actor=request.auth, landscape=landscape)]


@router.post(
    "/landscapes/{slug}/stakeholder-relations",
    response={201: RelationOut},
    auth=SIGNED_IN,
    summary="Record a relation between two stakeholders",
)
def relation_create(request: HttpRequest, slug: str, payload: RelationIn):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    relation = services.relation_create(
        actor=request.auth,
        landscape=landscape,
        source_id=payload.source,
        target_id=payload.target,
        kind=payload.kind,
        note=payload.note,
    )
    return 201, _relation(relation)


@router.delete(
    "/landscapes/{slug}/stakeholder-relations/{int:relation_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a relation",
)
def relation_delete(request: HttpRequest, slug: str, relation_id: int):
    landscape = selectors.register_landscape_get(actor=request.auth, slug=slug)
    relation = selectors.relation_get(actor=request.auth, landscape=landscape, relation_id=relation_id)
    services.relation_delete(actor=request.auth, relation=relation)
    return 204, None
