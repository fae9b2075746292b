"""The upload page takes several files at once; each must fit the limit for one file and all of them
the limit for one upload. Over HTTP, a request whose declared length passes the total is answered
413 at once, before its body is read; while streaming, the total is watched too."""

from __future__ import annotations

import http.client
import io
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from landmosaic.datasets.uploadlimits import UploadLimitHandler, streamed_refusal
from tests.datasets.builders import points_csv
from tests.datasets.conftest import stored_files

BOUNDARY = "----landmosaic-upload-boundary"


def multipart(files: dict[str, bytes], *, token: str = "") -> bytes:
    """The form as a browser sends it: the CSRF token first, then the files, then the other fields."""
    body = io.BytesIO()
    if token:
        field = 'Content-Disposition: form-data; name="csrfmiddlewaretoken"'
        body.write(f"--{BOUNDARY}\r\n{field}\r\n\r\n{token}\r\n".encode())
    for name, content in files.items():
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="license"\r\n\r\nCC-BY-4.0\r\n'.encode()
    )
    body.write(f"--{BOUNDARY}--\r\n".encode())
    return body.getvalue()


def signed_in(user, path: str) -> tuple[str, str]:
    """The cookies of a signed-in browser that has opened the page, and the form's CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return cookie, token


def post(live_server, path: str, *, cookie: str, body: bytes, length: int | None = None):
    """A real HTTP POST; ``length`` declares a Content-Length other than the body's (the body is
    then not sent at all: an answer proves the server did not wait for it)."""
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(body) if length is None else length))
    connection.putheader("Cookie", cookie)
    connection.endheaders()
    if length is None:
        connection.send(body)
    response = connection.getresponse()
    content = response.read().decode()
    connection.close()
    return response.status, content


def assert_nothing_stored(media) -> None:
    assert not Job.objects.exists() and not Dataset.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db(transaction=True)
@override_settings(DATASET_MAX_UPLOAD_BYTES=300 * 1024)
def test_a_declared_length_past_the_total_is_refused_before_reading(live_server, private_cast, media):
    path = f"/landscapes/{private_cast.landscape.slug}/data/upload/"
    cookie, token = signed_in(private_cast.editor, path)
    files = {f"plots-{n}.csv": b"a,b\n" + b"1,2\n" * 64_000 for n in range(3)}  # 250 KB each: each fits
    status, content = post(live_server, path, cookie=cookie, body=multipart(files, token=token))
    assert status == 413
    assert (
        "The files sent together are 0.73 MB, more than the 0.29 MB one upload may carry; nothing was stored."
        in content
    )
    assert_nothing_stored(media)


@pytest.mark.django_db(transaction=True)
@override_settings(DATASET_MAX_UPLOAD_BYTES=1000)
def test_files_that_fit_one_by_one_but_not_together_are_stopped_as_they_stream(
    live_server, private_cast, media
):
    path = f"/landscapes/{private_cast.landscape.slug}/data/upload/"
    cookie, token = signed_in(private_cast.editor, path)
    files = {"a.csv": b"a,b\n" + b"1,2\n" * 150, "b.csv": b"a,b\n" + b"3,4\n" * 150}  # 604 bytes each
    status, content = post(live_server, path, cookie=cookie, body=multipart(files, token=token))
    assert status == 400, content[:2000]  # the page again, with the message
    assert "The files sent together are larger than the 0.01 MB one upload may carry" in content
    assert_nothing_stored(media)


@pytest.mark.django_db(transaction=True)
def test_a_2_gb_claim_is_answered_413_without_its_body(live_server, private_cast, media):
    path = f"/landscapes/{private_cast.landscape.slug}/data/upload/"
    cookie, _token = signed_in(private_cast.editor, path)
    status, content = post(live_server, path, cookie=cookie, body=b"", length=2 * 1024**3)
    assert status == 413, content[:3000]
    assert "The files sent together are 2048 MB, more than the 500 MB one upload may carry" in content
    assert_nothing_stored(media)


@override_settings(DATASET_MAX_UPLOAD_BYTES=1000, DATASET_MAX_UPLOAD_TOTAL_BYTES=5000)
def test_a_larger_total_limit_lets_several_files_through(
    private_cast, media, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(private_cast.editor)
    files = [io.BytesIO(points_csv()), io.BytesIO(points_csv()), io.BytesIO(points_csv())]
    for number, handle in enumerate(files):
        handle.name = f"wells-{number}.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/landscapes/{private_cast.landscape.slug}/data/upload/",
            {"files": files, "license": "CC-BY-4.0"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Job.objects.count() == 3 and Dataset.objects.count() == 3


@override_settings(DATASET_MAX_UPLOAD_BYTES=1000)
def test_the_total_is_watched_while_the_files_stream_in():
    """Without a declared length (chunked transfer), the files are counted as they arrive."""
    handler = UploadLimitHandler(total=True)
    for number in range(2):
        handler.new_file("files", f"part-{number}.csv", "text/csv", None)
        handler.receive_data_chunk(b"x" * 400, 0)
        handler.file_complete(400)
    handler.new_file("files", "part-2.csv", "text/csv", None)
    with pytest.raises(Exception) as stop:
        handler.receive_data_chunk(b"x" * 400, 0)  # 1200 bytes in all, each file under 1000
    assert type(stop.value).__name__ == "StopUpload"
    assert streamed_refusal(handler).message == (
        "The files sent together are larger than the 0.01 MB one upload may carry; nothing was stored. "
        "Upload them in several goes."
    )


def test_the_page_carries_the_limits_and_the_messages_for_its_checks(private_cast):
    client = Client()
    client.force_login(private_cast.editor)
    page = client.get(f"/landscapes/{private_cast.landscape.slug}/data/upload/").content.decode()
    assert f'data-max-file-bytes="{500 * 1024 * 1024}"' in page
    assert f'data-max-total-bytes="{500 * 1024 * 1024}"' in page
    assert "{file} is {size} MB, more than the {limit} MB allowed for one file." in page
    assert "datasets/upload.js" in page
