"""A file sent again with the same Idempotency-Key (upload.js's "Try again" after an answer lost on
the way back) returns the job of the first request, 200 instead of 201, and makes no second
dataset; the same key with another file is refused 409; a bad key 400. Keys belong to one user
in one landscape. The plain form post (no key) is unchanged."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection
from django.test import Client

from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset, UploadKey
from landmosaic.datasets.services.uploads import dataset_create_from_upload_once
from tests.datasets.builders import points_csv
from tests.datasets.conftest import stored_files

KEY = "7f1c2a9e-3b4d-4e5f-8a6b-0c1d2e3f4a5b"


def post(user, landscape, data: bytes, *, key: str | None, name: str = "wells.csv"):
    client = Client()
    client.force_login(user)
    handle = io.BytesIO(data)
    handle.name = name
    headers = {"Accept": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        f"/landscapes/{landscape.slug}/data/upload/",
        {"files": [handle], "license": "CC-BY-4.0"},
        headers=headers,
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Post one file as upload.js does; its job runs when the request's transaction commits, as a
    worker would run it."""

    def run(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    return run


def test_the_same_key_twice_makes_one_dataset_and_answers_the_same_job(private_cast, send):
    first = send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    again = send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    assert first.status_code == 201, first.content
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Job.objects.count() == 1 and UploadKey.objects.count() == 1
    assert Dataset.objects.count() == 1


def test_a_retry_stores_no_second_copy_of_the_file(private_cast, send, media):
    send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    files = stored_files(media)
    assert send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY).status_code == 200
    assert stored_files(media) == files


def test_another_key_makes_another_dataset(private_cast, send):
    one = send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    two = send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY + "-b")
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["jobs"][0]["id"] != two.json()["jobs"][0]["id"]
    assert Dataset.objects.count() == 2


def test_the_same_key_with_another_file_is_refused_409(private_cast, send, media):
    send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    files = stored_files(media)
    other = points_csv().replace(b"\n", b"\r\n")  # another sha256 and size
    response = send(private_cast.editor, private_cast.landscape, other, key=KEY)
    assert response.status_code == 409
    assert response.json()["errors"] == [
        "This upload key was already used for another file; nothing was stored. "
        "Choose the file again to upload it."
    ]
    assert Job.objects.count() == 1 and Dataset.objects.count() == 1
    assert stored_files(media) == files


def test_another_user_with_the_same_key_is_independent(private_cast, send):
    mine = send(private_cast.editor, private_cast.landscape, points_csv(), key=KEY)
    theirs = send(private_cast.manager, private_cast.landscape, points_csv(), key=KEY)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["jobs"][0]["id"] != theirs.json()["jobs"][0]["id"]
    assert Dataset.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 101, "two words", "caf\u00e9"])
def test_a_bad_key_is_refused_400_and_nothing_is_stored(private_cast, send, media, key):
    if key == "caf\u00e9":
        key = key.encode().decode("latin-1")  # as a header carries it
    response = send(private_cast.editor, private_cast.landscape, points_csv(), key=key)
    assert response.status_code == 400, response.content
    assert "The Idempotency-Key header must be 1 to 100 printable characters" in response.json()["errors"][0]
    assert not Job.objects.exists() and stored_files(media) == []


def test_a_key_of_100_printable_characters_is_accepted(private_cast, send):
    response = send(private_cast.editor, private_cast.landscape, points_csv(), key="k!" * 50)
    assert response.status_code == 201, response.content


def test_a_viewer_with_a_key_is_still_refused(private_cast, send):
    response = send(private_cast.viewer, private_cast.landscape, points_csv(), key=KEY)
    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


def test_without_a_key_each_post_makes_its_own_dataset(private_cast, send):
    assert send(private_cast.editor, private_cast.landscape, points_csv(), key=None).status_code == 201
    assert send(private_cast.editor, private_cast.landscape, points_csv(), key=None).status_code == 201
    assert Dataset.objects.count() == 2 and not UploadKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_job(private_cast, media):
    """Both pass the look-up before either has stored its key: the unique constraint decides, and
    the loser answers the winner's job (its stored copy is deleted)."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    from django.core.files.uploadedfile import SimpleUploadedFile

    barrier = threading.Barrier(2)
    answers: list = []

    def one() -> None:
        try:
            barrier.wait()
            answers.append(
                dataset_create_from_upload_once(
                    actor=private_cast.editor,
                    landscape=private_cast.landscape,
                    upload=SimpleUploadedFile("wells.csv", points_csv()),
                    key=KEY,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2
    assert answers[0][0].pk == answers[1][0].pk
    assert Job.objects.count() == 1 and UploadKey.objects.count() == 1
    assert len({path.split("/")[1] for path in stored_files(media)}) == 1  # one upload folder
