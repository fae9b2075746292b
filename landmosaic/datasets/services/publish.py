"""Rows published by the platform itself: a table or point dataset made, or continued, from rows.

Field records flow into the commons through here, and so do tables made by code (the demo). Rows go
through the same normalisation as uploads (``ingest.ingest_rows``): each call makes one immutable
version with its change summary against the previous one, and keeps the rows as a UTF-8 CSV as the
version's original. Small inputs are written at once; large ones by the ``datasets.publish_rows``
job, the rows first staged to storage. If anything fails, nothing of the version remains.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import NotFound, ValidationFailed
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.landscapes.models import Landscape

from .. import storage
from ..ingest import IngestError, ingest_rows
from ..ingest.messages import KIND_LABELS
from ..metadata import clean_metadata
from ..models import Dataset
from .creation import dataset_new
from .uploads import refusal
from .versions import Original, is_unchanged, part_change, unique_slug, version_write

PUBLISH_JOB = "datasets.publish_rows"
Progress = Callable[[int, str], None]


class _System:
    """The platform acting on its own, for a write a person or collector already had the right to
    cause (field records accepted from a collector's phone). Only code can pass it: no request,
    API call or job parameter turns into it."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def _no_progress(percent: int, step: str) -> None:
    """Default progress callback for rows published inline."""


def _check(actor: Any, landscape: Landscape, dataset: Dataset | None) -> None:
    if actor is SYSTEM:
        return
    if dataset is None:
        permissions.check(actor, "add_content", landscape)
    else:
        permissions.check(actor, "add_version", dataset)


def _sync_max_rows() -> int:
    return settings.DATASET_PUBLISH_SYNC_MAX_ROWS


def dataset_publish_rows(
    *,
    actor: Any,
    landscape: Landscape,
    title: str,
    columns: list[Mapping[str, str]],
    rows: Iterable[Mapping[str, Any]],
    geometry: tuple[str, str] | None = None,
    method: str | None = None,
    dataset: Dataset | None = None,
    slug: str = "",
    note: str = "",
    metadata: Mapping[str, Any] | None = None,
    skip_unchanged: bool = False,
    inline: bool | None = None,
    progress: Progress = _no_progress,
) -> Dataset | Job:
    """Publish ``rows`` (mappings of column name to value) as a new dataset or the next version of
    ``dataset``. ``columns``: [{"name", "type"}] with Table Schema types; ``geometry``: the longitude
    and latitude columns (EPSG:4326) for a point layer, None for a table; ``method``: how the data was
    collected (the dataset's provenance). With ``skip_unchanged`` no version is made when nothing
    changed. Runs here unless the rows are many (``inline`` decides when given; ``progress`` reports
    on work done here); returns the dataset, or the job that will write it."""
    if dataset is not None and dataset.landscape_id != landscape.pk:
        raise ValueError("the dataset belongs to another landscape")
    _check(actor, landscape, dataset)
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationFailed(
            _("Give the dataset a title."), details={"title": [_("This field is required.")]}
        )
    metadata = clean_metadata(dict(metadata or {}))
    spec = {
        "landscape_id": landscape.pk,
        "dataset_id": dataset.pk if dataset is not None else None,
        "title": title,
        "slug": slug,
        "columns": [{"name": str(c["name"]), "type": str(c.get("type", "string"))} for c in columns],
        "geometry": list(geometry) if geometry else None,
        "method": method,
        "note": (note or "").strip()[:500],
        "metadata": metadata,
        "skip_unchanged": skip_unchanged,
    }
    if inline:
        return publish_rows_now(actor=actor, spec=spec, rows=rows, progress=progress)
    with tempfile.TemporaryDirectory(prefix="landmosaic-rows-") as folder:
        staged = Path(folder) / "rows.jsonl"
        count = _stage(rows, staged)
        if inline is None and count <= _sync_max_rows():
            return publish_rows_now(actor=actor, spec=spec, rows=_read_staged(staged), progress=progress)
        prefix = storage.new_prefix()
        stored = storage.save_file(staged, name=f"{prefix}/staged/rows.jsonl")
    try:
        with transaction.atomic():
            return job_start(
                kind=PUBLISH_JOB,
                actor=actor,
                landscape_id=landscape.pk,
                params={
                    **spec,
                    "rows": stored,
                    "staged_prefix": prefix,
                    "count": count,
                    "system": actor is SYSTEM,
                },
            )
    except Exception:
        storage.delete_tree(prefix)
        raise


def _stage(rows: Iterable[Mapping[str, Any]], target: Path) -> int:
    count = 0
    with target.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(dict(row), ensure_ascii=False, default=str))
            handle.write("\n")
            count += 1
    return count


