from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

StatusCode = Literal["not_started", "in_progress", "complete", "validated"]
SectorCode = Literal["public", "private", "civil_society", "community", "research"]
ParticipationCode = Literal["inform", "consult", "involve", "collaborate", "empower"]
GroupCode = Literal["women", "youth", "indigenous", "smallholders", "marginalised"]
RelationKind = Literal["collaborates", "conflicts", "funds", "regulates", "supplies", "other"]


class SuggestionOut(Schema):
    status: str
    reasons: list[str]


class ConfirmationOut(Schema):
    status: str
    reason: str
    by: str | None = Field(description="Shown to those who may see the landscape's members")
    at: datetime | None


class EvidenceOut(Schema):
    id: int
    title: str
    url: str
    internal: bool
    created_at: datetime


class FoundOut(Schema):
    kind: str = Field(description='"dataset" (tagged with the output\'s code) or "plan" (a page of the plan)')
    title: str
    url: str


class OutputOut(Schema):
    code: str
    name: str
    description: str
    status: StatusCode = Field(description="The confirmed status if there is one, else the suggested one")
    status_label: str
    suggested: SuggestionOut
    confirmed: ConfirmationOut | None
    differs: bool = Field(description="The confirmed status differs from the suggestion (an override)")
    notes: str
    evidence: list[EvidenceOut]
    found_evidence: list[FoundOut] = Field(
        description="Evidence found on the platform, only what the caller may see"
    )
    next_steps: list[str]
    tools: list[str]
    url: str


class ElementOut(Schema):
    code: str
    name: str
    description: str
    complete: int
    total: int
    progress: float = Field(description="Completed (or validated) outputs / outputs, from 0 to 1")
    outputs: list[OutputOut]


class NextStepOut(Schema):
    code: str
    name: str
    status: str
    step: str


class PlanOut(Schema):
    landscape: str
    elements: list[ElementOut]
    next_steps: list[NextStepOut]
    allowed_actions: list[str]
    output_actions: list[str] = Field(
        description="What the caller may do to every output: change (notes, evidence), confirm, override"
    )


class EvidenceIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=500, description="https://… or a path on this site (/…)")


class OutputPatch(Schema):
    status: StatusCode | None = Field(
        None, description="Confirm or override the status; null goes back to following the suggestion"
    )
    reason: str = Field("", max_length=2000, description="Needed when the status differs from the suggestion")
    notes: str | None = Field(None, max_length=5000)
    evidence: list[EvidenceIn] | None = Field(None, description="Replaces the output's evidence links")


class OrganisationRef(Schema):
    id: int
    slug: str
    name: str


class StakeholderOut(Schema):
    id: int
    name: str
    organisation: OrganisationRef | None
    sector: str
    type: str
    role: str
    contact: str | None = Field(description="Only for members of the landscape (role member and above)")
    influence: int
    interest: int
    quadrant: str
    strategy: str
    participation: str
    represents: list[str]
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class StakeholderPage(Schema):
    items: list[StakeholderOut]
    count: int
    page: int
    pages: int


class StakeholderIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    organisation_id: int | None = None
    sector: SectorCode
    type: str = Field("", max_length=100)
    role: str = Field("", max_length=2000)
    contact: str = Field("", max_length=300)
    influence: int = Field(ge=1, le=5)
    interest: int = Field(ge=1, le=5)
    participation: ParticipationCode = "inform"
    represents: list[GroupCode] = []


class StakeholderPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    organisation_id: int | None = None
    sector: SectorCode | None = None
    type: str | None = Field(None, max_length=100)
    role: str | None = Field(None, max_length=2000)
    contact: str | None = Field(None, max_length=300)
    influence: int | None = Field(None, ge=1, le=5)
    interest: int | None = Field(None, ge=1, le=5)
    participation: ParticipationCode | None = None
    represents: list[GroupCode] | None = None


class CheckOut(Schema):
    code: str
    ok: bool
    label: str
    message: str
    stakeholders: list[str]


class ChecksOut(Schema):
    gaps: int
    checks: list[CheckOut]


class RelationOut(Schema):
    id: int
    source: int
    target: int
    source_name: str
    target_name: str
    kind: str
    directed: bool
    note: str


class RelationIn(Schema):
    source: int
    target: int
    kind: RelationKind
    note: str = Field("", max_length=300)


class ImportOut(Schema):
    created: int
    updated: int
