"""The scenarios app's one door to the data commons: which maps a landscape has, reading a raster
version, zones from a vector dataset, and storing a run's files as datasets.

Results go through the datasets app's own ingest (``services.dataset_ingest``), so a run's maps and
table are datasets like any other: described, versioned, private until shared, downloadable through
the permission-checked views. A run's yearly maps are the versions of one raster dataset (version k
is year base + k; the current version is the final year), because a zip of GeoTIFFs is not a format
the commons reads and versions keep every year downloadable and previewable on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound, ValidationFailed
from landmosaic.core.jobs import job_run
from landmosaic.core.models import Job
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets import storage as dataset_storage
from landmosaic.datasets.metadata import clean_metadata
from landmosaic.datasets.models import Dataset, DatasetVersion
from landmosaic.landscapes.models import Landscape


def raster_datasets(*, actor: Any, landscape: Landscape) -> QuerySet[Dataset]:
    """The landscape's raster datasets the caller may see, with a current version."""
    return dataset_selectors.dataset_list(
        actor=actor, landscape=landscape, kind=Dataset.Kind.RASTER, order="title"
    ).exclude(current_version=None)


def vector_datasets(*, actor: Any, landscape: Landscape) -> QuerySet[Dataset]:
    return dataset_selectors.dataset_list(
        actor=actor, landscape=landscape, kind=Dataset.Kind.VECTOR, order="title"
    ).exclude(current_version=None)


def land_cover_version(*, actor: Any, landscape: Landscape, dataset_id: int, label: str) -> DatasetVersion:
    """The current version of one of the landscape's raster datasets; refuses any other kind."""
    try:
        dataset = dataset_selectors.dataset_get(actor=actor, pk=dataset_id)
    except NotFound as exc:
        raise ValidationFailed(
            _("The dataset chosen for %(map)s was not found.") % {"map": label}, code="unknown_dataset"
        ) from exc
    if dataset.landscape_id != landscape.pk:
        raise ValidationFailed(
            _("Choose a dataset of this landscape for %(map)s.") % {"map": label}, code="other_landscape"
        )
    if dataset.kind != Dataset.Kind.RASTER or dataset.current_version is None:
        raise ValidationFailed(
            _("“%(title)s” is a %(kind)s, not a raster: choose a land-cover map (GeoTIFF) for %(map)s.")
            % {"title": dataset.title, "kind": dataset.get_kind_display().lower(), "map": label},
            code="not_raster",
        )
    return dataset.current_version


def driver_version(*, landscape: Landscape, dataset_id: int, number: int) -> DatasetVersion:
    """The version of a driver raster a set recorded, for the run's job (the editor who chose it could
    see it); refused with a message when it was deleted since."""
    dataset = dataset_selectors.dataset_of_landscape(landscape_id=landscape.pk, pk=dataset_id)
    version = dataset.versions.filter(number=number).first() if dataset is not None else None
    if version is None:
        raise ValidationFailed(
            _("A driver raster of this set was deleted from the data: choose the drivers again."),
            code="driver_deleted",
        )
    return version


def version_of_landscape(*, landscape: Landscape, version_id: int) -> DatasetVersion:
    """A raster version of the landscape by id, for the platform's own jobs (checked when asked for)."""
    version = (
        DatasetVersion.objects.select_related("dataset")
        .filter(pk=version_id, dataset__landscape_id=landscape.pk)
        .first()
    )
    if version is None:
        raise ValidationFailed(_("The later map was deleted from the data."), code="map_deleted")
    return version


@contextmanager
def local_raster(version: DatasetVersion) -> Iterator[Path]:
    """A local path to a raster version: its normalised copy (COG) when the commons made one, else the
    original file, which for a raster is a GeoTIFF too."""
    name = version.normalised_path or version.original_path
    with dataset_storage.local_copy(name) as path:
        yield path


def raster_kind(version: DatasetVersion | None) -> str | None:
    """"categorical" (classes, e.g. land cover) or "continuous" (measured values) as ingest found them."""
    if version is None:
        return None
    return ((version.details or {}).get("statistics") or {}).get("kind")


def version_label(version: DatasetVersion) -> str:
    return f"“{version.dataset.title}” (v{version.number})"


