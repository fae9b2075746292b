"""Chunked transfer encoding, through Django's request handling and a real HTTP server."""

from __future__ import annotations

import http.client
import io
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory

from landmosaic.fieldwork import openrosa
from landmosaic.fieldwork.models import Submission
from tests.fieldwork.conftest import JPEG, collect_with_token, publish_tree_form, submission_xml

BOUNDARY = "----landmosaic-test-boundary"


def multipart(xml: bytes, files: dict[str, bytes]) -> bytes:
    parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
    parts += [(name, name, "image/jpeg", content) for name, content in files.items()]
    body = io.BytesIO()
    for field, filename, kind, content in parts:
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{BOUNDARY}--\r\n".encode())
    return body.getvalue()


def chunked(data: bytes, size: int = 100) -> bytes:
    out = io.BytesIO()
    for i in range(0, len(data), size):
        piece = data[i : i + size]
        out.write(f"{len(piece):x};ext=1\r\n".encode() + piece + b"\r\n")
    out.write(b"0\r\nX-Trailer: ignored\r\n\r\n")
    return out.getvalue()


def chunked_request(secret: str, body: bytes):
    request = RequestFactory().generic(
        "POST",
        f"/collect/{secret}/submission",
        data=body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    request.META.pop("CONTENT_LENGTH")
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    request.environ["wsgi.input"] = io.BytesIO(body)  # a raw stream, as a WSGI server hands it over
    return request


def test_chunked_body_decoded_from_raw_input(field):
    body = multipart(submission_xml(instance_id="uuid:chunked", photo="c.jpg"), {"c.jpg": JPEG})
    response = openrosa.submission(chunked_request(field.secret, chunked(body)), key=field.secret)
    assert response.status_code == 201, response.content
    record = Submission.objects.get(instance_id="uuid:chunked")
    assert record.attachments.get().file.read() == JPEG


def test_chunked_body_over_the_limit_is_413(field, settings):
    settings.FIELDWORK_SUBMISSION_MAX_BYTES = 100
    body = multipart(submission_xml(photo="c.jpg"), {"c.jpg": b"x" * 600_000})
    response = openrosa.submission(chunked_request(field.secret, chunked(body, 65536)), key=field.secret)
    assert response.status_code == 413
    assert not Submission.objects.exists()


def test_truncated_chunked_body_is_400(field):
    body = chunked(multipart(submission_xml(), {}))[:-40]
    response = openrosa.submission(chunked_request(field.secret, body), key=field.secret)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_server_decoded_chunked_body(field):
    """gunicorn decodes chunked bodies itself and says so with wsgi.input_terminated."""
    body = multipart(submission_xml(instance_id="uuid:gunicorn"), {})
    request = chunked_request(field.secret, body)
    request.environ["wsgi.input_terminated"] = True
    response = openrosa.submission(request, key=field.secret)
    assert response.status_code == 201, response.content
    assert Submission.objects.filter(instance_id="uuid:gunicorn").exists()


@pytest.mark.django_db(transaction=True)
def test_chunked_post_to_a_live_server(live_server, private_cast):
    publish_tree_form(private_cast.landscape, private_cast.editor)
    _collect, _access, secret = collect_with_token(private_cast.landscape, private_cast.editor)
    instance = f"uuid:{uuid.uuid4()}"
    body = multipart(submission_xml(instance_id=instance, photo="live.jpg"), {"live.jpg": JPEG * 20})
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request(
        "POST",
        f"/collect/{secret}/submission",
        body=iter([body[i : i + 4096] for i in range(0, len(body), 4096)]),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "X-OpenRosa-Version": "1.0"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    content = response.read()
    assert response.status == 201, content
    assert response.getheader("X-OpenRosa-Version") == "1.0" and response.getheader("Date")
    assert b"submit_success" in content
    assert Submission.objects.get(instance_id=instance).attachments.get().size == len(JPEG * 20)
