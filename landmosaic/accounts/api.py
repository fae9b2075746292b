"""REST endpoints: me, tokens, organisations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from landmosaic.core import permissions
from landmosaic.core.pagination import paginate

from . import selectors, services
from .api_auth import ANYONE, SIGNED_IN
from .models import ApiToken, Organisation, User
from .schemas import (
    MeOut,
    MeUpdateIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["accounts"])


def _me(user: User) -> dict[str, Any]:
    org = user.organisation
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "country": str(user.country or ""),
        "language": user.language,
        "email_verified": user.email_verified,
        "organisation": {"id": org.pk, "slug": org.slug, "name": org.name} if org else None,
    }


def _organisation(org: Organisation, actor: Any) -> dict[str, Any]:
    return {
        "id": org.pk,
        "slug": org.slug,
        "name": org.name,
        "type": org.type,
        "website": org.website,
        "country": str(org.country or ""),
        "description": org.description,
        "allowed_actions": permissions.allowed_actions(actor, org),
    }


def _token(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get("/me", response=MeOut, auth=SIGNED_IN, summary="The signed-in person")
def me(request: HttpRequest):
    return _me(request.auth)


@router.patch("/me", response=MeOut, auth=SIGNED_IN, summary="Edit my profile")
def me_update(request: HttpRequest, payload: MeUpdateIn):
    changes = payload.dict(exclude_unset=True)
    if "organisation_id" in changes:
        org_id = changes.pop("organisation_id")
        changes["organisation"] = (
            selectors.organisation_get(actor=request.auth, pk=org_id) if org_id else None
        )
    user = services.user_update_profile(user=request.auth, actor=request.auth, **changes)
    return _me(user)


@router.get("/tokens", response=list[TokenOut], auth=SIGNED_IN, summary="My API tokens")
def tokens(request: HttpRequest):
    return [_token(t) for t in selectors.token_list(user=request.auth)]


@router.post("/tokens", response={201: TokenCreatedOut}, auth=SIGNED_IN, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn):
    token, secret = services.token_create(user=request.auth, name=payload.name)
    return 201, {**_token(token), "secret": secret}


@router.delete("/tokens/{token_id}", response={204: None}, auth=SIGNED_IN, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int):
    token = selectors.token_get(user=request.auth, token_id=token_id)
    services.token_revoke(token=token, actor=request.auth)
    return 204, None


@router.get("/organisations", response=OrganisationPage, auth=ANYONE, summary="Organisations")
def organisations(
    request: HttpRequest,
    search: str = "",
    type: str = "",
    country: str = "",
    page: int = 1,
    page_size: int = 24,
):
    result = paginate(
        selectors.organisation_list(search=search, type=type, country=country), page=page, page_size=page_size
    )
    return {
        "items": [_organisation(o, request.auth) for o in result.items],
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
    }


@router.post(
    "/organisations", response={201: OrganisationOut}, auth=SIGNED_IN, summary="Create an organisation"
)
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    org = services.organisation_create(actor=request.auth, **payload.dict())
    return 201, _organisation(org, request.auth)


@router.get("/organisations/{slug}", response=OrganisationOut, auth=ANYONE, summary="One organisation")
def organisation_detail(request: HttpRequest, slug: str):
    return _organisation(selectors.organisation_get(actor=request.auth, slug=slug), request.auth)


@router.patch(
    "/organisations/{slug}", response=OrganisationOut, auth=SIGNED_IN, summary="Edit an organisation"
)
def organisation_update(request: HttpRequest, slug: str, payload: OrganisationPatch):
    org = selectors.organisation_get(actor=request.auth, slug=slug)
    org = services.organisation_update(
        organisation=org, actor=request.auth, **payload.dict(exclude_unset=True)
    )
    return _organisation(org, request.auth)


@router.delete(
    "/organisations/{slug}", response={204: None}, auth=SIGNED_IN, summary="Delete an organisation"
)
def organisation_delete(request: HttpRequest, slug: str):
    org = selectors.organisation_get(actor=request.auth, slug=slug)
    services.organisation_delete(organisation=org, actor=request.auth)
    return 204, None
