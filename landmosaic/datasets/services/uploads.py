"""Uploads: a file becomes datasets (or a new version) through the ``datasets.ingest`` job.

The upload is stored byte for byte with its sha256 before the job starts; the job reads it,
writes the normalised copies and creates the rows in one transaction. If anything fails, the
stored files of that upload are deleted and no row remains: nothing is half-stored.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, NotFound, ValidationFailed
from landmosaic.core.geo.limits import megabytes
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.landscapes.models import Landscape

from .. import storage
from ..ingest import IngestError, IngestLimits, IngestResult, Part, ingest_file, sniff_head
from ..ingest.messages import FAMILY_LABELS, KIND_LABELS
from ..ingest.sniff import SNIFF_BYTES, display_name
from ..metadata import clean_metadata
from ..models import Dataset, UploadKey
from .creation import dataset_new
from .versions import Original, version_write

INGEST_JOB = "datasets.ingest"
Progress = Callable[[int, str], None]


def ingest_limits() -> IngestLimits:
    return IngestLimits(
        max_bytes=settings.DATASET_MAX_UPLOAD_BYTES,
        max_uncompressed_bytes=settings.DATASET_MAX_UNCOMPRESSED_BYTES,
        # Width × height of one raster; an operator may raise it (statistics and the COG take longer).
        max_raster_pixels=settings.DATASET_RASTER_MAX_PIXELS,
        # Rows read, checked and written at a time (bounds the ingest's memory); tests make it small.
        batch_rows=getattr(settings, "DATASET_INGEST_BATCH_ROWS", IngestLimits.batch_rows),
    )


def refusal(exc: IngestError) -> ValidationFailed:
    """An ingest refusal as a domain error, in the current language."""
    return ValidationFailed(exc.render(_), code=exc.code, details=_json_safe(exc.params))


def _json_safe(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, int | float | str | list) else str(v) for k, v in params.items()}


def check_upload(upload: Any) -> None:
    """Refuse at once what needs no job: an empty file, one over the size limit, an unknown format."""
    name = display_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    try:
        if not size:
            raise IngestError("empty_file", filename=name)
        if size > settings.DATASET_MAX_UPLOAD_BYTES:
            raise IngestError(
                "file_too_large",
                filename=name,
                size_mb=megabytes(size),
                limit_mb=megabytes(settings.DATASET_MAX_UPLOAD_BYTES),
            )
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        sniff_head(head=head, filename=name)
    except IngestError as exc:
        raise refusal(exc) from exc


def _start(
    *, actor: Any, upload: Any, landscape_id: int, params: dict[str, Any], key: str = "", sha256: str = ""
) -> Job:
    check_upload(upload)
    prefix = storage.new_prefix()
    stored = storage.save_upload(upload, prefix=prefix)
    try:
        with transaction.atomic():
            job = job_start(
                kind=INGEST_JOB,
                actor=actor,
                landscape_id=landscape_id,
                params={
                    **params,
                    "prefix": prefix,
                    "original": {
                        "path": stored.path,
                        "filename": stored.filename,
                        "sha256": stored.sha256,
                        "size": stored.size,
                    },
                },
            )
            if key:
                # Same transaction as the job: a key never points to nothing, nor a job lacks its key.
                UploadKey.objects.create(
                    user=actor, landscape_id=landscape_id, key=key, job=job, sha256=sha256, size=stored.size
                )
            return job
    except Exception:
        storage.delete_tree(prefix)
        raise


def dataset_create_from_upload(*, actor: Any, landscape: Landscape, upload: Any, **metadata: Any) -> Job:
    """Store an upload and start the job that makes it one dataset (or several: one per layer and
    kind of geometry). Returns the job; its result links to the new datasets."""
    permissions.check(actor, "add_content", landscape)
    metadata = clean_metadata({k: v for k, v in metadata.items() if v not in (None, "", [])})
    return _start(
        actor=actor,
        upload=upload,
        landscape_id=landscape.pk,
        params={"mode": "create", "landscape_id": landscape.pk, "metadata": metadata},
    )


def upload_key_clean(*, key: str) -> str:
    """The page's idempotency key, refused when empty, too long or not printable ASCII."""
    if not key or len(key) > UploadKey.MAX_LENGTH or not all(" " < c < "\x7f" for c in key):
        raise ValidationFailed(
            _(
                "The Idempotency-Key header must be 1 to %(limit)d printable characters "
                "(letters, digits, punctuation), without spaces."
            )
            % {"limit": UploadKey.MAX_LENGTH},
            code="bad_idempotency_key",
        )
    return key


