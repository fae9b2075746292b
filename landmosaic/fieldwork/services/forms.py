"""Writes for forms: XLSForm upload and versions, method text, media files, publishing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..files import content_type_for, delete_on_commit, hashes, removed_on_error, safe_filename
from ..models import Form, FormMedia, FormVersion
from ..xlsform import ConvertedForm, Issue, XLSFormInvalid, convert_xlsform

ITEMSETS = "itemsets.csv"


def issue_as_dict(issue: Issue) -> dict[str, Any]:
    """An XLSForm issue in the current language: {"level", "message", "sheet", "row"}."""
    message = _(issue.template) % issue.params
    if issue.sheet and issue.row:
        where = _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": issue.sheet, "row": issue.row}
    elif issue.sheet:
        where = _("Sheet “%(sheet)s”") % {"sheet": issue.sheet}
    else:
        where = ""
    return {"level": issue.level, "message": message, "sheet": issue.sheet, "row": issue.row, "where": where}


def _convert(*, data: bytes, filename: str) -> ConvertedForm:
    try:
        return convert_xlsform(
            data=data,
            filename=filename,
            default_version=timezone.now().strftime("%Y%m%d%H%M%S"),
            max_bytes=settings.FIELDWORK_XLSFORM_MAX_BYTES,
        )
    except XLSFormInvalid as exc:
        issues = [issue_as_dict(i) for i in exc.issues]
        first = issues[0]
        raise ValidationFailed(
            _("The XLSForm could not be converted; nothing was stored. %(where)s%(sep)s%(message)s")
            % {"where": first["where"], "sep": ": " if first["where"] else "", "message": first["message"]},
            code="xlsform_invalid",
            details={"issues": issues},
        ) from exc


def _store_media(*, form: Form, filename: str, content: Any, written: list[str]) -> FormMedia:
    sha256, md5, size = hashes(content)
    media = FormMedia.objects.filter(form=form, filename=filename).first()
    if media is not None and media.sha256 == sha256:
        return media
    if media is None:
        media = FormMedia(form=form, filename=filename)
    else:
        delete_on_commit(media.file.name)
    media.md5, media.sha256, media.size = md5, sha256, size
    media.content_type = content_type_for(filename)
    media.file.save(filename, content, save=False)
    written.append(media.file.name)
    media.save()
    return media


def form_upload(
    *, actor: User, landscape: Landscape, data: bytes, filename: str, form: Form | None = None
) -> tuple[Form, FormVersion, bool]:
    """Convert an XLSForm and store it as a new form or a new version of its form.

    Returns (form, version, created). The same file uploaded again returns the stored version;
    a known version string with different content is refused, so phones never hold two forms
    under one version.
    """
    if form is None:
        permissions.check(actor, "add_content", landscape)
    else:
        permissions.check(actor, "change", form)
    filename = safe_filename(filename) or "form.xlsx"
    converted = _convert(data=data, filename=filename)
    if form is not None and form.form_id != converted.form_id:
        raise ValidationFailed(
            _(
                "This file defines the form “%(new)s”, not “%(current)s”. Keep the form_id of the settings "
                "sheet to upload a new version, or upload it from the field data page as a new form."
            )
            % {"new": converted.form_id, "current": form.form_id},
            code="form_id_mismatch",
        )
    try:
        with removed_on_error() as written, transaction.atomic():
            return _store_version(
                actor=actor,
                landscape=landscape,
                converted=converted,
                data=data,
                filename=filename,
                written=written,
            )
    except IntegrityError as exc:  # a concurrent upload of the same form or version won the race
        raise Conflict(_("This form was changed at the same moment by someone else. Upload again.")) from exc


def _store_version(
    *,
    actor: User,
    landscape: Landscape,
    converted: ConvertedForm,
    data: bytes,
    filename: str,
    written: list[str],
) -> tuple[Form, FormVersion, bool]:
    form = Form.objects.select_for_update().filter(landscape=landscape, form_id=converted.form_id).first()
    if form is not None:
        permissions.check(actor, "change", form)
        same_file = form.versions.filter(xlsform_sha256=converted.xlsform_sha256).first()
        if same_file is not None:
            return form, same_file, False
        if form.versions.filter(version=converted.version).exists():
            raise Conflict(
                _(
                    "Version %(version)s of the form “%(form_id)s” already exists with different content. "
                    "Change the version in the settings sheet (for example to today's date) and upload again."
                )
                % {"version": converted.version, "form_id": converted.form_id},
                code="version_exists",
            )
    else:
        form = Form.objects.create(
            landscape=landscape, form_id=converted.form_id, title=converted.title[:200], created_by=actor
        )
    schema = converted.schema
    version = FormVersion(
        form=form,
        version=converted.version,
        title=converted.title[:200],
        xform=converted.xform,
        xform_md5=converted.xform_md5,
        xlsform_name=filename,
        xlsform_sha256=converted.xlsform_sha256,
        fields=[
            {"path": f.path, "type": f.type, "label": f.label, "in_repeat": f.in_repeat, "preload": f.preload}
            for f in schema.fields
        ],
        repeats=schema.repeats,
        media_references=schema.media,
        issues=[issue_as_dict(i) for i in converted.issues],
        created_by=actor,
    )
    version.xlsform.save("form.xlsx", ContentFile(data), save=False)
    written.append(version.xlsform.name)
    version.save()
    form.current_version = version
    form.title = converted.title[:200]
    form.save(update_fields=["current_version", "title", "updated_at"])
    if converted.itemsets_csv is not None:
        # External choices become the itemsets.csv that Collect reads from the manifest.
        _store_media(
            form=form,
            filename=ITEMSETS,
            content=ContentFile(converted.itemsets_csv.encode("utf-8")),
            written=written,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="form_version",
        object_id=version.pk,
        landscape_id=landscape.pk,
        summary=f"Form “{form.form_id}” version {version.version} uploaded",
        data={"form": form.pk, "xlsform_sha256": converted.xlsform_sha256},
    )
    return form, version, True


@transaction.atomic
def form_update(*, actor: User, form: Form, method: str | None = None, title: str | None = None) -> Form:
    """Edit the title shown in the platform and the method/protocol text that travels with records."""
    permissions.check(actor, "change", form)
    changed = []
    if method is not None:
        form.method = method.strip()[:10000]
        changed.append("method")
    if title is not None:
        if not title.strip():
            raise ValidationFailed(
                _("Give the form a title."), details={"title": [_("This field is required.")]}
            )
        form.title = title.strip()[:200]
        changed.append("title")
    form.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="form",
        object_id=form.pk,
        landscape_id=form.landscape_id,
        summary=f"Form “{form.form_id}” updated",
        data={"fields": changed},
    )
    return form


def form_missing_media(*, form: Form) -> list[str]:
    """Media files the current version refers to that have not been attached yet."""
    if form.current_version is None:
        return []
    present = set(form.media.values_list("filename", flat=True))
    return [name for name in form.current_version.media_references if name not in present]


@transaction.atomic
def form_publish(*, actor: User, form: Form) -> Form:
    """Make the form visible to collectors and open to submissions."""
    permissions.check(actor, "change", form)
    if form.current_version is None:
        raise ValidationFailed(_("Upload an XLSForm before publishing."))
    missing = form_missing_media(form=form)
    if missing:
        raise ValidationFailed(
            _("Attach the media files the form refers to before publishing: %(files)s.")
            % {"files": ", ".join(missing)},
            code="media_missing",
        )
    form.status = Form.Status.PUBLISHED
    form.published_at = timezone.now()
    form.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="form",
        object_id=form.pk,
        landscape_id=form.landscape_id,
        summary=f"Form “{form.form_id}” published",
    )
    return form


@transaction.atomic
def form_unpublish(*, actor: User, form: Form) -> Form:
    """Close the form: phones no longer list it and its submissions are refused."""
    permissions.check(actor, "change", form)
    if form.status != Form.Status.PUBLISHED:
        return form
    form.status = Form.Status.CLOSED
    form.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="form",
        object_id=form.pk,
        landscape_id=form.landscape_id,
        summary=f"Form “{form.form_id}” closed",
    )
    return form


def form_media_add(*, actor: User, form: Form, uploaded: Any, filename: str) -> FormMedia:
    """Attach (or replace) a media file; phones download it through the manifest."""
    permissions.check(actor, "change", form)
    name = safe_filename(filename)
    if not name:
        raise ValidationFailed(_("The file needs a name, for example tree.jpg or species.csv."))
    size = getattr(uploaded, "size", None)
    if size is None:
        size = hashes(uploaded)[2]
    if size > settings.FIELDWORK_MEDIA_MAX_BYTES:
        raise ValidationFailed(
            _("%(file)s is %(size)s MB; a media file may be at most %(limit)s MB.")
            % {
                "file": name,
                "size": round(size / 1e6, 1),
                "limit": round(settings.FIELDWORK_MEDIA_MAX_BYTES / 1e6, 1),
            },
            code="media_too_large",
        )
    with removed_on_error() as written, transaction.atomic():
        media = _store_media(form=form, filename=name, content=uploaded, written=written)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type="form",
            object_id=form.pk,
            landscape_id=form.landscape_id,
            summary=f"Media file {name} attached to form “{form.form_id}”",
            data={"sha256": media.sha256},
        )
    return media


@transaction.atomic
def form_media_delete(*, actor: User, media: FormMedia) -> None:
    permissions.check(actor, "change", media.form)
    delete_on_commit(media.file.name)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="form",
        object_id=media.form_id,
        landscape_id=media.form.landscape_id,
        summary=f"Media file {media.filename} removed from form “{media.form.form_id}”",
    )
    media.delete()