def _read_staged(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def publish_staged_rows(*, actor: Any, params: dict[str, Any], progress: Progress, job_id: Any) -> Dataset:
    """The job's work: publish the rows staged by ``dataset_publish_rows``."""
    with storage.local_copy(params["rows"]) as local:
        return publish_rows_now(
            actor=actor, spec=params, rows=_read_staged(local), progress=progress, job_id=job_id
        )


def discard_staged_rows(*, params: dict[str, Any]) -> None:
    """Delete the staged rows once the job is over, whatever its outcome (deleting twice is harmless)."""
    storage.delete_tree(params["staged_prefix"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _locked(spec: dict[str, Any]) -> Dataset | None:
    if spec["dataset_id"] is None:
        return None
    dataset = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("landscape", "current_version")
        .filter(pk=spec["dataset_id"])
        .first()
    )
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    return dataset


def publish_rows_now(
    *,
    actor: Any,
    spec: dict[str, Any],
    rows: Iterable[Mapping[str, Any]],
    progress: Progress = _no_progress,
    job_id: Any = None,
) -> Dataset:
    """Normalise the rows in a scratch folder, store the files, then write the version in one
    transaction; on any failure delete what was stored."""
    prefix = storage.new_prefix()
    try:
        with tempfile.TemporaryDirectory(prefix="landmosaic-publish-") as folder:
            geometry = tuple(spec["geometry"]) if spec["geometry"] else None
            result, csv_path = ingest_rows(
                columns=spec["columns"],
                rows=rows,
                title=spec["title"],
                geometry=geometry,
                workdir=Path(folder),
                progress=progress,
            )
            part = result.parts[0]
            current = Dataset.objects.select_related("current_version").filter(pk=spec["dataset_id"]).first()
            previous = current.current_version if current is not None else None
            if current is not None and part.kind != current.kind:
                raise IngestError(
                    "version_kind_mismatch",
                    filename=spec["title"],
                    found=KIND_LABELS[part.kind],
                    expected=KIND_LABELS[current.kind],
                )
            # Compared before the transaction: reading files must not hold the database's write lock.
            change = part_change(previous, part)
            if spec["skip_unchanged"] and is_unchanged(change):
                storage.delete_tree(prefix)
                return current
            progress(90, "saving")
            filename = f"{spec['slug'] or unique_slug(spec['landscape_id'], spec['title'])}.csv"
            original = Original(
                path=storage.save_file(csv_path, name=f"{prefix}/original/{storage.safe_filename(filename)}"),
                filename=filename,
                sha256=_sha256(csv_path),
                size=csv_path.stat().st_size,
                format="csv",
                media_type="text/csv",
            )
            with transaction.atomic():
                return _register(
                    actor=actor, spec=spec, part=part, original=original, prefix=prefix, job_id=job_id,
                    change=change, compared=previous.pk if previous else None,
                )  # fmt: skip
    except IngestError as exc:
        storage.delete_tree(prefix)
        raise refusal(exc) from exc
    except BaseException:
        storage.delete_tree(prefix)
        raise


def _register(
    *,
    actor: Any,
    spec: dict[str, Any],
    part: Any,
    original: Original,
    prefix: str,
    job_id: Any,
    change: dict[str, Any] | None,
    compared: int | None,
) -> Dataset:
    dataset = _locked(spec)
    if dataset is None:
        landscape = Landscape.objects.filter(pk=spec["landscape_id"]).first()
        if landscape is None:
            raise NotFound(_("Landscape not found."))
        _check(actor, landscape, None)  # the role may have changed since the job was started
        metadata = dict(spec["metadata"])
        if spec["method"]:
            metadata["provenance"] = spec["method"]
        dataset = dataset_new(
            landscape=landscape,
            title=spec["title"],
            slug=spec["slug"],
            kind=part.kind,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            metadata={k: v for k, v in metadata.items() if k != "title"},
        )
        created = True
    else:
        _check(actor, dataset.landscape, dataset)
        if spec["method"] is not None and dataset.provenance != spec["method"]:
            dataset.provenance = spec["method"]
        created = False
    current_id = dataset.current_version_id
    if current_id != compared:  # another version was written meanwhile: compare with that one
        change = part_change(dataset.current_version, part)
    version = version_write(
        actor=actor,
        dataset=dataset,
        part=part,
        original=original,
        prefix=prefix,
        job_id=job_id,
        note=spec["note"],
        change=change,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=(
            f"Dataset “{dataset.title}” created from {part.row_count} published rows"
            if created
            else f"Version {version.number} of “{dataset.title}” published from {part.row_count} rows"
        ),
        data={"version": version.number, "change": version.change_summary, "system": actor is SYSTEM},
    )
    return dataset
