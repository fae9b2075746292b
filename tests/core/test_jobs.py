"""Jobs: queued after commit, run by the real database worker, progress and failure visible."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.jobs import JobContext, job_handler, job_run, job_start
from landmosaic.core.models import Job
from landmosaic.core.permissions import Role
from tests.factories import LandscapeFactory, UserFactory, member

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@job_handler("tests.echo")
def _echo(context: JobContext):
    context.progress(50, "halfway")
    if context.params.get("fail"):
        raise ValidationFailed("Row 7 has no latitude.")
    if context.params.get("crash"):
        raise RuntimeError("boom")
    return {"echo": context.params["value"]}


@pytest.mark.django_db
def test_job_runs_once_and_records_its_result(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tests.echo", actor=user, params={"value": 42})
    assert job.status == Job.Status.QUEUED and len(callbacks) == 1  # enqueued only on commit
    job = job_run(str(job.pk))
    assert (job.status, job.progress, job.result) == (Job.Status.SUCCEEDED, 100, {"echo": 42})
    finished_at = job.finished_at
    assert job_run(str(job.pk)).finished_at == finished_at  # idempotent: not run twice


@pytest.mark.django_db
def test_failures_are_visible_with_their_message():
    user = UserFactory()
    failed = job_run(str(job_start(kind="tests.echo", actor=user, params={"fail": True}).pk))
    assert failed.status == Job.Status.FAILED and failed.error == "Row 7 has no latitude."
    crashed = job_run(str(job_start(kind="tests.echo", actor=user, params={"crash": True}).pk))
    assert crashed.status == Job.Status.FAILED and "unexpectedly" in crashed.error
    assert "RuntimeError" in crashed.params["_trace"]


@pytest.mark.django_db
def test_jobs_are_visible_to_their_creator_only(private_cast):
    job = job_start(
        kind="tests.echo",
        actor=private_cast.editor,
        landscape_id=private_cast.landscape.pk,
        params={"value": 1},
    )
    for person, status in [("editor", 200), ("manager", 200), ("member", 403), ("outsider", 404)]:
        client = Client()
        client.force_login(private_cast[person])
        assert client.get(f"/api/v1/jobs/{job.pk}").status_code == status, person
    client = Client()
    client.force_login(private_cast.editor)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<progress" in html and 'hx-trigger="every 2s"' in html


def _big_geojson(vertices: int) -> bytes:
    ring = [[10 + 0.1 * i / vertices, 10.0] for i in range(vertices)]
    ring += [[10.1, 10.1], [10.0, 10.1], [10.0, 10.0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS, BOUNDARY_JOB_THRESHOLD_BYTES=1000)
def test_large_boundary_upload_is_parsed_by_the_real_worker():
    landscape = LandscapeFactory(boundary_geojson=None, boundary_kind="none", area_ha=None)
    editor = member(landscape, Role.EDITOR)
    client = Client()
    client.force_login(editor)
    data = _big_geojson(2000)
    upload = io.BytesIO(data)
    upload.name = "big.geojson"
    response = client.post(f"/api/v1/landscapes/{landscape.slug}/boundary/upload", {"file": upload})
    assert response.status_code == 202, response.content
    job_id = response.json()["job"]["id"]
    assert client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "queued"
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0
    )
    body = client.get(f"/api/v1/jobs/{job_id}").json()
    assert body["status"] == "succeeded", body
    assert body["progress"] == 100 and body["result"]["vertices"] > 2000
    landscape.refresh_from_db()
    assert landscape.boundary_kind == "polygon" and landscape.area_ha > 0


@job_handler("tests.progress_probe")
def _progress_probe(context: JobContext):
    context.progress(40, "reading")
    # What another connection (the web page polling the job) sees while the job is still running:
    # a thread gets its own database connection.
    seen = []

    def poll():
        seen.extend(Job.objects.filter(pk=context.job.pk).values_list("progress", "message").get())
        connection.close()

    thread = threading.Thread(target=poll)
    thread.start()
    thread.join()
    return {"seen": seen}


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_job_runs():
    job = job_start(kind="tests.progress_probe", actor=UserFactory(), params={})
    job = job_run(str(job.pk))
    assert job.result == {"seen": [40, "reading"]}
