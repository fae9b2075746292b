from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class TermOut(Schema):
    code: str
    label: str


class OrganisationRef(Schema):
    id: int
    slug: str
    name: str


class PartnershipOut(Schema):
    name: str
    status: str
    year_founded: int | None
    lead_organisation: OrganisationRef | None
    organisations: list[OrganisationRef]
    description: str


class LandscapeListItem(Schema):
    id: int
    slug: str
    name: str
    country: str
    visibility: str
    area_ha: float | None
    centroid: list[float] | None
    has_partnership: bool
    member_count: int
    url: str


class LandscapePage(Schema):
    items: list[LandscapeListItem]
    count: int
    page: int
    pages: int


class LandscapeOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    country: str
    website: str
    contact_email: str
    visibility: str
    default_license: str = Field(
        description="SPDX identifier new datasets get when their uploader names none"
    )
    boundary_kind: str
    boundary: dict[str, Any] | None
    area_ha: float | None
    centroid: list[float] | None
    bbox: list[float] | None
    population: int | None
    area_types: list[TermOut]
    ecosystems: list[TermOut]
    livelihoods: list[TermOut]
    commodities: list[TermOut]
    languages: list[TermOut]
    partnership: PartnershipOut | None
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]
    url: str


class LandscapeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    country: str = Field("", max_length=2)
    website: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    visibility: str = "private"
    population: int | None = Field(None, ge=0)
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON Polygon/MultiPolygon in EPSG:4326")
    point: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[lon, lat] instead of a boundary"
    )
    area_types: list[str] = []
    ecosystems: list[str] = []
    livelihoods: list[str] = []
    commodities: list[str] = []
    languages: list[str] = []


class LandscapePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    country: str | None = Field(None, max_length=2)
    website: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    visibility: str | None = None
    default_license: str | None = Field(
        None, max_length=40, description="Managers: SPDX identifier of new datasets' licence, e.g. CC-BY-4.0"
    )
    population: int | None = Field(None, ge=0)
    area_types: list[str] | None = None
    ecosystems: list[str] | None = None
    livelihoods: list[str] | None = None
    commodities: list[str] | None = None
    languages: list[str] | None = None


class BoundaryIn(Schema):
    boundary: dict[str, Any] | None = None
    point: list[float] | None = Field(None, min_length=2, max_length=2)


class PartnershipPatch(Schema):
    name: str | None = Field(None, max_length=200)
    status: str | None = None
    year_founded: int | None = None
    description: str | None = Field(None, max_length=5000)
    lead_organisation_id: int | None = None
    organisation_ids: list[int] | None = None


class UserRef(Schema):
    id: int
    name: str
    email: str


class MemberOut(Schema):
    id: int
    user: UserRef
    role: str
    joined_at: datetime


class RoleIn(Schema):
    role: str


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    role: str = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime


class JoinRequestIn(Schema):
    message: str = Field("", max_length=2000)


class JoinRequestOut(Schema):
    id: int
    user: UserRef
    message: str
    status: str
    created_at: datetime


class DecisionIn(Schema):
    approve: bool
    role: str = "member"


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    summary: str