def _sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _replay(*, actor: Any, landscape: Landscape, key: str, sha256: str, size: int) -> Job | None:
    """The job already started by this key, or None; a key reused for another file is refused."""
    found = UploadKey.objects.select_related("job").filter(user=actor, landscape=landscape, key=key).first()
    if found is None:
        return None
    if (found.sha256, found.size) != (sha256, size):
        raise Conflict(
            _(
                "This upload key was already used for another file; nothing was stored. "
                "Choose the file again to upload it."
            ),
            code="idempotency_key_reused",
        )
    return found.job


def dataset_create_from_upload_once(
    *, actor: Any, landscape: Landscape, upload: Any, key: str, **metadata: Any
) -> tuple[Job, bool]:
    """As ``dataset_create_from_upload``, once per (user, landscape, key): the same file sent again
    with the same key (a retry after a lost answer) returns the first job and True ("replayed")
    instead of making a second dataset. The same key with another file raises Conflict."""
    key = upload_key_clean(key=key)
    permissions.check(actor, "add_content", landscape)
    check_upload(upload)
    sha256, size = _sha256(upload), upload.size
    job = _replay(actor=actor, landscape=landscape, key=key, sha256=sha256, size=size)
    if job is not None:
        return job, True
    metadata = clean_metadata({k: v for k, v in metadata.items() if v not in (None, "", [])})
    try:
        job = _start(
            actor=actor,
            upload=upload,
            landscape_id=landscape.pk,
            params={"mode": "create", "landscape_id": landscape.pk, "metadata": metadata},
            key=key,
            sha256=sha256,
        )
    except IntegrityError:
        # A concurrent request with the same key won the insert (its files were deleted by _start).
        job = _replay(actor=actor, landscape=landscape, key=key, sha256=sha256, size=size)
        if job is None:
            raise
        return job, True
    return job, False


def dataset_add_version(*, actor: Any, dataset: Dataset, upload: Any, note: str = "") -> Job:
    """Store an upload and start the job that adds it as the dataset's next version."""
    permissions.check(actor, "add_version", dataset)
    return _start(
        actor=actor,
        upload=upload,
        landscape_id=dataset.landscape_id,
        params={"mode": "version", "dataset_id": dataset.pk, "note": (note or "").strip()[:500]},
    )


# --- The job's work ---------------------------------------------------------------------------


def dataset_ingest(*, actor: Any, params: dict[str, Any], job_id: Any, progress: Progress) -> list[Dataset]:
    """Run the ingest of a stored upload and register its datasets; on any failure delete what this
    upload stored, so that neither a row nor a file of it remains."""
    prefixes = [params["prefix"]]
    try:
        with tempfile.TemporaryDirectory(prefix="landmosaic-ingest-") as folder:
            original = params["original"]
            with storage.local_copy(original["path"]) as local:
                result = ingest_file(
                    path=local,
                    filename=original["filename"],
                    workdir=Path(folder),
                    limits=ingest_limits(),
                    progress=progress,
                )
            progress(90, "saving")
            with transaction.atomic():
                if params["mode"] == "create":
                    return _register_new(
                        actor=actor, params=params, result=result, prefixes=prefixes, job_id=job_id
                    )
                return [_register_version(actor=actor, params=params, result=result, job_id=job_id)]
    except IngestError as exc:
        _discard(prefixes)
        raise refusal(exc) from exc
    except BaseException:
        _discard(prefixes)
        raise


