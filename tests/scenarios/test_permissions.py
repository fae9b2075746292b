"""Who sees, builds, runs and deletes scenarios, through pages, API and the result datasets' downloads.

Sets and scenarios follow the landscape; results follow the run's land-cover dataset (private to the
members until a manager shares it). Platform superusers get nothing they are not a member for.
"""

from __future__ import annotations

import pytest

from landmosaic.datasets import services as dataset_services
from tests.scenarios.conftest import bau, client_for, ingest_pair, make_set

PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]
MEMBERS = ("viewer", "member", "editor", "manager")
API = "/api/v1"


@pytest.fixture
def finished(private_cast, maps, run_now):
    scenario_set = make_set(private_cast, maps, horizon=2)
    run = run_now(private_cast.editor, bau(scenario_set))
    assert run.succeeded, run.error
    return scenario_set, run


def paths(landscape, scenario_set, run) -> dict[str, str]:
    base = f"/landscapes/{landscape.slug}/scenarios"
    raster, table = run.landcover_dataset, run.table_dataset
    data = f"/landscapes/{landscape.slug}/data"
    return {
        "list": f"{base}/",
        "set page": f"{base}/{scenario_set.pk}/",
        "scenario page": f"{base}/{scenario_set.pk}/s/{bau(scenario_set).pk}/",
        "results": f"{base}/runs/{run.pk}/results/",
        "indicators csv": f"{base}/runs/{run.pk}/indicators.csv",
        "map preview": f"{data}/{raster.slug}/versions/2/quicklook.png",
        "map download": f"{data}/{raster.slug}/versions/2/download/original/",
        "table download": f"{data}/{table.slug}/versions/1/download/csv/",
        "api sets": f"{API}/landscapes/{landscape.slug}/scenario-sets",
        "api set": f"{API}/scenario-sets/{scenario_set.pk}",
        "api run": f"{API}/scenario-runs/{run.pk}",
    }


def test_private_landscape_scenarios_and_results_are_for_members_only(private_cast, finished):
    scenario_set, run = finished
    urls = paths(private_cast.landscape, scenario_set, run)
    for person in PEOPLE:
        client = client_for(private_cast[person])
        expected = 200 if person in MEMBERS else 404
        for name, url in urls.items():
            assert client.get(url).status_code == expected, (person, name)


def test_public_landscape_shows_the_scenarios_but_not_the_unshared_results(public_cast, maps_public, run_now):
    scenario_set = make_set(public_cast, maps_public, horizon=2)
    run = run_now(public_cast.editor, bau(scenario_set))
    urls = paths(public_cast.landscape, scenario_set, run)
    for person in PEOPLE:
        client = client_for(public_cast[person])
        for name in ("list", "set page", "scenario page", "api sets", "api set"):
            assert client.get(urls[name]).status_code == 200, (person, name)
        member = person in MEMBERS
        for name in ("results", "indicators csv", "map download", "api run"):
            assert client.get(urls[name]).status_code == (200 if member else 404), (person, name)
    # A manager shares the results: the land-cover dataset becomes public, and so do the results.
    dataset_services.dataset_set_sharing(
        actor=public_cast.manager, dataset=run.landcover_dataset, visibility="public"
    )
    for person in PEOPLE:
        client = client_for(public_cast[person])
        assert client.get(urls["results"]).status_code == 200, person
        assert client.get(urls["api run"]).json()["landcover_dataset"] is not None, person


@pytest.fixture
def maps_public(public_cast, ingest):
    return ingest_pair(public_cast, ingest)


def test_who_may_build_run_and_delete(private_cast, finished, django_capture_on_commit_callbacks):
    scenario_set, run = finished
    landscape = private_cast.landscape
    scenario = bau(scenario_set)
    expected = {
        "viewer": 403,
        "member": 403,
        "editor": 202,
        "manager": 202,
        "outsider": 404,
        "superuser": 404,
    }
    for person, status in expected.items():
        with django_capture_on_commit_callbacks(execute=False):
            response = client_for(private_cast[person]).post(
                f"{API}/scenarios/{scenario.pk}/runs", data={}, content_type="application/json"
            )
        assert response.status_code == status, (person, response.content)
    page = f"/landscapes/{landscape.slug}/scenarios/{scenario_set.pk}/"
    assert client_for(private_cast.member).post(f"{page}legend/", {}).status_code == 403
    assert client_for(private_cast.editor).get(f"{page}delete/").status_code == 403
    assert client_for(private_cast.editor).delete(f"{API}/scenario-sets/{scenario_set.pk}").status_code == 403
    assert (
        client_for(private_cast.superuser).delete(f"{API}/scenario-sets/{scenario_set.pk}").status_code == 404
    )
    assert (
        client_for(private_cast.manager).delete(f"{API}/scenario-sets/{scenario_set.pk}").status_code == 204
    )
    # The run's datasets stay in the commons when the set goes.
    run.landcover_dataset.refresh_from_db()
