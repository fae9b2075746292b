"""The same record sent twice at the same instant (a phone retrying while its first upload is still
being processed) gives exactly one record, through a live server and the database's constraint.

pytest-django's ``live_server`` hands its one in-memory SQLite connection to every request thread,
so two requests could never hold two transactions at once. The server here lets each request thread
open its own connection (to the same shared-cache test database on SQLite), as the workers of a
production server do, so the two requests really race on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import http.client
import threading
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.test.testcases import LiveServerThread

from landmosaic.fieldwork.models import Attachment, Submission
from tests.fieldwork.conftest import JPEG, collect_with_token, publish_tree_form, submission_xml
from tests.fieldwork.test_transfer import BOUNDARY, multipart

ROUNDS = 4


def post(base: str, secret: str, body: bytes) -> tuple[int, bytes]:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request(
            "POST",
            f"/collect/{secret}/submission",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "X-OpenRosa-Version": "1.0",
            },
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def send_together(base: str, secret: str, body: bytes, senders: int = 2) -> list[tuple[int, bytes]]:
    """Each sender waits at the barrier with its request ready, then all send at once."""
    barrier = threading.Barrier(senders)
    results: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(post(base, secret, body))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not errors, errors
    return results


@pytest.fixture
def server_url(transactional_db):
    """A threaded live server whose request threads use their own database connections."""
    thread = LiveServerThread("localhost", lambda handler: handler, connections_override=None)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait(timeout=30)
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


def test_identical_submissions_at_the_same_instant_make_one_record(server_url, private_cast):
    form = publish_tree_form(private_cast.landscape, private_cast.editor)
    _collect, _access, secret = collect_with_token(private_cast.landscape, private_cast.editor)
    instances = [f"uuid:{uuid.uuid4()}" for _ in range(ROUNDS)]
    for instance in instances:
        body = multipart(submission_xml(instance_id=instance, photo="same.jpg"), {"same.jpg": JPEG * 200})
        results = send_together(server_url, secret, body)
        # Both answers are successes: the phone that retried must not keep the record as failed.
        assert [status for status, _content in results] == [201, 201], results
        assert all(b"submit_success" in content for _status, content in results)
    assert sorted(Submission.objects.filter(form=form).values_list("instance_id", flat=True)) == sorted(
        instances
    )
    assert Attachment.objects.filter(submission__form=form).count() == ROUNDS  # one photo each, not two

    # Whatever the service does, the database itself refuses a second row for one instance of a form.
    first = Submission.objects.get(instance_id=instances[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            form=form,
            form_version=first.form_version,
            instance_id=first.instance_id,
            record_id="x",
            xml="<x/>",
        )
