from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class OrganisationRef(Schema):
    id: int
    slug: str
    name: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    country: str
    language: str
    organisation: OrganisationRef | None
    email_verified: bool


class MeUpdateIn(Schema):
    name: str | None = Field(None, max_length=150)
    country: str | None = Field(None, max_length=2)
    language: str | None = Field(None, max_length=8)
    organisation_id: int | None = None


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown once. Send it as `Authorization: Bearer <secret>`.")


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    type: str = "other"
    website: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    description: str = Field("", max_length=5000)


class OrganisationPatch(Schema):
    name: str | None = Field(None, max_length=200)
    type: str | None = None
    website: str | None = Field(None, max_length=200)
    country: str | None = Field(None, max_length=2)
    description: str | None = Field(None, max_length=5000)


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    type: str
    website: str
    country: str
    description: str
    allowed_actions: list[str]


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    count: int
    page: int
    pages: int
