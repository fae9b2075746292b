"""Field records into the data commons: the form's dataset, made on the first record, refreshed by a
debounced job after submissions and reviews, with photo addresses and the collection metadata."""

from __future__ import annotations

import pyogrio.raw
import pytest
from django.conf import settings
from django.test import Client

from landmosaic.core.jobs import job_run
from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from landmosaic.datasets.services import dataset_delete
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Form, Submission
from tests.fieldwork.conftest import JPEG, submission_xml


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refresh_jobs(form: Form, status: str = Job.Status.QUEUED):
    return Job.objects.filter(kind=services.REFRESH_JOB, status=status, params__form_id=form.pk)


def dataset_of(form: Form) -> Dataset:
    form.refresh_from_db()
    return Dataset.objects.select_related("current_version").get(pk=form.dataset_id)


def first_rows(dataset: Dataset, media) -> list[dict]:
    """The attribute rows of the dataset's GeoPackage, and whether each has a geometry."""
    meta, _fids, geometry, arrays = pyogrio.raw.read(str(media / dataset.current_version.normalised_path))
    names = meta["fields"].tolist()
    return [
        {**dict(zip(names, values, strict=True)), "has_geometry": g is not None}
        for g, values in zip(geometry, zip(*arrays, strict=True), strict=True)
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_first_record_makes_the_forms_private_dataset(field, media, django_capture_on_commit_callbacks):
    services.form_update(actor=field.cast.editor, form=field.form, method="Transect walk at dawn.")
    assert field.form.dataset_id is None
    with django_capture_on_commit_callbacks(execute=True):
        response = field.collect.submit(
            submission_xml(instance_id="uuid:first", photo="tree.jpg"), {"tree.jpg": JPEG}
        )
    assert response.status_code == 201
    dataset = dataset_of(field.form)
    version = dataset.current_version
    assert (dataset.title, dataset.kind, dataset.visibility, dataset.landscape_id) == (
        "Tree survey", "vector", "private", field.landscape.pk,
    )  # fmt: skip
    assert dataset.provenance == "Transect walk at dawn." and dataset.update_frequency == "continual"
    assert (version.number, version.row_count, version.geometry_type) == (1, 1, "Point")
    names = {f["name"]: f["type"] for f in version.fields}
    for question in ("species", "count", "health", "location", "photo", "leaf_photo"):
        assert question in names
    for meta in (
        "_collector",
        "_device_id",
        "_start",
        "_end",
        "_submitted_at",
        "_form_version",
        "_review_status",
    ):
        assert meta in names
    assert names["count"] == "integer" and names["_start"] == "datetime"
    [row] = first_rows(dataset, media)
    record = Submission.objects.get()
    attachment = record.attachments.get()
    assert row["_collector"] == "Village monitors" and row["_device_id"] == "collect:abc123"
    assert row["_photo_url"] == settings.SITE_URL.rstrip("/") + (
        f"/landscapes/{field.landscape.slug}/field-data/forms/{field.form.pk}/records/"
        f"{record.pk}/attachments/{attachment.pk}/"
    )
    assert row["_leaf_photo_url"] is None and row["has_geometry"]
    # The photo's address is the members-only attachment page.
    path = row["_photo_url"].split("://", 1)[1].split("/", 1)[1]
    assert signed_in(field.cast.viewer).get(f"/{path}").status_code == 200
    assert signed_in(field.cast.outsider).get(f"/{path}").status_code == 404


def test_refreshes_are_debounced_to_one_waiting_job_per_form(
    field, media, django_capture_on_commit_callbacks
):
    for n in range(3):
        field.collect.submit(submission_xml(instance_id=f"uuid:d{n}"))
    assert refresh_jobs(field.form).count() == 1
    [job] = refresh_jobs(field.form)
    job = job_run(str(job.pk))
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert dataset_of(field.form).current_version.row_count == 3
    assert job.result["url"] == dataset_of(field.form).get_absolute_url()
    # Once that job ran, the next record queues a new one.
    field.collect.submit(submission_xml(instance_id="uuid:d4"))
    assert refresh_jobs(field.form).count() == 1


def test_reviews_refresh_the_dataset_with_a_change_summary(field, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        field.collect.submit(submission_xml(instance_id="uuid:r1"))
        field.collect.submit(submission_xml(instance_id="uuid:r2", species="Acacia"))
    assert dataset_of(field.form).current_version.row_count == 2
    record = Submission.objects.get(instance_id="uuid:r2")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_review(actor=field.cast.editor, submission=record, status="approved")
    dataset = dataset_of(field.form)
    change = dataset.current_version.change_summary
    assert dataset.current_version.number >= 2 and (change["rows_added"], change["rows_removed"]) == (1, 1)
    statuses = {row["species"]: row["_review_status"] for row in first_rows(dataset, media)}
    assert statuses == {"Baobab": "pending", "Acacia": "approved"}


def test_a_refresh_with_nothing_new_writes_no_version(field, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        field.collect.submit(submission_xml(instance_id="uuid:n1"))
    services.form_dataset_refresh(form_id=field.form.pk)
    assert dataset_of(field.form).versions.count() == 1


def test_a_deleted_dataset_is_made_again_on_the_next_refresh(
    field, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        field.collect.submit(submission_xml(instance_id="uuid:x1"))
    first = dataset_of(field.form)
    with django_capture_on_commit_callbacks(execute=True):
        dataset_delete(actor=field.cast.manager, dataset=first)
    again = services.form_dataset_refresh(form_id=field.form.pk)
    assert again.pk != first.pk and dataset_of(field.form).pk == again.pk


def test_a_form_without_records_has_no_dataset(field):
    assert services.form_dataset_refresh(form_id=field.form.pk) is None
    assert not Dataset.objects.exists()


def test_the_form_page_links_to_its_dataset(field, media, django_capture_on_commit_callbacks):
    page = f"/landscapes/{field.landscape.slug}/field-data/forms/{field.form.pk}/"
    assert "when the first one arrives" in signed_in(field.cast.viewer).get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        field.collect.submit(submission_xml(instance_id="uuid:p1"))
    html = signed_in(field.cast.viewer).get(page).content.decode()
    assert (
        f'href="{dataset_of(field.form).get_absolute_url()}"' in html
        and "Dataset in the data commons" in html
    )
