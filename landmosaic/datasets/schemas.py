from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class LandscapeRef(Schema):
    slug: str
    name: str


class ThemeOut(Schema):
    code: str
    label: str


class LicenseOut(Schema):
    id: str
    name: str
    url: str


class DownloadLink(Schema):
    format: str
    label: str
    url: str


class OriginalOut(Schema):
    filename: str
    sha256: str
    size: int
    format: str
    media_type: str


class VersionOut(Schema):
    number: int
    note: str
    created_at: datetime
    created_by: str | None
    original: OriginalOut
    crs: str
    geometry_type: str
    fields: list[dict[str, str]]
    row_count: int | None
    bbox_4326: list[float] | None
    temporal: list[dict[str, str]]
    table_schema: dict[str, Any] | None
    details: dict[str, Any]
    warnings: list[str]
    change_summary: dict[str, Any] | None
    downloads: list[DownloadLink]


class DatasetListItem(Schema):
    id: int
    slug: str
    title: str
    kind: str
    visibility: str
    keywords: list[str]
    themes: list[str]
    geometry_type: str
    row_count: int | None
    version: int | None
    bbox: list[float] | None
    updated_at: datetime
    url: str
    api_url: str


class DatasetPage(Schema):
    items: list[DatasetListItem]
    count: int
    page: int
    pages: int


class CoverageOut(Schema):
    start: date | None
    end: date | None


class DatasetOut(Schema):
    id: int
    slug: str
    landscape: LandscapeRef
    title: str
    description: str
    keywords: list[str]
    themes: list[ThemeOut]
    license: LicenseOut
    attribution: str
    provenance: str
    language: str
    contact: str
    update_frequency: str
    kind: str
    visibility: str
    restricted: bool
    download_access: str
    temporal_coverage: CoverageOut
    bbox: list[float] | None
    current_version: VersionOut | None
    version_count: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]
    url: str


class DatasetUploadIn(Schema):
    """Metadata sent with an upload (multipart form fields); all optional, editable later."""

    title: str = Field("", max_length=200)
    description: str = Field("", max_length=10000)
    keywords: str = Field("", max_length=2000, description="Comma-separated")
    themes: str = Field("", max_length=200, description="Comma-separated ILM output codes, e.g. 2.1,5.2")
    license: str = Field("", max_length=40, description="SPDX identifier, e.g. CC-BY-4.0")
    attribution: str = Field("", max_length=300)
    provenance: str = Field("", max_length=5000)
    language: str = Field("", max_length=12)
    contact: str = Field("", max_length=200)
    update_frequency: str = Field("", max_length=12)


class VersionUploadIn(Schema):
    note: str = Field("", max_length=500, description="What changed in this version")


class DatasetPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    keywords: list[str] | None = None
    themes: list[str] | None = None
    license: str | None = Field(None, max_length=40)
    attribution: str | None = Field(None, max_length=300)
    provenance: str | None = Field(None, max_length=5000)
    language: str | None = Field(None, max_length=12)
    contact: str | None = Field(None, max_length=200)
    update_frequency: str | None = Field(None, max_length=12)


class SharingIn(Schema):
    visibility: str = Field(description="private, shared or public")
    restricted: bool | None = None
    download_access: str | None = Field(None, description="viewers or members")
    landscapes: list[str] | None = Field(None, description="Slugs of landscapes to share with")
    organisations: list[str] | None = Field(None, description="Slugs of organisations to share with")


class SharingOut(Schema):
    visibility: str
    restricted: bool
    download_access: str
    landscapes: list[LandscapeRef]
    organisations: list[LandscapeRef]


class PreviewOut(Schema):
    fields: list[dict[str, str]]
    rows: list[list[Any]]
    row_count: int | None


class JobRef(Schema):
    id: str
    status: str
    url: str


class JobAccepted(Schema):
    job: JobRef


class LinkIn(Schema):
    expires_on: date | None = Field(None, description="Last day the link works; none: until revoked")
    allow_download: bool = Field(False, description="Holders of the link may also download the files")


class LinkOut(Schema):
    id: int
    allow_download: bool
    expires_on: date | None
    created_at: datetime
    created_by: str | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class LinkCreated(LinkOut):
    url: str = Field(description="The link itself; shown this once, only its hash is stored")


class GrantIn(Schema):
    email: str = Field(max_length=254, description="The email address of the person's account")
    allow_download: bool = Field(False, description="The person may also download the files")


class PersonRef(Schema):
    name: str
    email: str


class GrantOut(Schema):
    id: int
    person: PersonRef
    allow_download: bool
    created_at: datetime
    created_by: str | None
