from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class IssueOut(Schema):
    level: str
    message: str
    sheet: str
    row: int | None
    where: str


class FormVersionOut(Schema):
    id: int
    version: str
    title: str
    xform_md5: str
    xlsform_sha256: str
    media_references: list[str]
    issues: list[IssueOut]
    created_at: datetime


class MediaOut(Schema):
    filename: str
    md5: str
    size: int


class FormOut(Schema):
    id: int
    form_id: str
    title: str
    method: str
    status: str
    current_version: FormVersionOut | None
    media: list[MediaOut]
    missing_media: list[str]
    record_count: int
    allowed_actions: list[str]
    url: str


class DatasetLinkOut(Schema):
    """A dataset of the data commons that holds the form's records (or the entries of one repeat)."""

    id: int
    title: str
    #: The dataset's page (it checks the reader's permission).
    url: str


class RepeatDatasetOut(DatasetLinkOut):
    #: The repeat group's path in the XForm ("trees", "trees/branches").
    path: str
    #: Its last part ("branches"), the name in the XLSForm.
    name: str
    #: Its label in the newest version of the form that has it (the path when it has none).
    label: str
    dataset_id: int


class FormDatasetsOut(Schema):
    #: The records' dataset; null before the first record, or when the caller may not see it.
    records: DatasetLinkOut | None
    #: One child dataset per repeat group, by title; those the caller may not see are left out.
    repeats: list[RepeatDatasetOut]


class FormDetailOut(FormOut):
    datasets: FormDatasetsOut


class FormUploadOut(Schema):
    created: bool
    form: FormOut


class FormPatch(Schema):
    title: str | None = Field(None, max_length=200)
    method: str | None = Field(None, max_length=10000)


class RecordOut(Schema):
    id: int
    instance_id: str
    record_id: str
    form_version: str
    received_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    collector: str
    device_id: str
    username: str
    location: list[float] | None
    outside_landscape: bool
    review_status: str
    review_comment: str
    is_current: bool
    data: dict[str, Any]
    attachments: list[str]


class RecordPage(Schema):
    items: list[RecordOut]
    count: int
    page: int
    pages: int


class ReviewIn(Schema):
    status: str = Field(pattern="^(approved|rejected|pending)$")
    comment: str = Field("", max_length=2000)


class CollectorIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class CollectorOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class CollectorCreated(CollectorOut):
    server_url: str
    collect_settings: str
