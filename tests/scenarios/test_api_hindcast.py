"""Hindcasts through the REST API: started by editors, read by whoever sees the set, refused clearly."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from django.apps import apps as django_apps

from landmosaic.core.jobs import job_cancel
from landmosaic.core.models import Job
from landmosaic.datasets.services import dataset_delete
from landmosaic.scenarios.models import Hindcast, ScenarioSet
from tests.scenarios.conftest import NODATA, client_for, geotiff, land_cover_pair
from tests.scenarios.test_drivers import distance_from_north
from tests.scenarios.test_hindcast import later_map

API = "/api/v1"


@pytest.fixture
def third(private_cast, ingest):
    return ingest(private_cast.landscape, private_cast.editor, geotiff(later_map()), "landcover_2025.tif")


def start(client, set_id: int, body: dict):
    return client.post(f"{API}/scenario-sets/{set_id}/hindcasts", body, content_type="application/json")


def test_an_editor_runs_a_hindcast_and_viewers_read_its_figures(
    private_cast, scenario_set, third, django_capture_on_commit_callbacks
):
    editor = client_for(private_cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(editor, scenario_set.pk, {"later_dataset_id": third.pk, "later_year": 2025})
    assert response.status_code == 202, response.content
    accepted = response.json()["hindcast"]
    assert accepted["status"] == "queued" and accepted["model"] is None  # the job runs after the commit
    assert accepted["job"]["url"] == f"{API}/jobs/{accepted['job']['id']}"

    body = editor.get(accepted["url"]).json()
    assert body["status"] == "succeeded" and body["progress"] == 100, body["error"]
    assert body["later_map"] == {"dataset_id": third.pk, "version": 1, "title": third.title, "year": 2025}
    assert body["calibration_years"] == [2015, 2020]
    assert body["inputs"]["window"] == 3 and body["inputs"]["drivers"] == []

    _before, after = land_cover_pair()
    observed_change = int(np.count_nonzero((later_map() != after) & (after != NODATA)))
    model, null = body["model"], body["null_model"]
    assert (null["hits"], null["misses"], null["false_alarms"]) == (0, observed_change, 0)
    assert null["figure_of_merit"] == 0.0
    assert model["hits"] + model["misses"] + model["wrong_hits"] == observed_change
    errors = model["misses"] + model["wrong_hits"] + model["false_alarms"]
    assert model["figure_of_merit"] == pytest.approx(model["hits"] / (model["hits"] + errors), abs=1e-6)
    assert 0 < model["figure_of_merit"] <= 1
    for figures in (model, null):
        assert 0 <= figures["quantity_disagreement"] + figures["allocation_disagreement"] <= 1

    viewer = client_for(private_cast.viewer)
    listed = viewer.get(f"{API}/scenario-sets/{scenario_set.pk}/hindcasts")
    assert listed.status_code == 200 and [h["id"] for h in listed.json()] == [body["id"]]
    assert viewer.get(body["url"]).json() == body
    # The set's page shows the same figures as its last hindcast.
    scenario_set.refresh_from_db()
    assert scenario_set.hindcast["model"] == model


def test_who_may_start_and_read_hindcasts(
    private_cast, scenario_set, third, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = start(
            client_for(private_cast.editor),
            scenario_set.pk,
            {"later_dataset_id": third.pk, "later_year": 2025},
        )
    url = started.json()["hindcast"]["url"]
    listing = f"{API}/scenario-sets/{scenario_set.pk}/hindcasts"
    body = {"later_dataset_id": third.pk, "later_year": 2024}
    viewer = client_for(private_cast.viewer)
    assert start(viewer, scenario_set.pk, body).status_code == 403  # viewers read, editors run
    assert viewer.get(url).status_code == 200
    for stranger in (private_cast.outsider, private_cast.anonymous):
        client = client_for(stranger)
        assert client.get(url).status_code == 404
        assert client.get(listing).status_code == 404
    assert start(client_for(private_cast.outsider), scenario_set.pk, body).status_code == 404
    assert client_for(private_cast.anonymous).post(
        listing, body, content_type="application/json"
    ).status_code in (
        401,
        404,
    )
    assert Hindcast.objects.count() == 1
    assert client_for(private_cast.editor).get(f"{API}/scenario-hindcasts/999999").status_code == 404


def test_bad_requests_get_a_clear_error_and_store_nothing(private_cast, scenario_set, maps, third, ingest):
    editor = client_for(private_cast.editor)
    distance = distance_from_north(ingest, private_cast.landscape, private_cast.editor)
    refused = {
        "the set's own map": ({"later_dataset_id": maps[1].pk, "later_year": 2025}, "Choose a third map"),
        "a measure": ({"later_dataset_id": distance.pk, "later_year": 2025}, "measured values"),
        "an unknown dataset": ({"later_dataset_id": 999999, "later_year": 2025}, "was not found"),
        "a year before the second map": ({"later_dataset_id": third.pk, "later_year": 2020}, "from 2021"),
    }
    for case, (body, message) in refused.items():
        response = start(editor, scenario_set.pk, body)
        assert response.status_code == 400, case
        assert message in response.json()["error"]["message"], case
    assert start(editor, scenario_set.pk, {"later_year": 2025}).status_code == 422
    assert not Hindcast.objects.exists() and not Job.objects.filter(kind="scenarios.hindcast").exists()


def test_a_hindcast_under_way_is_not_started_twice(private_cast, scenario_set, third):
    editor = client_for(private_cast.editor)
    body = {"later_dataset_id": third.pk, "later_year": 2025}
    first = start(editor, scenario_set.pk, body)  # no worker here: it stays queued
    assert first.status_code == 202
    again = start(editor, scenario_set.pk, body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "hindcast_under_way"
    assert Hindcast.objects.count() == 1
    # Once its job has ended without it (cancelled while queued), it may be asked for again.
    job_cancel(job=Job.objects.get(pk=first.json()["hindcast"]["job"]["id"]))
    assert editor.get(first.json()["hindcast"]["url"]).json()["status"] == "cancelled"
    assert start(editor, scenario_set.pk, body).status_code == 202


def test_a_set_whose_map_was_deleted_cannot_be_hindcast(private_cast, scenario_set, maps, third):
    dataset_delete(actor=private_cast.manager, dataset=maps[0])
    response = start(
        client_for(private_cast.editor), scenario_set.pk, {"later_dataset_id": third.pk, "later_year": 2025}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "map_deleted"
    assert "was deleted" in response.json()["error"]["message"]
    assert not Hindcast.objects.exists()


def test_a_hindcast_kept_on_the_set_before_hindcasts_had_rows_is_listed(private_cast, scenario_set, third):
    comparison = {"hits": 1, "misses": 2, "wrong_hits": 0, "false_alarms": 1, "figure_of_merit": 0.25,
                  "quantity_disagreement": 0.0, "allocation_disagreement": 0.01}  # fmt: skip
    figures = {"t2_dataset_id": third.pk, "t2_version": 1, "t2_title": third.title, "t2_year": 2025,
               "calibration": [2015, 2020], "model": comparison, "null": comparison,
               "matrix_method": "eigen", "inputs": None}  # fmt: skip
    ScenarioSet.objects.filter(pk=scenario_set.pk).update(hindcast=figures)
    migration = importlib.import_module("landmosaic.scenarios.migrations.0006_hindcasts")
    migration.keep_earlier_hindcasts(django_apps, None)

    listed = client_for(private_cast.viewer).get(f"{API}/scenario-sets/{scenario_set.pk}/hindcasts").json()
    assert len(listed) == 1
    assert (listed[0]["status"], listed[0]["job"], listed[0]["progress"]) == ("succeeded", None, 100)
    assert listed[0]["later_map"] == {
        "dataset_id": third.pk,
        "version": 1,
        "title": third.title,
        "year": 2025,
    }
    assert listed[0]["model"] == comparison