def zone_features(*, actor: Any, landscape: Landscape, dataset_id: int) -> tuple[Dataset, dict[str, Any]]:
    """A vector dataset of the landscape and its features in longitude/latitude."""
    try:
        dataset = dataset_selectors.dataset_get(actor=actor, pk=dataset_id)
    except NotFound as exc:
        raise ValidationFailed(
            _("The map layer chosen for the zone was not found."), code="unknown_dataset"
        ) from exc
    if (
        dataset.landscape_id != landscape.pk
        or dataset.kind != Dataset.Kind.VECTOR
        or not dataset.current_version
    ):
        raise ValidationFailed(
            _("Choose a map layer (polygons) of this landscape for the zone."), code="not_vector"
        )
    collection = dataset_selectors.version_features(
        actor=actor, dataset=dataset, version=dataset.current_version
    )
    return dataset, collection


def can_view(*, actor: Any, dataset: Dataset | None) -> bool:
    return dataset is not None and permissions.can(actor, "view", dataset)


# --- Storing a run's files ----------------------------------------------------------------------


class ResultWriter:
    """Stores files as datasets of a landscape through the commons' ingest, remembering every storage
    folder it filled so that a failure of the surrounding transaction can delete them all."""

    def __init__(self, *, actor: Any, landscape: Landscape, job_id: Any):
        self.actor = actor
        self.landscape = landscape
        self.job_id = job_id
        self.prefixes: list[str] = []

    def _store(self, path: Path, filename: str) -> dict[str, Any]:
        prefix = dataset_storage.new_prefix()
        self.prefixes.append(prefix)
        with path.open("rb") as handle:
            stored = dataset_storage.save_upload(File(handle, name=filename), prefix=prefix)
        return {
            "prefix": prefix,
            "original": {
                "path": stored.path,
                "filename": stored.filename,
                "sha256": stored.sha256,
                "size": stored.size,
            },
        }

    def create(self, *, path: Path, filename: str, metadata: dict[str, Any], note: str = "") -> Dataset:
        """A new dataset (private to the landscape, as every new dataset) from one file."""
        params = {
            "mode": "create",
            "note": note[:500],
            "landscape_id": self.landscape.pk,
            "metadata": clean_metadata(metadata),
            **self._store(path, filename),
        }
        [dataset] = dataset_services.dataset_ingest(
            actor=self.actor, params=params, job_id=self.job_id, progress=_no_progress
        )
        return dataset

    def add_version(self, *, dataset: Dataset, path: Path, filename: str, note: str) -> Dataset:
        params = {
            "mode": "version",
            "dataset_id": dataset.pk,
            "note": note[:500],
            **self._store(path, filename),
        }
        [dataset] = dataset_services.dataset_ingest(
            actor=self.actor, params=params, job_id=self.job_id, progress=_no_progress
        )
        return dataset

    def discard(self) -> None:
        for prefix in self.prefixes:
            dataset_storage.delete_tree(prefix)
        self.prefixes = []


def publish_table(
    writer: ResultWriter,
    *,
    title: str,
    slug: str,
    columns: list[dict[str, str]],
    rows: list[dict[str, Any]],
    method: str,
    metadata: dict[str, Any],
) -> Dataset:
    """A table dataset from rows, through the commons' publishing of rows made by the platform."""
    dataset = dataset_services.dataset_publish_rows(
        actor=writer.actor,
        landscape=writer.landscape,
        title=title,
        slug=slug,
        columns=columns,
        rows=rows,
        method=method,
        metadata=metadata,
        inline=True,
    )
    writer.prefixes.append(dataset.current_version.storage_prefix)
    return dataset


def upload_now(
    *, actor: Any, landscape: Landscape, path: Path, filename: str = "", **metadata: Any
) -> Dataset:
    """Upload a file from disk to the landscape's commons and ingest it in this process (the demo and
    the command line need no worker); the ingest's refusal is raised as it would be shown on a page."""
    with path.open("rb") as handle:
        job = dataset_services.dataset_create_from_upload(
            actor=actor, landscape=landscape, upload=File(handle, name=filename or path.name), **metadata
        )
    job = job_run(str(job.pk))
    if job.status != Job.Status.SUCCEEDED:
        raise ValidationFailed(job.error or _("The file could not be read."), code="upload_failed")
    return Dataset.objects.get(pk=job.result["links"][0]["id"])


def _no_progress(percent: int, step: str) -> None:
    """The run reports its own progress; the ingest of each file is a small part of it."""
