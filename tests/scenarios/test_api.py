"""The REST API: sets, scenarios and runs as a script would use them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from landmosaic.scenarios.models import Run, ScenarioSet
from tests.scenarios.conftest import BUILT, CROPS, POOLS_CSV, TREES, client_for, lonlat_box

API = "/api/v1"


def test_a_script_builds_runs_and_reads_a_scenario(private_cast, maps, django_capture_on_commit_callbacks):
    client = client_for(private_cast.editor)
    slug = private_cast.landscape.slug
    response = client.post(
        f"{API}/landscapes/{slug}/scenario-sets",
        data={
            "title": "Kilombero",
            "first_dataset_id": maps[0].pk,
            "first_year": 2015,
            "second_dataset_id": maps[1].pk,
            "second_year": 2020,
            "horizon_years": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    set_id = body["id"]
    assert body["legend"][0]["name"] == "Tree cover" and body["second_map"]["year"] == 2020
    assert [s["kind"] for s in body["scenarios"]] == ["bau"]
    assert "change" in body["allowed_actions"] and "delete" not in body["allowed_actions"]

    response = client.post(
        f"{API}/scenario-sets/{set_id}/tables/carbon_pools", data={"file": _file(POOLS_CSV)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["carbon_pools"][0]["c_above"] == 120

    pools = response.json()["carbon_pools"]
    pools[0]["c_soil"] = "lots"
    response = client.patch(
        f"{API}/scenario-sets/{set_id}",
        data={"carbon_price": 12.5, "carbon_pools": pools},
        content_type="application/json",
    )
    assert response.status_code == 422  # not a number: refused by the schema, nothing changed
    assert ScenarioSet.objects.get(pk=set_id).carbon_price == 0

    response = client.patch(
        f"{API}/scenario-sets/{set_id}",
        data={"carbon_price": 12.5, "legend": [{**body["legend"][0], "name": "Miombo"}, *body["legend"][1:]]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["carbon_price"], response.json()["legend"][0]["name"]) == (12.5, "Miombo")

    response = client.post(
        f"{API}/scenario-sets/{set_id}/scenarios",
        data={
            "name": "Restore and protect",
            "interventions": [
                {"kind": "protect", "zone": lonlat_box((10, 30), (5, 45))},
                {"kind": "restore", "from_class": CROPS, "to_class": TREES, "hectares_per_year": 10},
                {"kind": "rate", "from_class": TREES, "to_class": CROPS, "percent": 50, "start_year": 2022},
                {"kind": "expand_settlement", "to_class": BUILT, "percent": 150},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    scenario = response.json()
    assert [i["start_year"] for i in scenario["interventions"]] == [2021, 2021, 2022, 2021]
    assert scenario["interventions"][2]["description"].startswith(
        "From 2022, Miombo turns into Cropland at 50%"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/scenarios/{scenario['id']}/runs", data={}, content_type="application/json"
        )
    assert response.status_code == 202, response.content
    run = response.json()["run"]
    assert run["job"]["url"] == f"{API}/jobs/{run['job']['id']}"

    response = client.get(f"{API}/scenario-runs/{run['id']}")
    body = response.json()
    assert body["status"] == "succeeded" and body["progress"] == 100
    assert body["indicators"]["years"] == [2020, 2021, 2022, 2023]
    assert body["indicators"]["restored_ha"][-1] >= 30
    assert body["landcover_dataset"]["url"] == f"{API}/datasets/{body['landcover_dataset']['id']}"

    response = client.get(f"{API}/scenario-runs/{run['id']}/indicators.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = response.content.decode().splitlines()[0]
    assert header == (
        "year,area_ha_10,area_ha_30,area_ha_40,area_ha_50,area_ha_80,carbon_mg,carbon_value,"
        "restored_ha,degraded_ha,water,income"
    )

    response = client.patch(
        f"{API}/scenarios/{scenario['id']}",
        data={"interventions": [{"kind": "protect"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "zone" in response.json()["error"]["details"]

    response = client.delete(f"{API}/scenarios/{scenario['id']}")
    assert response.status_code == 403  # deleting is a manager's call
    assert client_for(private_cast.manager).delete(f"{API}/scenarios/{scenario['id']}").status_code == 204
    assert not Run.objects.filter(pk=run["id"]).exists()


def test_bad_maps_get_a_clear_error_in_the_api(private_cast, maps):
    response = client_for(private_cast.editor).post(
        f"{API}/landscapes/{private_cast.landscape.slug}/scenario-sets",
        data={
            "title": "Same map twice",
            "first_dataset_id": maps[1].pk,
            "first_year": 2015,
            "second_dataset_id": maps[1].pk,
            "second_year": 2020,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "two different maps" in response.json()["error"]["message"]


def _file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("pools.csv", data, content_type="text/csv")


def test_drivers_and_land_that_never_changes_through_the_api(private_cast, scenario_set, ingest):
    from tests.scenarios.test_drivers import distance_from_north
    from tests.scenarios.test_no_change import reserve_layer

    driver = distance_from_north(ingest, private_cast.landscape, private_cast.editor)
    layer = reserve_layer(private_cast, ingest)
    editor = client_for(private_cast.editor)
    url = f"{API}/scenario-sets/{scenario_set.pk}"
    body = [{"dataset_id": driver.pk, "weight": 2, "effect": "repels"}]
    response = editor.put(f"{url}/drivers", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["drivers"] == [{**body[0], "weight": 2.0, "version": 1, "title": driver.title}]
    response = editor.put(
        f"{url}/no-change", {"classes": [TREES], "zone_dataset_id": layer.pk}, content_type="application/json"
    )
    assert response.json()["no_change"] == {"classes": [TREES], "zone_dataset_id": layer.pk,
                                            "zone_title": layer.title}  # fmt: skip
    bad = editor.put(f"{url}/drivers", [{**body[0], "weight": 0}], content_type="application/json")
    assert bad.status_code == 400 and "weight above 0" in bad.json()["error"]["message"]
    response = editor.put(f"{url}/zones", {"zone_dataset_id": layer.pk}, content_type="application/json")
    assert response.json()["report_zones"] == {"zone_dataset_id": layer.pk, "title": layer.title,
                                               "names": ["Reserve"]}  # fmt: skip
    viewer = client_for(private_cast.viewer)
    assert viewer.get(url).json()["drivers"][0]["dataset_id"] == driver.pk
    assert viewer.put(f"{url}/drivers", [], content_type="application/json").status_code == 403
