"""A landscape chooses the licence its new datasets get when their uploader names none: on the upload
page, through the API, and for datasets the platform makes from rows (field records, scenario results)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.core.errors import ValidationFailed
from landmosaic.datasets import services
from landmosaic.datasets.models import Dataset
from landmosaic.landscapes import services as landscape_services
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created

API = "/api/v1"


@pytest.fixture
def odbl(private_cast):
    landscape_services.landscape_update(
        actor=private_cast.manager, landscape=private_cast.landscape, default_license="ODbL-1.0"
    )
    private_cast.landscape.refresh_from_db()
    return private_cast


def test_a_new_landscape_starts_with_cc_by(private_cast):
    assert private_cast.landscape.default_license == "CC-BY-4.0"


def test_an_upload_without_licence_takes_the_landscapes_default(odbl, ingest):
    dataset = created(ingest(odbl.landscape, odbl.editor, points_csv(), "wells.csv"))[0]
    assert dataset.license == "ODbL-1.0"


def test_a_licence_given_with_the_upload_wins_over_the_default(odbl, ingest):
    dataset = created(ingest(odbl.landscape, odbl.editor, points_csv(), "wells.csv", license="CC0-1.0"))[0]
    assert dataset.license == "CC0-1.0"


def test_the_default_is_read_when_the_dataset_is_made(private_cast, django_capture_on_commit_callbacks):
    """Changed between the upload and its job: the dataset gets the licence in force when it is made."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=SimpleUploadedFile("wells.csv", points_csv()),
        )
    landscape_services.landscape_update(
        actor=private_cast.manager, landscape=private_cast.landscape, default_license="CC-BY-SA-4.0"
    )
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert created(job)[0].license == "CC-BY-SA-4.0"


def test_rows_published_by_the_platform_take_the_default(odbl):
    dataset = services.dataset_publish_rows(
        actor=odbl.editor,
        landscape=odbl.landscape,
        title="Scenario areas",
        columns=[{"name": "zone", "type": "string"}, {"name": "hectares", "type": "number"}],
        rows=[{"zone": "forest", "hectares": 12.5}, {"zone": "crops", "hectares": 3.0}],
        inline=True,
    )
    assert dataset.license == "ODbL-1.0"


def test_rows_published_with_a_licence_keep_it(odbl):
    dataset = services.dataset_publish_rows(
        actor=odbl.editor,
        landscape=odbl.landscape,
        title="Survey",
        columns=[{"name": "answer", "type": "string"}],
        rows=[{"answer": "yes"}],
        metadata={"license": "CC0-1.0"},
        inline=True,
    )
    assert dataset.license == "CC0-1.0"


def test_an_unknown_licence_with_an_upload_is_refused_naming_the_list(private_cast):
    with pytest.raises(ValidationFailed) as caught:
        services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=SimpleUploadedFile("wells.csv", points_csv()),
            license="MIT",
        )
    message = caught.value.details["license"][0]
    assert "“MIT” is not a licence of the list" in message and "CC-BY-4.0" in message
    assert not Dataset.objects.exists()


def test_api_upload_without_licence_takes_the_default(odbl, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(odbl.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/landscapes/{odbl.landscape.slug}/datasets",
            {"file": SimpleUploadedFile("wells.csv", points_csv()), "title": "Wells"},
        )
    assert response.status_code == 202, response.content
    assert Dataset.objects.get().license == "ODbL-1.0"
    detail = client.get(f"{API}/datasets/{Dataset.objects.get().pk}").json()
    assert detail["license"]["id"] == "ODbL-1.0"


def test_api_upload_with_an_unknown_licence_is_a_400_naming_the_list(private_cast):
    client = Client()
    client.force_login(private_cast.editor)
    response = client.post(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets",
        {"file": SimpleUploadedFile("wells.csv", points_csv()), "license": "GPL-3.0"},
    )
    assert response.status_code == 400
    assert "“GPL-3.0” is not a licence of the list" in response.json()["error"]["details"]["license"][0]
    assert not Dataset.objects.exists()


def test_upload_page_offers_the_landscapes_default_first_and_uses_it(
    odbl, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(odbl.editor)
    path = f"/landscapes/{odbl.landscape.slug}/data/upload/"
    page = client.get(path).content.decode()
    assert '<option value="" selected>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"files": SimpleUploadedFile("wells.csv", points_csv()), "license": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dataset.objects.get().license == "ODbL-1.0"


def test_upload_page_with_a_chosen_licence_keeps_it(odbl, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(odbl.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/landscapes/{odbl.landscape.slug}/data/upload/",
            {"files": SimpleUploadedFile("wells.csv", points_csv()), "license": "PDDL-1.0"},
        )
    assert response.status_code == 302
    assert Dataset.objects.get().license == "PDDL-1.0"
