"""Writing immutable versions, shared by uploads (the ingest job) and rows published by the platform.

Callers hold the transaction: the version row, the dataset's pointer to it and its coverage are
written together, after the files are in storage; if the transaction fails the caller deletes the
files of the version's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from .. import storage
from ..ingest import Part
from ..ingest.diff import VersionFacts, change_summary
from ..models import Dataset, DatasetVersion


@dataclass(frozen=True)
class Original:
    """The file a version was made from, as stored (byte for byte) in storage."""

    path: str
    filename: str
    sha256: str
    size: int
    format: str
    media_type: str


def unique_slug(landscape_id: int, title: str, *, base: str = "") -> str:
    """``base`` (or the title) made into a slug not yet used in the landscape."""
    base = (slugify(base or title)[:70].strip("-")) or "dataset"
    taken = set(
        Dataset.objects.filter(landscape_id=landscape_id, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _facts(version: DatasetVersion, local: Path | None) -> VersionFacts:
    return VersionFacts(
        number=version.number,
        fields=version.fields,
        row_count=version.row_count,
        geometry_type=version.geometry_type,
        crs=version.crs,
        normalised=local,
        normalised_format=version.normalised_format,
    )


def part_change(previous: DatasetVersion | None, part: Part) -> dict[str, Any] | None:
    """The change summary from the current version to ``part`` (None for a first version)."""
    if previous is None:
        return None
    current = VersionFacts(
        number=previous.number + 1,
        fields=part.fields,
        row_count=part.row_count,
        geometry_type=part.geometry_type,
        crs=part.crs,
        normalised=part.normalised,
        normalised_format=part.normalised_format,
    )
    if not previous.normalised_path or part.normalised_format not in ("gpkg", "csv"):
        return change_summary(_facts(previous, None), current)
    with storage.local_copy(previous.normalised_path) as local:
        return change_summary(_facts(previous, local), current)


def is_unchanged(change: dict[str, Any] | None) -> bool:
    """True when a change summary found no row, field, geometry type or CRS changed."""
    if change is None or "rows_added" not in change:
        return False
    return not (
        change["rows_added"]
        or change["rows_removed"]
        or change["fields_added"]
        or change["fields_removed"]
        or change["fields_retyped"]
        or "geometry_type" in change
        or "crs" in change
    )


def version_write(
    *,
    actor: Any,
    dataset: Dataset,
    part: Part,
    original: Original,
    prefix: str,
    job_id: Any = None,
    note: str = "",
    change: dict[str, Any] | None = None,
) -> DatasetVersion:
    """Store the normalised file (and its extras), write the immutable version and make it current.

    ``change`` may be given when the caller already compared the part with the current version."""
    normalised_path, normalised_size = "", None
    if part.normalised is not None:
        normalised_path = storage.save_file(
            part.normalised, name=f"{prefix}/normalised{part.normalised.suffix}"
        )
        normalised_size = part.normalised.stat().st_size
    for name, local in part.extras.items():
        storage.save_file(local, name=f"{prefix}/{name}")
    previous = dataset.current_version
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=(previous.number + 1) if previous else 1,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        ingest_job_id=job_id,
        storage_prefix=prefix,
        original_path=original.path,
        original_filename=original.filename,
        original_sha256=original.sha256,
        original_size=original.size,
        original_format=original.format,
        media_type=part.details.get("media_type") or original.media_type,
        source_layer=part.layer,
        geometry_family=part.family,
        normalised_path=normalised_path,
        normalised_format=part.normalised_format,
        normalised_size=normalised_size,
        crs=part.crs,
        geometry_type=part.geometry_type,
        fields=part.fields,
        row_count=part.row_count,
        bbox_4326=part.bbox_4326,
        temporal=part.temporal,
        table_schema=part.table_schema,
        details=part.details,
        warnings=[w.as_dict() for w in part.warnings],
        change_summary=change if change is not None else part_change(previous, part),
    )
    dataset.current_version = version
    apply_coverage(dataset, version)
    dataset.save()
    return version


def apply_coverage(dataset: Dataset, version: DatasetVersion) -> None:
    """Spatial and temporal coverage follow the current version."""
    bbox = version.bbox_4326 or [None] * 4
    dataset.bbox_west, dataset.bbox_south, dataset.bbox_east, dataset.bbox_north = bbox
    starts = [r["start"][:10] for r in version.temporal]
    ends = [r["end"][:10] for r in version.temporal]
    dataset.temporal_start = min(starts) if starts else None
    dataset.temporal_end = max(ends) if ends else None
