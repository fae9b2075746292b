from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field

from .dashboard import OrganisationRef

SECTION_TEXT = Field(None, max_length=20_000)


class SectionOut(Schema):
    field: str
    heading: str
    text: str


class SignOffOut(Schema):
    organisation: OrganisationRef | None = Field(description="None if the organisation left the platform")
    organisation_name: str = Field(description="The organisation's name when it signed")
    signed_by_name: str
    signed_on: datetime.date
    recorded_at: datetime.datetime
    recorded_by: str | None = Field(description="Shown to those who may see the landscape's members")


class VersionSummaryOut(Schema):
    number: int
    state: str
    change_note: str
    created_at: datetime.datetime
    agreed_at: datetime.datetime | None


class VersionOut(VersionSummaryOut):
    sections: list[SectionOut]
    start_date: datetime.date | None
    review_date: datetime.date | None
    missing: list[str] = Field(description="What the version needs before it can be agreed")
    sign_offs: list[SignOffOut]
    print_url: str


class SignatoryOut(Schema):
    id: int
    organisation: OrganisationRef
    sign_off: SignOffOut | None = Field(description="Its signature on the version in force")


class AgreementOut(Schema):
    in_force: VersionOut | None = Field(description="The newest agreed version")
    draft: VersionOut | None = Field(description="The newest version if it is a draft (members only)")
    history: list[VersionSummaryOut]
    newest_number: int | None = Field(description="Send it as based_on when saving a new version")
    signatories: list[SignatoryOut]
    allowed_actions: list[str]


class VersionIn(Schema):
    """A new version: sections not sent are copied from the newest version."""

    based_on: int | None = Field(description="The version the edit started from; null for the first one")
    change_note: str = Field("", max_length=300)
    values: str | None = SECTION_TEXT
    governance: str | None = SECTION_TEXT
    roles: str | None = SECTION_TEXT
    decision_making: str | None = SECTION_TEXT
    conflict_resolution: str | None = SECTION_TEXT
    information_sharing: str | None = SECTION_TEXT
    funding: str | None = SECTION_TEXT
    start_date: datetime.date | None = None
    review_date: datetime.date | None = None


class SignatoryIn(Schema):
    organisation_id: int


class SignOffIn(Schema):
    organisation_id: int
    signed_by_name: str = Field(
        "", max_length=200, description="Needed when a manager records it for another"
    )
    signed_on: datetime.date | None = Field(None, description="Today if not given")
