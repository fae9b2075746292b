"""Records as a table: one row per record, a column per question plus the metadata of collection.

``records_as_table(form)`` is the seam towards the data commons: ``services.commons`` publishes
exactly this schema and these rows as the form's dataset (``datasets.dataset_publish_rows``).
Photos and other files are reachable from the record through a column per file question holding
the address of the attachment (a members-only, permission-checked page of field data).
The same rows feed the CSV export, where cells are neutralised against spreadsheet formula injection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.urls import reverse

from landmosaic.core.spreadsheet import neutralise

from .models import Attachment, Form, Submission
from .xforms import innermost_repeat, parse_geopoint, repeat_labels

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
    #: For a repeat group: its rows as JSON text in the record's table (and a child table of their own).
    repeat: bool = False
    #: A geopoint question ("lat lon alt accuracy" text): the first one of a repeat places its rows.
    geopoint: bool = False


@dataclass
class Table:
    columns: list[Column]
    rows: Iterable[dict[str, Any]]
    #: Which columns hold the point geometry (longitude, latitude in EPSG:4326); None for a plain table.
    geometry: tuple[str, str] | None = ("_lon", "_lat")


def _versions(form: Form) -> list[Any]:
    return list(form.versions.only("fields", "repeats", "created_at").order_by("-created_at", "-pk"))


def _scope_columns(form: Form, scope: str) -> list[Column]:
    """Columns of one scope (the record, or the rows of one repeat) over every version, current first:
    its questions, then the repeats directly inside it as JSON columns."""
    prefix = f"{scope}/" if scope else ""
    seen: dict[str, Column] = {}
    repeats: dict[str, Column] = {}
    for version in _versions(form):
        for f in version.fields:
            path = f["path"]
            relative = path.removeprefix(prefix)
            if path in version.repeats or innermost_repeat(path, version.repeats) != scope:
                continue
            if f.get("preload") or path.startswith("meta/") or relative in seen:
                continue
            seen[relative] = Column(
                name=relative,
                type=TYPES.get(f.get("type", "string"), "string"),
                label=f.get("label", ""),
                url_column=f"_{relative}_url" if f.get("type") in FILE_TYPES else "",
                geopoint=f.get("type") == "geopoint",
            )
        for repeat in version.repeats:
            relative = repeat.removeprefix(prefix)
            if innermost_repeat(repeat, version.repeats) == scope and relative not in repeats:
                repeats[relative] = Column(name=relative, type="string", repeat=True)
    return list(seen.values()) + [c for name, c in repeats.items() if name not in seen]


def question_columns(form: Form) -> list[Column]:
    """Questions of every version (the current version's order first), metadata preloads excluded;
    each repeat group outside other repeats is one more column holding its rows as JSON."""
    return _scope_columns(form, "")


def repeat_paths(form: Form) -> list[str]:
    """Every repeat group over every version (the current version's first) in form order, outer ones
    before the repeats inside them: each gives a child table."""
    found: dict[str, None] = {}
    for version in _versions(form):
        found.update(dict.fromkeys(version.repeats))
    return list(found)


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
    _answers(row, record.data, questions, files)
    return row


def _answers(
    row: dict[str, Any], data: dict[str, Any], columns: list[Column], files: dict[str, str] | None
) -> None:
    for column in columns:
        value = data.get(column.name)
        if column.repeat:
            row[column.name] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else None
            continue
        row[column.name] = value if not isinstance(value, list) else None
        if column.url_column:
            row[column.url_column] = (files or {}).get(value) if isinstance(value, str) else None


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


#: Columns that tie a repeat's row to its record and, for a repeat inside a repeat, to the entry it
#: belongs to. Keys follow ODK Central's: ``uuid:…/trees[2]`` is the second tree of that record and
#: ``uuid:…/trees[2]/branches[1]`` its first branch; a row's ``_parent_key`` is the ``_key`` of the
#: entry around it, or its record's ``_instance_id`` for an outer repeat.
REPEAT_META_COLUMNS: list[tuple[str, str]] = [
    ("_parent_instance_id", "string"),
    ("_record_id", "string"),
    ("_index", "integer"),
    ("_key", "string"),
    ("_parent_key", "string"),
]


def repeat_columns(form: Form, repeat: str) -> list[Column]:
    """The child table of a repeat group: the record's instance ID, the row's place, its answers."""
    questions = _scope_columns(form, repeat)
    files = [Column(q.url_column, "string", q.label) for q in questions if q.url_column]
    return [Column(name, kind) for name, kind in REPEAT_META_COLUMNS] + questions + files


def _chain(form: Form, repeat: str) -> list[str]:
    """The keys that lead from a record's answers to the entries of ``repeat``: the relative path of
    each repeat around it, outermost first, then its own ("trees", "branches")."""
    around = [r for r in repeat_paths(form) if repeat.startswith(f"{r}/")]
    chain, scope = [], ""
    for path in [*sorted(around, key=len), repeat]:
        chain.append(path.removeprefix(f"{scope}/") if scope else path)
        scope = path
    return chain


def _entries(
    data: dict[str, Any], chain: list[str], key: str
) -> Iterator[tuple[dict[str, Any], str, str, int]]:
    """(answers, key, parent key, place) of each entry at the end of ``chain`` within ``data``."""
    name, rest = chain[0], chain[1:]
    values = data.get(name)
    for index, entry in enumerate(values if isinstance(values, list) else [], start=1):
        entry = entry if isinstance(entry, dict) else {}
        entry_key = f"{key}/{name}[{index}]"
        if rest:
            yield from _entries(entry, rest, entry_key)
        else:
            yield entry, entry_key, key, index


def repeat_rows(form: Form, repeat: str, records: Iterable[Submission]) -> Iterator[dict[str, Any]]:
    """One row per entry of the repeat in each record, linked by the record's instance ID (and for a
    repeat inside a repeat, by the key of the entry around it)."""
    questions = _scope_columns(form, repeat)
    chain = _chain(form, repeat)
    with_files = any(q.url_column for q in questions)
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        files = _files(form, chunk) if with_files else {}
        for record in chunk:
            for data, key, parent_key, index in _entries(record.data, chain, record.instance_id):
                row: dict[str, Any] = {
                    "_parent_instance_id": record.instance_id,
                    "_record_id": record.record_id,
                    "_index": index,
                    "_key": key,
                    "_parent_key": parent_key,
                }
                _answers(row, data, questions, files.get(record.pk))
                yield row


#: What the rows never read: the XML as received, and the version's schema (decoding its JSON for
#: every record took most of a refresh's reading time).
UNREAD = (
    "xml",
    "form_version__xform",
    "form_version__fields",
    "form_version__repeats",
    "form_version__media_references",
    "form_version__issues",
)


def _current_records(form: Form, approved_only: bool) -> Iterator[Submission]:
    qs = (
        form.submissions.filter(is_current=True)
        .select_related("form_version")
        .defer(*UNREAD)
        .order_by("received_at", "pk")
    )
    if approved_only:
        qs = qs.filter(review_status=Submission.Review.APPROVED)
    return qs.iterator(chunk_size=500)


def records_as_table(form: Form, *, approved_only: bool = False) -> Table:
    """The current version of every record of ``form`` as a table (system use: no permission check)."""
    return Table(columns=table_columns(form), rows=table_rows(form, _current_records(form, approved_only)))


#: The point of a repeat's row, from its first geopoint question (the record's own place is elsewhere).
POINT_COLUMNS: list[tuple[str, str]] = [("_lon", "number"), ("_lat", "number")]


def _placed(rows: Iterable[dict[str, Any]], geopoint: str) -> Iterator[dict[str, Any]]:
    for row in rows:
        lon_lat = parse_geopoint(row.get(geopoint) if isinstance(row.get(geopoint), str) else None)
        row["_lon"], row["_lat"] = lon_lat if lon_lat else (None, None)
        yield row


def repeat_as_table(form: Form, repeat: str) -> Table:
    """The child table of a repeat group over the current records (system use: no permission check):
    one row per entry with its record's keys, a point layer when the repeat asks for a geopoint."""
    columns = repeat_columns(form, repeat)
    # Only what the entries' rows read: no version, no metadata of collection.
    records = (
        form.submissions.filter(is_current=True)
        .defer("xml")
        .order_by("received_at", "pk")
        .iterator(chunk_size=CHUNK)
    )
    rows = repeat_rows(form, repeat, records)
    geopoint = next((c.name for c in _scope_columns(form, repeat) if c.geopoint), None)
    if geopoint is None:
        return Table(columns=columns, rows=rows, geometry=None)
    columns += [Column(name, kind) for name, kind in POINT_COLUMNS]
    return Table(columns=columns, rows=_placed(rows, geopoint))


def repeat_label(form: Form, repeat: str) -> str:
    """The repeat group's label in the newest version that has it; its path when it has none."""
    for version in form.versions.only("xform", "repeats").order_by("-created_at", "-pk"):
        if repeat in version.repeats:
            return repeat_labels(version.xform).get(repeat) or repeat
    return repeat


def csv_safe(value: Any) -> str:
    """A cell that spreadsheets show as text: formulas are prefixed with a quote, plain numbers are kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
