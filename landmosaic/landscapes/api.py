"""REST endpoints for landscapes, boundaries, partnerships, members, invitations and join requests."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import Job
from landmosaic.core.pagination import paginate

from . import boundaries, selectors, services
from .models import Landscape, Membership
from .schemas import (
    AuditEventOut,
    BoundaryIn,
    DecisionIn,
    InvitationIn,
    InvitationOut,
    JoinRequestIn,
    JoinRequestOut,
    LandscapeIn,
    LandscapeOut,
    LandscapePage,
    LandscapePatch,
    MemberOut,
    PartnershipOut,
    PartnershipPatch,
    RoleIn,
)

router = Router(tags=["landscapes"])
TERM_FIELDS = tuple(services.TERM_FIELDS)


def _centroid(landscape: Landscape) -> list[float] | None:
    return None if landscape.centroid_lon is None else [landscape.centroid_lon, landscape.centroid_lat]


def _list_item(landscape: Landscape) -> dict[str, Any]:
    return {
        "id": landscape.pk,
        "slug": landscape.slug,
        "name": landscape.name,
        "country": str(landscape.country or ""),
        "visibility": landscape.visibility,
        "area_ha": landscape.area_ha,
        "centroid": _centroid(landscape),
        "has_partnership": landscape.has_partnership,
        "member_count": landscape.member_count,
        "url": landscape.get_absolute_url(),
    }


def _org(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "slug": org.slug, "name": org.name}


def _detail(landscape: Landscape, actor: Any) -> dict[str, Any]:
    partnership = getattr(landscape, "partnership", None)
    bbox = (
        None
        if landscape.bbox_west is None
        else [landscape.bbox_west, landscape.bbox_south, landscape.bbox_east, landscape.bbox_north]
    )
    return {
        "id": landscape.pk,
        "slug": landscape.slug,
        "name": landscape.name,
        "description": landscape.description,
        "country": str(landscape.country or ""),
        "website": landscape.website,
        "contact_email": landscape.contact_email,
        "visibility": landscape.visibility,
        "default_license": landscape.default_license,
        "boundary_kind": landscape.boundary_kind,
        "boundary": landscape.boundary_geojson,
        "area_ha": landscape.area_ha,
        "centroid": _centroid(landscape),
        "bbox": bbox,
        "population": landscape.population,
        **{
            f: [{"code": t.code, "label": t.localized_label} for t in getattr(landscape, f).all()]
            for f in TERM_FIELDS
        },
        "partnership": None
        if partnership is None
        else {
            "name": partnership.name,
            "status": partnership.status,
            "year_founded": partnership.year_founded,
            "lead_organisation": _org(partnership.lead_organisation),
            "organisations": [_org(o) for o in partnership.organisations.all()],
            "description": partnership.description,
        },
        "created_at": landscape.created_at,
        "updated_at": landscape.updated_at,
        "allowed_actions": permissions.allowed_actions(actor, landscape),
        "url": landscape.get_absolute_url(),
    }


def _boundary_from(payload: Any) -> tuple[boundaries.Boundary | None, str]:
    if getattr(payload, "boundary", None) is not None:
        return boundaries.from_geojson(geometry=payload.boundary), "api"
    if getattr(payload, "point", None) is not None:
        lon, lat = payload.point
        return boundaries.from_point(lon=lon, lat=lat), "api point"
    return None, ""


def _member(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "user": {"id": m.user.pk, "name": m.user.display_name, "email": m.user.email},
        "role": m.role,
        "joined_at": m.created_at,
    }


def _job_ref(job: Job) -> dict[str, Any]:
    return {"job": {"id": str(job.pk), "status": job.status, "url": f"/api/v1/jobs/{job.pk}"}}


# --- Landscapes ------------------------------------------------------------------------------


@router.get("/landscapes", response=LandscapePage, auth=ANYONE, summary="Landscapes the caller may see")
def landscape_list(
    request: HttpRequest,
    search: str = "",
    country: str = "",
    ecosystem: str = "",
    has_partnership: bool | None = None,
    page: int = 1,
    page_size: int = 24,
):
    result = selectors.landscape_directory_page(
        actor=request.auth,
        page=page,
        page_size=page_size,
        search=search,
        country=country,
        ecosystem=ecosystem,
        has_partnership=has_partnership,
    )
    return {
        "items": [_list_item(x) for x in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
    }


@router.post("/landscapes", response={201: LandscapeOut}, auth=SIGNED_IN, summary="Create a landscape")
def landscape_create(request: HttpRequest, payload: LandscapeIn):
    data = payload.dict(exclude={"boundary", "point", *TERM_FIELDS})
    boundary, source = _boundary_from(payload)
    landscape = services.landscape_create(
        actor=request.auth,
        boundary=boundary,
        boundary_source=source,
        terms={f: getattr(payload, f) for f in TERM_FIELDS if getattr(payload, f)},
        **data,
    )
    landscape = selectors.landscape_get(actor=request.auth, slug=landscape.slug)
    return 201, _detail(landscape, request.auth)


@router.get("/landscapes/{slug}", response=LandscapeOut, auth=ANYONE, summary="One landscape")
def landscape_detail(request: HttpRequest, slug: str):
    return _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)


@router.patch("/landscapes/{slug}", response=LandscapeOut, auth=SIGNED_IN, summary="Edit a landscape")
def landscape_update(request: HttpRequest, slug: str, payload: LandscapePatch):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    changes = payload.dict(exclude_unset=True)
    terms = {f: changes.pop(f) for f in TERM_FIELDS if f in changes and changes[f] is not None}
    services.landscape_update(actor=request.auth, landscape=landscape, terms=terms, **changes)
    return _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)


@router.delete("/landscapes/{slug}", response={204: None}, auth=SIGNED_IN, summary="Delete a landscape")
def landscape_delete(request: HttpRequest, slug: str):
    services.landscape_delete(
        actor=request.auth, landscape=selectors.landscape_get(actor=request.auth, slug=slug)
    )
    return 204, None


@router.put(
    "/landscapes/{slug}/boundary",
    response=LandscapeOut,
    auth=SIGNED_IN,
    summary="Set the boundary from GeoJSON or a point",
)
def boundary_set(request: HttpRequest, slug: str, payload: BoundaryIn):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug, action="change")
    boundary, source = _boundary_from(payload)
    if boundary is None:
        raise ValidationFailed(_("Send either “boundary” (a GeoJSON geometry) or “point” ([lon, lat])."))
    services.landscape_set_boundary(actor=request.auth, landscape=landscape, boundary=boundary, source=source)
    return _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)


@router.post(
    "/landscapes/{slug}/boundary/upload",
    response={200: LandscapeOut, 202: dict},
    auth=SIGNED_IN,
    summary="Upload a boundary file (GeoJSON, KML/KMZ, GPX, zipped Shapefile)",
)
def boundary_upload(request: HttpRequest, slug: str, file: File[UploadedFile]):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug, action="change")
    result = services.landscape_upload_boundary(
        actor=request.auth, landscape=landscape, data=file.read(), filename=file.name or "boundary"
    )
    if isinstance(result, Job):
        return 202, _job_ref(result)
    return 200, _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)


@router.get("/landscapes/{slug}/partnership", response=PartnershipOut, auth=ANYONE, summary="The partnership")
def partnership_detail(request: HttpRequest, slug: str):
    return _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)["partnership"]


@router.patch(
    "/landscapes/{slug}/partnership", response=PartnershipOut, auth=SIGNED_IN, summary="Edit the partnership"
)
def partnership_update(request: HttpRequest, slug: str, payload: PartnershipPatch):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    changes = payload.dict(exclude_unset=True)
    services.partnership_update(
        actor=request.auth,
        landscape=landscape,
        organisation_ids=changes.pop("organisation_ids", None),
        lead_organisation_id=changes.pop("lead_organisation_id", ""),
        **changes,
    )
    return _detail(selectors.landscape_get(actor=request.auth, slug=slug), request.auth)["partnership"]


# --- Members, invitations, join requests -----------------------------------------------------


@router.get("/landscapes/{slug}/members", response=list[MemberOut], auth=ANYONE, summary="Members and roles")
def member_list(request: HttpRequest, slug: str):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    return [_member(m) for m in selectors.landscape_members(actor=request.auth, landscape=landscape)]


@router.patch(
    "/landscapes/{slug}/members/{member_id}", response=MemberOut, auth=SIGNED_IN, summary="Change a role"
)
def member_update(request: HttpRequest, slug: str, member_id: int, payload: RoleIn):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    membership = selectors.membership_get(actor=request.auth, landscape=landscape, membership_id=member_id)
    return _member(
        services.membership_change_role(actor=request.auth, membership=membership, role=payload.role)
    )


@router.delete(
    "/landscapes/{slug}/members/{member_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a member (or leave)",
)
def member_remove(request: HttpRequest, slug: str, member_id: int):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    membership = selectors.membership_get(actor=request.auth, landscape=landscape, membership_id=member_id)
    services.membership_remove(actor=request.auth, membership=membership)
    return 204, None


@router.get(
    "/landscapes/{slug}/invitations",
    response=list[InvitationOut],
    auth=SIGNED_IN,
    summary="Pending invitations",
)
def invitation_list(request: HttpRequest, slug: str):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    return list(selectors.landscape_invitations(actor=request.auth, landscape=landscape))


@router.post(
    "/landscapes/{slug}/invitations",
    response={201: InvitationOut},
    auth=SIGNED_IN,
    summary="Invite someone by email",
)
def invitation_create(request: HttpRequest, slug: str, payload: InvitationIn):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    return 201, services.invitation_create(
        actor=request.auth, landscape=landscape, email=payload.email, role=payload.role
    )


@router.get(
    "/landscapes/{slug}/join-requests",
    response=list[JoinRequestOut],
    auth=SIGNED_IN,
    summary="Pending join requests",
)
def join_request_list(request: HttpRequest, slug: str):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    return [
        {
            "id": r.pk,
            "user": {"id": r.user.pk, "name": r.user.display_name, "email": r.user.email},
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at,
        }
        for r in selectors.landscape_join_requests(actor=request.auth, landscape=landscape)
    ]


@router.post("/landscapes/{slug}/join-requests", response={201: dict}, auth=SIGNED_IN, summary="Ask to join")
def join_request_create(request: HttpRequest, slug: str, payload: JoinRequestIn):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    join_request = services.join_request_create(
        actor=request.auth, landscape=landscape, message=payload.message
    )
    return 201, {"id": join_request.pk, "status": join_request.status}


@router.post(
    "/landscapes/{slug}/join-requests/{request_id}/decision",
    response=dict,
    auth=SIGNED_IN,
    summary="Approve or refuse a join request",
)
def join_request_decide(request: HttpRequest, slug: str, request_id: int, payload: DecisionIn):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    join_request = selectors.join_request_get(actor=request.auth, landscape=landscape, request_id=request_id)
    join_request = services.join_request_decide(
        actor=request.auth, request=join_request, approve=payload.approve, role=payload.role
    )
    return {"id": join_request.pk, "status": join_request.status}


@router.get(
    "/landscapes/{slug}/audit", response=list[AuditEventOut], auth=SIGNED_IN, summary="Audit log (managers)"
)
def audit_list(request: HttpRequest, slug: str, page: int = 1, page_size: int = 50):
    landscape = selectors.landscape_get(actor=request.auth, slug=slug)
    result = paginate(
        selectors.landscape_audit(actor=request.auth, landscape=landscape), page=page, page_size=page_size
    )
    return [
        {
            "id": e.pk,
            "created_at": e.created_at,
            "actor": e.actor.email if e.actor else None,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "summary": e.summary,
        }
        for e in result.items
    ]