def _discard(prefixes: list[str]) -> None:
    for prefix in prefixes:
        storage.delete_tree(prefix)


def _title(part: Part, *, given: str, many: bool) -> str:
    title = part.base_title
    if given:
        title = f"{given}: {part.layer}" if many and part.layer and not part.split else given
    if part.split:
        title = f"{title} ({_(FAMILY_LABELS[part.family])})"
    return title[:200]


def _register_new(
    *, actor: Any, params: dict[str, Any], result: IngestResult, prefixes: list[str], job_id: Any
) -> list[Dataset]:
    landscape = Landscape.objects.filter(pk=params["landscape_id"]).first()
    if landscape is None:
        raise NotFound(_("Landscape not found."))
    permissions.check(actor, "add_content", landscape)  # the role may have changed since the upload
    metadata = dict(params.get("metadata") or {})
    given = metadata.pop("title", "")
    datasets = []
    for index, part in enumerate(result.parts):
        prefix = params["prefix"] if index == 0 else storage.new_prefix()
        if index:
            prefixes.append(prefix)
        title = _title(part, given=given, many=len(result.parts) > 1)
        dataset = dataset_new(
            landscape=landscape, title=title, kind=part.kind, created_by=actor, metadata=metadata
        )
        version_write(
            actor=actor,
            dataset=dataset,
            part=part,
            original=_original(params, result),
            prefix=prefix,
            job_id=job_id,
            note=params.get("note", ""),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            object_type="dataset",
            object_id=dataset.pk,
            landscape_id=landscape.pk,
            summary=f"Dataset “{dataset.title}” created from {params['original']['filename']}",
            data={"format": result.format.code, "kind": part.kind, "rows": part.row_count},
        )
        datasets.append(dataset)
    return datasets


def _matching_part(dataset: Dataset, result: IngestResult, filename: str) -> Part:
    """The one part of the upload that continues the dataset: same kind, same layer or geometry."""
    parts = result.parts
    current = dataset.current_version
    if len(parts) > 1 and current is not None:
        same_layer = [
            p for p in parts if (p.layer, p.family) == (current.source_layer, current.geometry_family)
        ]
        same_family = [p for p in parts if p.kind == dataset.kind and p.family == current.geometry_family]
        parts = same_layer if len(same_layer) == 1 else same_family
    if len(parts) != 1:
        names = [f"{p.layer or p.base_title}{f' ({p.family})' if p.split else ''}" for p in result.parts]
        raise IngestError(
            "version_several_parts", filename=filename, count=len(result.parts), names=names[:8]
        )
    part = parts[0]
    if part.kind != dataset.kind:
        raise IngestError(
            "version_kind_mismatch",
            filename=filename,
            found=KIND_LABELS[part.kind],
            expected=KIND_LABELS[dataset.kind],
        )
    return part


def _register_version(*, actor: Any, params: dict[str, Any], result: IngestResult, job_id: Any) -> Dataset:
    dataset = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("landscape", "current_version")
        .filter(pk=params["dataset_id"])
        .first()
    )
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    permissions.check(actor, "add_version", dataset)
    part = _matching_part(dataset, result, params["original"]["filename"])
    version = version_write(
        actor=actor,
        dataset=dataset,
        part=part,
        original=_original(params, result),
        prefix=params["prefix"],
        job_id=job_id,
        note=params.get("note", ""),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Version {version.number} of “{dataset.title}” added from {params['original']['filename']}",
        data={"version": version.number, "change": version.change_summary},
    )
    return dataset


def _original(params: dict[str, Any], result: IngestResult) -> Original:
    original = params["original"]
    return Original(
        path=original["path"],
        filename=original["filename"],
        sha256=original["sha256"],
        size=original["size"],
        format=result.format.code,
        media_type=result.format.media_type,
    )
