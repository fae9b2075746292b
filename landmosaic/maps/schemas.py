from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class Ref(Schema):
    id: int | None = None
    slug: str
    name: str


class PointMapIn(Schema):
    title: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    latitude_field: str = Field("", description="Column of latitudes; empty with longitude_field: the "
                                "positions of a point layer's own geometries")  # fmt: skip
    longitude_field: str = ""
    colour_field: str = Field("", description="Column to colour the points by; empty: one colour")
    colour_mode: str = Field("", description="categories, graduated (numbers only), or empty to choose "
                             "from the column's type")  # fmt: skip
    point_size: int = Field(6, description="Radius in pixels, 2 to 20")
    popup_fields: list[str] = Field(default_factory=list, description="Columns shown when a point is tapped")
    visibility: str = Field("private", description="private, shared or public")
    landscapes: list[str] | None = Field(None, description="Slugs of landscapes to share with (shared)")
    organisations: list[str] | None = Field(None, description="Slugs of organisations to share with (shared)")


class PointMapPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    latitude_field: str | None = None
    longitude_field: str | None = None
    colour_field: str | None = None
    colour_mode: str | None = None
    point_size: int | None = None
    popup_fields: list[str] | None = None
    visibility: str | None = None
    landscapes: list[str] | None = None
    organisations: list[str] | None = None


class PointMapOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    landscape: Ref
    dataset: Ref
    latitude_field: str
    longitude_field: str
    colour_field: str
    colour_mode: str
    point_size: int
    popup_fields: list[str]
    visibility: str
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]
    url: str
    data_url: str
