"""API of the partnership agreement: versions, publishing, signatories and sign-offs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from landmosaic.accounts.api_auth import ANYONE, SIGNED_IN
from landmosaic.core import permissions

from .. import selectors, services
from ..models import AgreementVersion, SignOff
from ..schemas.agreement import (
    AgreementOut,
    SignatoryIn,
    SignatoryOut,
    SignOffIn,
    SignOffOut,
    VersionIn,
    VersionOut,
)
from ._router import router

BASE = "/landscapes/{slug}/plan/agreement"


def _org(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "slug": org.slug, "name": org.name}


def _sign_off(s: SignOff, *, show_people: bool) -> dict[str, Any]:
    return {
        "organisation": _org(s.organisation),
        "organisation_name": s.organisation_name,
        "signed_by_name": s.signed_by_name,
        "signed_on": s.signed_on,
        "recorded_at": s.recorded_at,
        "recorded_by": s.recorded_by.display_name if show_people and s.recorded_by else None,
    }


def _summary(v: AgreementVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "state": v.state,
        "change_note": v.change_note,
        "created_at": v.created_at,
        "agreed_at": v.agreed_at,
    }


def _version(v: AgreementVersion, *, slug: str, show_people: bool) -> dict[str, Any]:
    return {
        **_summary(v),
        "sections": [{"field": f, "heading": h, "text": t} for f, h, t in v.sections()],
        "start_date": v.start_date,
        "review_date": v.review_date,
        "missing": v.missing_sections(),
        "sign_offs": [_sign_off(s, show_people=show_people) for s in v.sign_offs.all()],
        "print_url": reverse("planning:agreement_print", kwargs={"slug": slug, "number": v.number}),
    }


def _show_people(actor: Any, landscape: Any) -> bool:
    return permissions.can(actor, "view_members", landscape)


@router.get(BASE, response=AgreementOut, auth=ANYONE, summary="The partnership agreement (output 1.2)")
def agreement_detail(request: HttpRequest, slug: str):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    agreement = selectors.agreement_get(actor=request.auth, landscape=landscape)
    people = _show_people(request.auth, landscape)
    return {
        "in_force": _version(agreement.in_force, slug=slug, show_people=people)
        if agreement.in_force
        else None,
        "draft": _version(agreement.draft, slug=slug, show_people=people) if agreement.draft else None,
        "history": [_summary(v) for v in agreement.history],
        "newest_number": agreement.newest_number if "view_drafts" in agreement.actions else None,
        "signatories": [
            {
                "id": s.signatory.pk,
                "organisation": _org(s.organisation),
                "sign_off": _sign_off(s.sign_off, show_people=people) if s.sign_off else None,
            }
            for s in agreement.signatories
        ],
        "allowed_actions": sorted(agreement.actions),
    }


@router.get(
    f"{BASE}/versions/{{int:number}}", response=VersionOut, auth=ANYONE, summary="One agreement version"
)
def agreement_version(request: HttpRequest, slug: str, number: int):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    version = selectors.agreement_version_get(actor=request.auth, landscape=landscape, number=number)
    return _version(version, slug=slug, show_people=_show_people(request.auth, landscape))


@router.post(
    f"{BASE}/versions",
    response={201: VersionOut},
    auth=SIGNED_IN,
    summary="Save edits as a new draft version (versions never change)",
)
def agreement_version_create(request: HttpRequest, slug: str, payload: VersionIn):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    data = payload.dict(exclude_unset=True)
    data.pop("based_on", None)
    version = services.agreement_version_create(
        actor=request.auth, landscape=landscape, based_on=payload.based_on, **data
    )
    version = selectors.agreement_version_get(actor=request.auth, landscape=landscape, number=version.number)
    return 201, _version(version, slug=slug, show_people=True)


@router.post(
    f"{BASE}/versions/{{int:number}}/publish",
    response=VersionOut,
    auth=SIGNED_IN,
    summary="Agree the newest draft: it becomes the version in force (managers)",
)
def agreement_publish(request: HttpRequest, slug: str, number: int):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    services.agreement_publish(actor=request.auth, landscape=landscape, number=number)
    version = selectors.agreement_version_get(actor=request.auth, landscape=landscape, number=number)
    return _version(version, slug=slug, show_people=True)


@router.post(
    f"{BASE}/versions/{{int:number}}/sign-offs",
    response={201: SignOffOut},
    auth=SIGNED_IN,
    summary="Record an organisation's signature on the version in force",
)
def agreement_sign(request: HttpRequest, slug: str, number: int, payload: SignOffIn):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    sign_off = services.sign_off_record(
        actor=request.auth, landscape=landscape, number=number, **payload.dict()
    )
    return 201, _sign_off(sign_off, show_people=_show_people(request.auth, landscape))


@router.post(
    f"{BASE}/signatories", response={201: SignatoryOut}, auth=SIGNED_IN, summary="Add an organisation to sign"
)
def signatory_add(request: HttpRequest, slug: str, payload: SignatoryIn):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    signatory = services.signatory_add(
        actor=request.auth, landscape=landscape, organisation_id=payload.organisation_id
    )
    return 201, {"id": signatory.pk, "organisation": _org(signatory.organisation), "sign_off": None}


@router.delete(
    f"{BASE}/signatories/{{int:signatory_id}}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Remove a signatory that has not signed",
)
def signatory_remove(request: HttpRequest, slug: str, signatory_id: int):
    landscape = selectors.agreement_landscape_get(actor=request.auth, slug=slug)
    services.signatory_remove(actor=request.auth, landscape=landscape, signatory_id=signatory_id)
    return 204, None
