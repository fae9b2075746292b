from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from .dashboard import OrganisationRef
from .strategy import ZoneRef

ActionStatusCode = Literal["planned", "in_progress", "done", "delayed", "cancelled"]
BUDGET = Field(None, ge=0, max_digits=16, decimal_places=2)
CURRENCY = Field(None, max_length=3, description="ISO 4217 code of a currency in use, such as USD, EUR, KES")
LOCATION = Field(None, description="GeoJSON Point, Polygon or MultiPolygon (EPSG:4326); null for none")


class StrategyOut(Schema):
    id: int
    objective_id: int
    title: str
    description: str
    sort: int


class StrategyIn(Schema):
    objective_id: int
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=5000)
    sort: int = Field(0, ge=0, le=32767)


class StrategyPatch(Schema):
    objective_id: int | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    sort: int | None = Field(None, ge=0, le=32767)


class ActionOut(Schema):
    id: int
    strategy_id: int
    objective_id: int
    goal_id: int
    title: str
    description: str
    lead_organisation: OrganisationRef | None
    partners: list[OrganisationRef]
    budget: Decimal | None = Field(description="Members of the landscape only (null for others)")
    currency: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    status: str
    overdue: bool = Field(description="The end date has passed and the action is neither done nor cancelled")
    location: dict[str, Any] | None
    zone: ZoneRef | None
    output: str | None = Field(
        description="Code of the ILM output the action works on (none: implementation)"
    )
    updated_at: datetime.datetime
    url: str


class ActionPage(Schema):
    items: list[ActionOut]
    count: int
    page: int
    pages: int
    allowed_actions: list[str]


class ActionIn(Schema):
    strategy_id: int
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=5000)
    lead_organisation_id: int | None = None
    partner_ids: list[int] = []
    budget: Decimal | None = BUDGET
    currency: str | None = CURRENCY
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: ActionStatusCode = "planned"
    location: dict[str, Any] | None = LOCATION
    zone_id: int | None = None
    output_code: str | None = Field(None, description='ILM output the action works on, such as "1.1"')


class ActionPatch(Schema):
    strategy_id: int | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    lead_organisation_id: int | None = None
    partner_ids: list[int] | None = None
    budget: Decimal | None = BUDGET
    currency: str | None = CURRENCY
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: ActionStatusCode | None = None
    location: dict[str, Any] | None = LOCATION
    zone_id: int | None = None
    output_code: str | None = Field(None, description='ILM output the action works on, such as "1.1"')


class NoteOut(Schema):
    id: int
    text: str
    status: str = Field(description="The status given with the note; empty if unchanged")
    author: str | None = Field(description="Shown to those who may see the landscape's members")
    created_at: datetime.datetime


class NoteIn(Schema):
    text: str = Field("", max_length=2000)
    status: ActionStatusCode | Literal[""] = ""


class GroupOut(Schema):
    id: int | None
    label: str
    total: int
    counts: dict[str, int]
    overdue: int


class OverdueOut(Schema):
    id: int
    title: str
    end_date: datetime.date
    status: str
    lead_organisation: str | None
    url: str


class TrackerOut(Schema):
    total: int
    totals: dict[str, int]
    by_goal: list[GroupOut]
    by_organisation: list[GroupOut] = Field(description="Actions an organisation leads or joins as a partner")
    by_zone: list[GroupOut]
    by_element: list[GroupOut] = Field(
        description="By ILM element (id 1-5): the element of the action's output; actions without one "
        "implement the plan (element 4)"
    )
    overdue: list[OverdueOut] = Field(description="The first 100 overdue actions, oldest end date first")
    overdue_count: int
