"""Writes for submissions: receiving OpenRosa instances (idempotent, merged, versioned) and review."""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import prepared
from shapely.geometry import Point, shape

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..files import content_type_for, hashes, removed_on_error, safe_filename
from ..models import Attachment, Form, FormVersion, Submission, attachment_path
from ..selectors import Collector, collector_form_any, landscape_boundary
from ..xforms import (
    Field,
    Node,
    SubmissionDocument,
    XFormSchema,
    XMLRefused,
    check_instance,
    parse_geopoint,
    read_shape,
    read_submission,
    read_xform,
    referenced_files,
    values_of,
)
from .commons import form_dataset_schedule


@dataclass(frozen=True)
class Received:
    submission: Submission
    created: bool
    attachments_added: int
    missing_attachments: list[str]


def _refused(exc: XMLRefused) -> ValidationFailed:
    return ValidationFailed(_(exc.template) % exc.params, code=exc.error_code)


def _when(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


#: Prepared boundaries by (landscape id, last change): a point-in-polygon test must not re-read megabytes.
_BOUNDARIES: dict[tuple[int, Any], Any] = {}


def _outside(landscape: Landscape, lon: float, lat: float) -> bool:
    """True when a point falls outside the landscape's boundary (records are kept, and flagged)."""
    if landscape.boundary_kind != Landscape.BoundaryKind.POLYGON:
        return False
    west, south, east, north = (
        landscape.bbox_west,
        landscape.bbox_south,
        landscape.bbox_east,
        landscape.bbox_north,
    )
    if None not in (west, south, east, north) and not (west <= lon <= east and south <= lat <= north):
        return True
    key = (landscape.pk, landscape.updated_at)
    geometry = _BOUNDARIES.get(key)
    if geometry is None:
        boundary = landscape_boundary(landscape_id=landscape.pk)
        if not boundary:
            return False
        if len(_BOUNDARIES) > 64:
            _BOUNDARIES.clear()
        geometry = _BOUNDARIES[key] = prepared.prep(shape(boundary))
    return not geometry.covers(Point(lon, lat))


#: What a record needs of its form version; the XForm text and JSON columns are in _prepared.
VERSION_COLUMNS = ("id", "version", "title", "xform_md5", "form")


def _check_form(collector: Collector, document: SubmissionDocument) -> FormVersion:
    """The form version the submission was made with; 404 unknown form, 403 closed, 400 unknown version."""
    # The XForm and its field list are read once per version and kept (_prepared): a record only
    # needs the version's identity here. Unique keys, so no ORDER BY (first() would add one).
    version = next(
        iter(
            FormVersion.objects.select_related("form")
            .only(*VERSION_COLUMNS)
            .filter(
                form__landscape=collector.landscape, form__form_id=document.form_id, version=document.version
            )[:1]
        ),
        None,
    )
    form = (
        version.form
        if version is not None
        else collector_form_any(collector=collector, form_id=document.form_id)
    )
    if form is None or form.status == Form.Status.DRAFT:
        raise NotFound(
            _("This landscape has no form “%(form_id)s”. Download the forms again from the server.")
            % {"form_id": document.form_id[:100]},
            code="unknown_form",
        )
    form.landscape = collector.landscape
    if collector.user is not None:
        permissions.check(collector.user, "collect", form)
    if form.status != Form.Status.PUBLISHED:
        raise Forbidden(
            _("The form “%(title)s” is closed and no longer accepts records. Ask the landscape's editors.")
            % {"title": form.title},
            code="form_closed",
        )
    if version is None:
        raise ValidationFailed(
            _(
                "This record was filled in with version “%(version)s” of the form “%(title)s”, "
                "which this server does not know. Download the form again."
            )
            % {"version": document.version[:100], "title": form.title},
            code="unknown_version",
        )
    expected = _prepared(version).root
    if document.root_name != expected:
        raise ValidationFailed(
            _(
                "This record does not match the form “%(title)s”: its data is in <%(found)s>, the form's in "
                "<%(expected)s>. Download the form again and fill it in anew."
            )
            % {"title": form.title, "found": document.root_name[:100], "expected": expected},
            code="form_mismatch",
        )
    return version


@dataclass(frozen=True)
class _Prepared:
    root: str
    schema: XFormSchema
    shape: Node


#: Each version's instance root and schema by (version id, XForm hash): read and parsed once per
#: process, not per record (versions are never edited in place: a new XForm is a new version).
_PREPARED: dict[tuple[int, str], _Prepared] = {}


def _prepared(version: FormVersion) -> _Prepared:
    key = (version.pk, version.xform_md5)
    prepared = _PREPARED.get(key)
    if prepared is None:
        xform, fields, repeats = FormVersion.objects.filter(pk=version.pk).values_list(
            "xform", "fields", "repeats"
        )[0]
        schema = XFormSchema(
            form_id=version.form.form_id,
            version=version.version,
            title=version.title,
            root="",
            fields=[Field(**f) for f in fields],
            repeats=list(repeats),
        )
        if len(_PREPARED) > 512:
            _PREPARED.clear()
        prepared = _PREPARED[key] = _Prepared(read_xform(xform).root, schema, read_shape(xform))
    return prepared


@dataclass
class _File:
    name: str
    uploaded: Any
    sha256: str
    size: int


def _incoming(files: Mapping[str, Any], allowed: set[str]) -> list[_File]:
    """The uploaded files the XML refers to (others are dropped, as ODK Central does), hashed."""
    incoming = {}
    for raw_name, uploaded in files.items():
        name = safe_filename(raw_name)
        if name and name in allowed and name not in incoming:
            sha256, _md5, size = hashes(uploaded, md5=False)
            incoming[name] = _File(name, uploaded, sha256, size)
    return list(incoming.values())


def _new_files(incoming: list[_File], present: dict[str, str]) -> list[_File]:
    """Files not received yet; the same name with other bytes is a conflict."""
    new = []
    for item in incoming:
        if item.name in present:
            if present[item.name] != item.sha256:
                raise Conflict(
                    _("A different file named %(name)s was already received for this record.")
                    % {"name": item.name},
                    code="attachment_conflict",
                )
            continue
        new.append(item)
    return new


def _write(files: list[_File], written: list[str]) -> list[Attachment]:
    """Write files to storage before the database transaction, so the write lock is held briefly."""
    attachments = []
    for item in files:
        attachment = Attachment(
            name=item.name, sha256=item.sha256, size=item.size, content_type=content_type_for(item.name)
        )
        attachment.file.name = default_storage.save(attachment_path(attachment, item.name), item.uploaded)
        written.append(attachment.file.name)
        attachments.append(attachment)
    return attachments


def submission_receive(*, collector: Collector, xml: bytes, files: Mapping[str, Any]) -> Received:
    """Store an OpenRosa submission, or merge it with the one already received under its instanceID.

    The same instanceID with the same XML adds the attachments not received yet (a retry, or a
    large submission split over several requests); with a different XML it is refused (409).
    A ``deprecatedID`` makes the submission the next version of that record.
    """
    try:
        document = read_submission(xml)
    except XMLRefused as exc:
        raise _refused(exc) from exc
    form_version = _check_form(collector, document)
    try:  # before anything is written: a record that does not fit its form leaves no trace
        check_instance(document.root, _prepared(form_version).shape)
    except XMLRefused as exc:
        raise _refused(exc) from exc
    incoming = _incoming(files, referenced_files(document.root))
    xml_sha256 = hashlib.sha256(xml).hexdigest()
    for attempt in range(ATTEMPTS):
        try:
            with removed_on_error() as written:
                return _receive(
                    collector=collector,
                    form_version=form_version,
                    document=document,
                    xml=xml,
                    xml_sha256=xml_sha256,
                    incoming=incoming,
                    written=written,
                )
        except IntegrityError:
            # The same instance (or file) arrived twice at the same moment: the later one merges.
            continue
        except OperationalError as exc:
            if not is_transient(exc):
                raise
            # Another request holds the write lock (SQLite) or a deadlock was broken (PostgreSQL):
            # nothing was stored, so wait a moment and try again rather than fail the phone's upload.
            time.sleep(0.05 * 2**attempt)
    raise Conflict(_("This record is being received at the same moment. Send it again."))


#: Tries of one submission against concurrent writers; the waits between them add up to about 1.5 s.
ATTEMPTS = 6
TRANSIENT = ("locked", "deadlock detected", "could not serialize")


def is_transient(exc: OperationalError) -> bool:
    """A lock or serialisation failure that a second try may get past, unlike a broken database."""
    text = str(exc).lower()
    return any(marker in text for marker in TRANSIENT)


def _receive(
    *,
    collector: Collector,
    form_version: FormVersion,
    document: SubmissionDocument,
    xml: bytes,
    xml_sha256: str,
    incoming: list[_File],
    written: list[str],
) -> Received:
    form = form_version.form
    existing = next(iter(Submission.objects.filter(form=form, instance_id=document.instance_id)[:1]), None)
    if existing is not None:
        if existing.xml_sha256 != xml_sha256:
            raise Conflict(
                _(
                    "A different record with the instance ID %(id)s was already received. "
                    "Edit the record on the phone to send a new version of it."
                )
                % {"id": document.instance_id},
                code="instance_conflict",
            )
        present = dict(existing.attachments.values_list("name", "sha256"))
        attachments = _write(_new_files(incoming, present), written)
        if attachments:  # a plain retry writes nothing, so it takes no write lock (SQLite: one writer)
            with transaction.atomic():
                for attachment in attachments:
                    attachment.submission = existing
                Attachment.objects.bulk_create(attachments)
                form_dataset_schedule(form=form)  # the record's photo addresses change in the commons
        names = set(present) | {a.name for a in attachments}
        return Received(existing, False, len(attachments), _missing(existing, names))

    submission = _build(collector=collector, form_version=form_version, document=document, xml=xml)
    submission.xml_sha256 = xml_sha256
    attachments = _write(_new_files(incoming, {}), written)
    with transaction.atomic():
        if document.deprecated_id:
            previous = Submission.objects.filter(form=form, instance_id=document.deprecated_id).first()
            if previous is not None and not previous.is_current:
                raise Conflict(
                    _(
                        "The record %(id)s was already edited; this edit is based on an older version. "
                        "Download the record again before editing it."
                    )
                    % {"id": document.deprecated_id},
                    code="edit_conflict",
                )
            if previous is not None:
                submission.previous, submission.record_id = previous, previous.record_id
                Submission.objects.filter(pk=previous.pk).update(is_current=False)
        submission.save()
        for attachment in attachments:
            attachment.submission = submission
        Attachment.objects.bulk_create(attachments)
        form_dataset_schedule(form=form)
    return Received(submission, True, len(attachments), _missing(submission, {a.name for a in attachments}))


def _missing(submission: Submission, present: set[str]) -> list[str]:
    return [name for name in submission.expected_attachments if name not in present]


def _build(
    *, collector: Collector, form_version: FormVersion, document: SubmissionDocument, xml: bytes
) -> Submission:
    """A new submission with its answers, place and metadata read from the XML (not saved)."""
    schema = _prepared(form_version).schema
    values = values_of(document.root, schema)
    meta = schema.meta_paths()
    point = next(
        (p for p in (parse_geopoint(values.get(path)) for path in schema.geopoint_paths()) if p is not None),
        None,
    )
    binary_names = {values.get(path) for path in schema.binary_paths()} - {None, ""}
    if values.get("meta/audit"):
        binary_names.add(values["meta/audit"])
    return Submission(
        form=form_version.form,
        form_version=form_version,
        instance_id=document.instance_id,
        record_id=document.instance_id,
        deprecated_id=document.deprecated_id,
        xml=xml.decode("utf-8", "replace"),
        data=values,
        lon=point[0] if point else None,
        lat=point[1] if point else None,
        outside_landscape=_outside(collector.landscape, *point) if point else False,
        collector=collector.access,
        submitted_by=collector.user,
        collector_name=collector.name[:150],
        device_id=(values.get(meta.get("deviceid", "")) or "")[:200],
        username=(values.get(meta.get("username", "")) or "")[:200],
        started_at=_when(values.get(meta.get("start", ""))),
        ended_at=_when(values.get(meta.get("end", ""))),
        expected_attachments=sorted({safe_filename(n) for n in binary_names} - {""}),
    )


@transaction.atomic
def submission_review(*, actor: User, submission: Submission, status: str, comment: str = "") -> Submission:
    """Approve or reject a record with a comment; only the current version of a record is reviewed."""
    permissions.check(actor, "review", submission)
    if status not in (Submission.Review.APPROVED, Submission.Review.REJECTED, Submission.Review.PENDING):
        raise ValidationFailed(
            _("Choose approved, rejected or waiting for review."), details={"status": [_("Invalid choice.")]}
        )
    if not submission.is_current:
        raise Conflict(_("This version of the record was replaced by an edit: review the latest version."))
    comment = (comment or "").strip()
    if status == Submission.Review.REJECTED and not comment:
        raise ValidationFailed(
            _("Say why the record is rejected, so the collector can learn from it."),
            details={"comment": [_("This field is required.")]},
        )
    submission.review_status = status
    submission.review_comment = comment[:2000]
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(
        update_fields=["review_status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="submission",
        object_id=submission.pk,
        landscape_id=submission.form.landscape_id,
        summary=f"Record {submission.instance_id} marked {status}",
        data={"comment": comment[:200]},
    )
    form_dataset_schedule(form=submission.form, actor=actor)
    return submission
