from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from landmosaic.core.models import Job
from landmosaic.datasets import services
from landmosaic.datasets.models import Dataset


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test stores its files in a fresh folder, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[str]:
    root = media / "datasets"
    return sorted(str(p.relative_to(media)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Upload bytes through the service, run the ingest job, return the finished job."""

    def run(landscape, actor, data: bytes, filename: str, **metadata) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.dataset_create_from_upload(
                actor=actor, landscape=landscape, upload=SimpleUploadedFile(filename, data), **metadata
            )
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def add_version(django_capture_on_commit_callbacks):
    def run(dataset: Dataset, actor, data: bytes, filename: str, note: str = "") -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.dataset_add_version(
                actor=actor, dataset=dataset, upload=SimpleUploadedFile(filename, data), note=note
            )
        job.refresh_from_db()
        return job

    return run


def created(job: Job) -> list[Dataset]:
    assert job.status == Job.Status.SUCCEEDED, job.error
    return [Dataset.objects.get(pk=link["id"]) for link in job.result["links"]]
