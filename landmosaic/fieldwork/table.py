"""Records as a table: one row per record, a column per question plus the metadata of collection.

``records_as_table(form)`` is the seam towards the data commons: ``services.commons`` publishes
exactly this schema and these rows as the form's dataset (``datasets.dataset_publish_rows``).
Photos and other files are reachable from the record through a column per file question holding
the address of the attachment (a members-only, permission-checked page of field data).
The same rows feed the CSV export, where cells are neutralised against spreadsheet formula injection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.urls import reverse

from landmosaic.core.spreadsheet import neutralise

from .models import Attachment, Form, Submission

#: XForm bind types -> table column types (Frictionless Table Schema names).
TYPES = {
    "string": "string",
    "int": "integer",
    "integer": "integer",
    "decimal": "number",
    "date": "date",
    "dateTime": "datetime",
    "time": "time",
    "boolean": "boolean",
    "geopoint": "string",
    "geotrace": "string",
    "geoshape": "string",
    "binary": "string",
    "select": "string",
    "select1": "string",
    "barcode": "string",
}

#: Metadata columns, prefixed with "_" so that no question name can collide with them.
META_COLUMNS: list[tuple[str, str]] = [
    ("_instance_id", "string"),
    ("_record_id", "string"),
    ("_submitted_at", "datetime"),
    ("_collector", "string"),
    ("_device_id", "string"),
    ("_username", "string"),
    ("_start", "datetime"),
    ("_end", "datetime"),
    ("_form_version", "string"),
    ("_method", "string"),
    ("_review_status", "string"),
    ("_review_comment", "string"),
    ("_lon", "number"),
    ("_lat", "number"),
    ("_outside_landscape", "boolean"),
]


#: XForm bind types whose answer is the name of a file sent with the record.
FILE_TYPES = frozenset({"binary"})
CHUNK = 500


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label: str = ""
    #: For a file question: the column that holds the address of the attachment.
    url_column: str = ""


@dataclass
class Table:
    columns: list[Column]
    rows: Iterable[dict[str, Any]]
    #: Which columns hold the point geometry (longitude, latitude in EPSG:4326).
    geometry: tuple[str, str] = ("_lon", "_lat")


def question_columns(form: Form) -> list[Column]:
    """Questions of every version (the current version's order first), metadata preloads excluded."""
    seen: dict[str, Column] = {}
    versions = list(form.versions.only("fields", "created_at").order_by("-created_at", "-pk"))
    for version in versions:
        for f in version.fields:
            path = f["path"]
            if f.get("in_repeat") or f.get("preload") or path.startswith("meta/") or path in seen:
                continue
            seen[path] = Column(
                name=path,
                type=TYPES.get(f.get("type", "string"), "string"),
                label=f.get("label", ""),
                url_column=f"_{path}_url" if f.get("type") in FILE_TYPES else "",
            )
    return list(seen.values())


def table_columns(form: Form) -> list[Column]:
    questions = question_columns(form)
    files = [Column(q.url_column, "string", q.label) for q in questions if q.url_column]
    return [Column(name, kind) for name, kind in META_COLUMNS] + questions + files


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def attachment_url(form: Form, record_pk: int, attachment_pk: int) -> str:
    """The full address of an attachment's page (it checks the reader's permission)."""
    path = reverse(
        "fieldwork:attachment",
        kwargs={
            "slug": form.landscape.slug,
            "form_pk": form.pk,
            "record_pk": record_pk,
            "attachment_pk": attachment_pk,
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def record_row(
    record: Submission, questions: list[Column], method: str, files: dict[str, str] | None = None
) -> dict[str, Any]:
    """One record as a row; ``files`` maps attachment names to their addresses."""
    row: dict[str, Any] = {
        "_instance_id": record.instance_id,
        "_record_id": record.record_id,
        "_submitted_at": _iso(record.received_at),
        "_collector": record.collector_name,
        "_device_id": record.device_id,
        "_username": record.username,
        "_start": _iso(record.started_at),
        "_end": _iso(record.ended_at),
        "_form_version": record.form_version.version,
        "_method": method,
        "_review_status": record.review_status,
        "_review_comment": record.review_comment,
        "_lon": record.lon,
        "_lat": record.lat,
        "_outside_landscape": record.outside_landscape,
    }
    for column in questions:
        value = record.data.get(column.name)
        row[column.name] = value if not isinstance(value, list) else len(value)
        if column.url_column:
            row[column.url_column] = (files or {}).get(value) if isinstance(value, str) else None
    return row


def _files(form: Form, records: list[Submission]) -> dict[int, dict[str, str]]:
    """{record id: {attachment name: address}} for a chunk of records, in one query."""
    found: dict[int, dict[str, str]] = {}
    rows = Attachment.objects.filter(submission__in=[r.pk for r in records]).values_list(
        "submission_id", "name", "pk"
    )
    for record_pk, name, pk in rows:
        found.setdefault(record_pk, {})[name] = attachment_url(form, record_pk, pk)
    return found


def table_rows(form: Form, records: Iterable[Submission]) -> Iterator[dict[str, Any]]:
    questions = question_columns(form)
    with_files = any(q.url_column for q in questions)
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        files = _files(form, chunk) if with_files else {}
        for record in chunk:
            yield record_row(record, questions, form.method, files.get(record.pk))


def records_as_table(form: Form, *, approved_only: bool = False) -> Table:
    """The current version of every record of ``form`` as a table (system use: no permission check)."""
    qs = form.submissions.filter(is_current=True).select_related("form_version").order_by("received_at", "pk")
    if approved_only:
        qs = qs.filter(review_status=Submission.Review.APPROVED)
    return Table(columns=table_columns(form), rows=table_rows(form, qs.iterator(chunk_size=500)))


def csv_safe(value: Any) -> str:
    """A cell that spreadsheets show as text: formulas are prefixed with a quote, plain numbers are kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
