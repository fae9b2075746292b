"""A zone inside the maps' extent that covers only cells without data is refused when the intervention is
saved (page and API), with a message naming the intervention, and nothing is saved; a zone meeting a
single valid cell is accepted. Row 0 of the test maps is nodata, inside their bounding box."""

from __future__ import annotations

import json

import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios import commons, services
from landmosaic.scenarios.models import Scenario
from tests.scenarios.conftest import CROPS, TREES, client_for, lonlat_box
from tests.scenarios.test_no_change import reserve_layer

API = "/api/v1"
#: Over row 0 only: no data there.
NODATA_STRIP = lonlat_box((0, 1), (5, 45))


def restore(zone: dict) -> dict:
    return {
        "kind": "restore",
        "start_year": 2021,
        "from_class": CROPS,
        "to_class": TREES,
        "hectares_per_year": 5,
        "zone": zone,
    }


def refusal(scenario_set, number: int) -> str:
    return (
        f"Intervention {number}: The zone covers only cells without data on the land-cover map "
        f"{commons.version_label(scenario_set.t1_version)}: draw it over the landscape's land, or choose "
        "another layer."
    )


def test_the_service_refuses_a_zone_over_nodata_only_and_saves_nothing(private_cast, scenario_set):
    count = Scenario.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.scenario_create(
            actor=private_cast.editor,
            scenario_set=scenario_set,
            name="Edge strip",
            interventions=[{"kind": "protect", "zone": lonlat_box((10, 30), (5, 45))}, restore(NODATA_STRIP)],
        )
    assert caught.value.message == refusal(scenario_set, 2)
    assert caught.value.code == "invalid_intervention" and "zone" in caught.value.details
    assert Scenario.objects.count() == count

    # A zone reaching one row further meets valid cells: accepted.
    scenario = services.scenario_create(
        actor=private_cast.editor,
        scenario_set=scenario_set,
        name="Edge and land",
        interventions=[restore(lonlat_box((0, 2), (5, 45)))],
    )
    assert scenario.interventions[0]["zone_source"]["type"] == "drawn"


def test_a_map_layer_whose_areas_lie_over_nodata_only_is_refused_too(private_cast, scenario_set, ingest):
    feature = {"type": "Feature", "properties": {"name": "Strip"}, "geometry": NODATA_STRIP}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    layer = ingest(private_cast.landscape, private_cast.editor, data, "strip.geojson")
    scenario = services.scenario_create(actor=private_cast.editor, scenario_set=scenario_set, name="Layer")
    with pytest.raises(ValidationFailed) as caught:
        services.intervention_add(
            actor=private_cast.editor,
            scenario=scenario,
            data={"kind": "protect", "zone_dataset_id": layer.pk},
        )
    assert caught.value.message == refusal(scenario_set, 1)
    scenario.refresh_from_db()
    assert scenario.interventions == []

    reserve = reserve_layer(private_cast, ingest)
    services.intervention_add(
        actor=private_cast.editor, scenario=scenario, data={"kind": "protect", "zone_dataset_id": reserve.pk}
    )
    scenario.refresh_from_db()
    assert scenario.interventions[0]["zone_source"]["dataset_id"] == reserve.pk


def test_the_page_shows_the_refusal_next_to_the_zone_and_adds_nothing(private_cast, scenario_set):
    scenario = services.scenario_create(
        actor=private_cast.editor,
        scenario_set=scenario_set,
        name="Page",
        interventions=[{"kind": "protect", "zone": lonlat_box((10, 30), (5, 45))}],
    )
    client = client_for(private_cast.editor)
    form = {key: value for key, value in restore(NODATA_STRIP).items() if key != "zone"}
    response = client.post(
        f"{scenario.get_absolute_url()}interventions/", {**form, "zone": json.dumps(NODATA_STRIP)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Intervention 2 was not added: correct what is marked." in page
    label = commons.version_label(scenario_set.t1_version)
    assert f"The zone covers only cells without data on the land-cover map {label}: draw it over" in page
    scenario.refresh_from_db()
    assert len(scenario.interventions) == 1

    zone = json.dumps(lonlat_box((1, 10), (5, 45)))
    response = client.post(f"{scenario.get_absolute_url()}interventions/", {**form, "zone": zone})
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert len(scenario.interventions) == 2


def test_the_api_refuses_it_on_create_and_on_replace_with_a_400(private_cast, scenario_set):
    client = client_for(private_cast.editor)
    count = Scenario.objects.count()
    response = client.post(
        f"{API}/scenario-sets/{scenario_set.pk}/scenarios",
        data={"name": "Edge strip", "interventions": [restore(NODATA_STRIP)]},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["message"] == refusal(scenario_set, 1) and "zone" in error["details"]
    assert Scenario.objects.count() == count

    inside = [restore(lonlat_box((1, 10), (5, 45)))]
    response = client.post(
        f"{API}/scenario-sets/{scenario_set.pk}/scenarios",
        data={"name": "Inside", "interventions": inside},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    scenario_id = response.json()["id"]
    response = client.patch(
        f"{API}/scenarios/{scenario_id}",
        data={"interventions": [*inside, restore(NODATA_STRIP)]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == refusal(scenario_set, 2)
    assert len(Scenario.objects.get(pk=scenario_id).interventions) == 1
