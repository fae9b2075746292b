from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

ReturnCode = Literal["inspiration", "social", "natural", "financial"]
PillarCode = Literal["ecosystems", "human_well_being", "governance", "production"]
ZoneKindCode = Literal["natural", "combined", "economic"]


class VisionOut(Schema):
    exists: bool
    statement: str
    horizon_year: int | None
    image_url: str | None
    image_alt: str
    agreed: bool
    agreed_at: datetime.datetime | None
    allowed_actions: list[str]


class VisionIn(Schema):
    statement: str | None = Field(None, min_length=1, max_length=10_000)
    horizon_year: int | None = Field(None, ge=2000, le=2200)
    image_alt: str | None = Field(None, max_length=300)


class ZoneRef(Schema):
    id: int
    name: str
    kind: str


class ZoneOut(ZoneRef):
    description: str
    area_ha: float
    geometry: dict[str, Any]


class ZoneIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: ZoneKindCode
    description: str = Field("", max_length=5000)
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon in EPSG:4326")


class ZonePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ZoneKindCode | None = None
    description: str | None = Field(None, max_length=5000)
    geometry: dict[str, Any] | None = None


class ObjectiveOut(Schema):
    id: int
    goal_id: int
    what: str
    how_much: float
    unit: str
    by_when: datetime.date
    where: str
    zone: ZoneRef | None
    sort: int


class ObjectiveIn(Schema):
    goal_id: int
    what: str = Field(min_length=1, max_length=300)
    how_much: float
    unit: str = Field(min_length=1, max_length=50)
    by_when: datetime.date
    where: str = Field("", max_length=300)
    zone_id: int | None = None
    sort: int = Field(0, ge=0, le=32767)


class ObjectivePatch(Schema):
    goal_id: int | None = None
    what: str | None = Field(None, min_length=1, max_length=300)
    how_much: float | None = None
    unit: str | None = Field(None, min_length=1, max_length=50)
    by_when: datetime.date | None = None
    where: str | None = Field(None, max_length=300)
    zone_id: int | None = None
    sort: int | None = Field(None, ge=0, le=32767)


class GoalOut(Schema):
    id: int
    title: str
    description: str
    return_kind: str
    pillar: str
    zones: list[ZoneRef]
    objectives: list[ObjectiveOut]
    sort: int


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=5000)
    return_kind: ReturnCode
    pillar: PillarCode
    zone_ids: list[int] = []
    sort: int = Field(0, ge=0, le=32767)


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    return_kind: ReturnCode | None = None
    pillar: PillarCode | None = None
    zone_ids: list[int] | None = None
    sort: int | None = Field(None, ge=0, le=32767)
