"""Uploads over the size limit are refused before anything is stored: by their declared length before
the body is read (a 2 GB claim answers at once), and while the body streams in."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created, stored_files
from tests.datasets.test_api import bearer

API = "/api/v1"
TWO_GB = str(2 * 1024**3)


@pytest.fixture
def wells(private_cast, ingest):
    return created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))[0]


def claiming_2_gb(client: Client, url: str, **headers):
    """A small body whose Content-Length says 2 GB: the test client's payload refuses to be read past
    its real end, so any answer but a crash shows the body was not read."""
    return client.post(url, {"file": SimpleUploadedFile("huge.tif", b"II*\x00" + b"0" * 100)},
                       CONTENT_LENGTH=TWO_GB, **headers)  # fmt: skip


def assert_nothing_stored(media, datasets: int = 0) -> None:
    assert not Job.objects.exists()
    assert Dataset.objects.count() == datasets
    assert [f for f in stored_files(media) if "/original/" in f and "wells" not in f] == []


@pytest.mark.parametrize("who", ["editor", "anonymous"])
def test_the_api_refuses_a_2_gb_declared_upload_before_reading_it(private_cast, media, who):
    headers = bearer(private_cast.editor) if who == "editor" else {}
    response = claiming_2_gb(Client(), f"{API}/landscapes/{private_cast.landscape.slug}/datasets", **headers)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "file_too_large"
    assert error["message"] == (
        "The upload is 2048 MB, more than the 500 MB allowed for one file; nothing was stored."
    )
    assert error["details"]["limit_bytes"] == 500 * 1024 * 1024
    assert_nothing_stored(media)


def test_a_new_version_over_the_limit_is_refused_the_same_way(private_cast, wells, media):
    response = claiming_2_gb(Client(), f"{API}/datasets/{wells.pk}/versions", **bearer(private_cast.editor))
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"
    assert wells.versions.count() == 1


@override_settings(DATASET_MAX_UPLOAD_BYTES=1000)
def test_the_api_stops_a_file_that_passes_the_limit_while_streaming(private_cast, media):
    # The declared length fits (a small file over a small limit): the limit catches it as it streams.
    big = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 2000)
    response = Client().post(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets",
        {"file": big},
        **bearer(private_cast.editor),
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        "big.csv is larger than the 0.01 MB allowed for one file; nothing was stored."
    )
    assert_nothing_stored(media)


def test_the_new_version_page_refuses_a_2_gb_declared_upload_before_reading_it(private_cast, wells, media):
    client = Client()
    client.force_login(private_cast.editor)
    url = f"/landscapes/{wells.landscape.slug}/data/{wells.slug}/versions/new/"
    response = claiming_2_gb(client, url)
    assert response.status_code == 413
    assert "more than the 500 MB allowed for one file; nothing was stored." in response.content.decode()
    assert wells.versions.count() == 1


def test_uploads_under_the_limit_still_work(private_cast, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{API}/landscapes/{private_cast.landscape.slug}/datasets",
            {"file": SimpleUploadedFile("wells.csv", points_csv())},
            **bearer(private_cast.editor),
        )
    assert response.status_code == 202, response.content
    assert Dataset.objects.count() == 1
