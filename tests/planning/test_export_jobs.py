"""Exports of large plans: a job with progress, a file kept until the plan changes, the same permissions.

The threshold is lowered to 3 actions here; ``_fill`` gives a plan with one action, so a few more make it
"large" (the setting is 1,000 by default)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from landmosaic.core.jobs import job_run
from landmosaic.core.models import AuditEvent, Job
from landmosaic.planning import miradi, services

from .conftest import API, client_for, make_action
from .miradi_schema import assert_valid_miradi
from .test_plan_pages import _fill


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.PLAN_EXPORT_SYNC_MAX_ACTIONS = 3
    settings.MEDIA_ROOT = tmp_path  # each test starts with no kept files


def _url(cast, fmt):
    return f"/landscapes/{cast.landscape.slug}/plan/export.{fmt}"


def _large(cast):
    objects = _fill(cast)
    for n in range(4):
        make_action(cast, objects["strategy"], title=f"Terrace {n}", budget=100 + n, currency="USD")
    return objects


def _cached(cast) -> list[str]:
    try:
        return sorted(default_storage.listdir(f"{services.report.CACHE_ROOT}/{cast.landscape.pk}")[1])
    except FileNotFoundError:
        return []


def _job_from(response) -> Job:
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=response["Location"].split("/")[2])


def test_a_small_plan_is_exported_on_the_spot_and_not_kept(private_cast, settings):
    settings.PLAN_EXPORT_SYNC_MAX_ACTIONS = 1000
    _large(private_cast)
    response = client_for(private_cast.member).get(_url(private_cast, "json"))
    assert response.status_code == 200 and len(json.loads(response.content)["actions"]) == 5
    assert not Job.objects.exists() and _cached(private_cast) == []


def test_a_large_plan_is_exported_by_a_job_then_served_from_the_kept_file(
    private_cast, django_capture_on_commit_callbacks
):
    cast = private_cast
    _large(cast)
    client = client_for(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_from(client.get(_url(cast, "json")))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.result["url"] == _url(cast, "json")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="{_url(cast, "json")}"' in page  # the job page ends with the link to the file
    assert len(_cached(cast)) == 1

    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    response = client.get(_url(cast, "json"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert len(data["actions"]) == 5 and data["budgets_included"] is True
    assert Job.objects.count() == 1  # served from the kept file, no second job
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == before + 1


def test_the_kept_file_is_replaced_when_the_plan_changes(private_cast, django_capture_on_commit_callbacks):
    cast = private_cast
    objects = _large(cast)
    client = client_for(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        _job_from(client.get(_url(cast, "json")))
    [first] = _cached(cast)
    services.action_save(
        actor=cast.editor, landscape=cast.landscape, action=objects["action"], title="Renamed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _job_from(client.get(_url(cast, "json")))  # a change: a new job, not the old file
    [second] = _cached(cast)
    assert second != first  # the old file is gone
    titles = [a["title"] for a in json.loads(client.get(_url(cast, "json")).content)["actions"]]
    assert "Renamed" in titles


def test_asking_twice_while_the_job_waits_starts_one_job(private_cast):
    _large(private_cast)
    client = client_for(private_cast.member)
    first = _job_from(client.get(_url(private_cast, "xmpz2")))
    second = _job_from(client.get(_url(private_cast, "xmpz2")))
    assert first.pk == second.pk and Job.objects.count() == 1


def test_the_job_reports_its_progress(private_cast):
    _large(private_cast)
    job = _job_from(client_for(private_cast.member).get(_url(private_cast, "xmpz2")))
    reports = []
    job_run(str(job.pk), on_progress=lambda percent, message: reports.append((percent, message)))
    assert [percent for percent, _ in reports] == [10, 40, 90]
    assert all(message for _, message in reports)


def test_a_large_miradi_export_conforms_to_the_schema(private_cast, django_capture_on_commit_callbacks):
    cast = private_cast
    _large(cast)
    client = client_for(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        _job_from(client.get(_url(cast, "xmpz2")))
    response = client.get(_url(cast, "xmpz2"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert_valid_miradi(archive.read(miradi.ENTRY))


def test_who_may_not_see_budgets_gets_their_own_file(public_cast, django_capture_on_commit_callbacks):
    cast = public_cast
    _large(cast)
    for user, budgets in ((cast.member, True), (cast.outsider, False)):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            _job_from(client.get(_url(cast, "json")))
        data = json.loads(client.get(_url(cast, "json")).content)
        assert data["budgets_included"] is budgets
        assert {a["budget"] is None for a in data["actions"]} == {not budgets}
    assert len(_cached(cast)) == 2


def test_visitors_get_a_large_public_plan_on_the_spot(public_cast):
    _large(public_cast)
    response = client_for(public_cast.anonymous).get(_url(public_cast, "json"))
    assert response.status_code == 200 and json.loads(response.content)["budgets_included"] is False
    assert not Job.objects.exists() and len(_cached(public_cast)) == 1


def test_outsiders_get_neither_the_file_nor_the_job(private_cast, django_capture_on_commit_callbacks):
    cast = private_cast
    _large(cast)
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_from(client_for(cast.member).get(_url(cast, "json")))
    outsider = client_for(cast.outsider)
    assert outsider.get(_url(cast, "json")).status_code == 404  # even with the file kept
    assert outsider.get(f"/jobs/{job.pk}/").status_code in (403, 404)
    # A viewer sees the same plan, budgets included (viewers may see budgets): the member's kept file.
    response = client_for(cast.viewer).get(_url(cast, "json"))
    assert response.status_code == 200 and json.loads(response.content)["budgets_included"] is True
    assert Job.objects.count() == 1


def test_the_api_answers_202_with_the_job_then_the_file(private_cast, django_capture_on_commit_callbacks):
    cast = private_cast
    _large(cast)
    client = client_for(cast.member)
    url = f"{API}/landscapes/{cast.landscape.slug}/plan/export.json"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.get(url)
    assert accepted.status_code == 202
    job = accepted.json()["job"]
    assert client.get(job["url"]).json()["status"] == "succeeded"
    response = client.get(url)
    assert response.status_code == 200 and len(json.loads(response.content)["actions"]) == 5
    assert client_for(cast.outsider).get(url).status_code == 404
