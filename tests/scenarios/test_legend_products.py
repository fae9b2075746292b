"""Default legends of common products: ESA WorldCover (recognised from its codes), Esri / Impact
Observatory 10-class LULC and Google Dynamic World (chosen, since their small codes are also custom
maps' codes), through the legend builder, the set service, the set form and the API."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from landmosaic.datasets.models import Dataset
from landmosaic.scenarios import legends, services
from landmosaic.scenarios.models import ClassRole, ScenarioSet
from tests.scenarios.conftest import client_for, geotiff

API = "/api/v1"


def by_code(legend):
    return {e["code"]: e for e in legend}


def test_esri_10_class_lulc_gets_its_names_colours_and_kinds_of_land():
    legend = by_code(legends.default_legend([1, 2, 4, 5, 7, 8, 9, 10, 11], product="esri_lulc"))
    assert [(c, e["name"], e["colour"]) for c, e in legend.items()] == [
        (1, "Water", "#419bdf"),
        (2, "Trees", "#397d49"),
        (4, "Flooded vegetation", "#7a87c6"),
        (5, "Crops", "#e49635"),
        (7, "Built area", "#c4281b"),
        (8, "Bare ground", "#a59b8f"),
        (9, "Snow and ice", "#a8ebff"),
        (10, "Clouds", "#616161"),
        (11, "Rangeland", "#e3e2c3"),
    ]
    roles = {c: e["role"] for c, e in legend.items()}
    assert roles[2] == roles[4] == roles[11] == ClassRole.NATURAL
    assert (roles[5], roles[7], roles[1], roles[9]) == (ClassRole.FARMED, ClassRole.BUILT, "water", "water")
    # Crops and built area turned into trees count as restoration; water never does.
    restoration, degradation = legends.restoration_pairs(legend.values())
    assert (5, 2) in restoration and (7, 2) in restoration and (2, 5) in degradation
    assert all(1 not in pair for pair in restoration + degradation)


def test_dynamic_world_from_water_0_to_snow_and_ice_8():
    legend = legends.default_legend(range(9), product="dynamic_world")
    assert [e["name"] for e in legend] == [
        "Water", "Trees", "Grass", "Flooded vegetation", "Crops", "Shrub and scrub", "Built", "Bare",
        "Snow and ice",
    ]  # fmt: skip
    assert [e["colour"] for e in legend][:2] == ["#419bdf", "#397d49"] and legend[8]["colour"] == "#b39fe1"
    assert legend[4]["role"] == ClassRole.FARMED and legend[6]["role"] == ClassRole.BUILT


def test_codes_a_product_lacks_are_numbered_classes_with_the_map_s_own_colour():
    legend = by_code(legends.default_legend([2, 3, 42], product="esri_lulc", colormap={3: (1, 2, 3, 255)}))
    assert legend[2]["name"] == "Trees"
    assert (legend[3]["name"], legend[3]["colour"], legend[3]["role"]) == ("Class 3", "#010203", "other")
    assert legend[42]["name"] == "Class 42"


def test_auto_recognises_worldcover_only_and_custom_names_nothing():
    assert legends.default_legend([10, 40])[0]["name"] == "Tree cover"
    # Esri's codes are small numbers like any custom map's: never guessed.
    assert [e["name"] for e in legends.default_legend([1, 2, 5])] == ["Class 1", "Class 2", "Class 5"]
    assert legends.default_legend([10, 40], product="custom")[0]["name"] == "Class 10"


def test_product_names_are_written_in_the_language_of_whoever_makes_the_set():
    """Names are looked up in the catalogue when the legend is made (the ones French already has)."""
    with translation.override("fr"):
        dynamic_world = legends.default_legend([0, 8], product="dynamic_world")
        esri = legends.default_legend([1, 9], product="esri_lulc")
    assert [e["name"] for e in dynamic_world] == ["Eau", "Neige et glace"]
    assert [e["name"] for e in esri] == ["Eau", "Neige et glace"]


@pytest.fixture
def esri_maps(private_cast, ingest) -> tuple[Dataset, Dataset]:
    rng = np.random.default_rng(5)
    before = rng.choice(np.array([1, 2, 5, 7, 11], dtype=np.uint8), size=(30, 30))
    after = before.copy()
    after[:5, :] = 5
    landscape, editor = private_cast.landscape, private_cast.editor
    return (
        ingest(landscape, editor, geotiff(before, nodata=None), "esri_2018.tif"),
        ingest(landscape, editor, geotiff(after, nodata=None), "esri_2022.tif"),
    )


def test_the_set_form_offers_the_products_and_starts_the_legend_from_the_chosen_one(private_cast, esri_maps):
    client = client_for(private_cast.editor)
    base = f"/landscapes/{private_cast.landscape.slug}/scenarios/"
    html = client.get(f"{base}new/").content.decode()
    for value in ("auto", "worldcover", "esri_lulc", "dynamic_world", "custom"):
        assert f'<option value="{value}"' in html
    response = client.post(
        f"{base}new/",
        {
            "title": "Esri 2018-2022",
            "t0_dataset": esri_maps[0].pk,
            "t0_year": 2018,
            "t1_dataset": esri_maps[1].pk,
            "t1_year": 2022,
            "horizon_years": 5,
            "legend_product": "esri_lulc",
        },
    )
    scenario_set = ScenarioSet.objects.get()
    assert response.status_code == 302
    assert [(e["code"], e["name"]) for e in scenario_set.legend] == [
        (1, "Water"), (2, "Trees"), (5, "Crops"), (7, "Built area"), (11, "Rangeland"),
    ]  # fmt: skip
    page = client.get(f"{base}{scenario_set.pk}/").content.decode()
    assert 'name="name_5" value="Crops"' in page and 'value="#e49635"' in page


def test_the_api_takes_a_product_and_refuses_an_unknown_one(private_cast, esri_maps):
    client = client_for(private_cast.editor)
    payload = {
        "title": "Esri 2018-2022",
        "first_dataset_id": esri_maps[0].pk,
        "first_year": 2018,
        "second_dataset_id": esri_maps[1].pk,
        "second_year": 2022,
    }
    url = f"{API}/landscapes/{private_cast.landscape.slug}/scenario-sets"
    response = client.post(url, data={**payload, "legend": "corine"}, content_type="application/json")
    assert response.status_code == 400
    assert "Unknown legend “corine”" in response.json()["error"]["message"]
    assert not ScenarioSet.objects.exists()

    response = client.post(url, data={**payload, "legend": "esri_lulc"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert ScenarioSet.objects.get().legend[1] == {
        "code": 2, "name": "Trees", "colour": "#397d49", "role": "natural",
    }  # fmt: skip
    # Without the field: recognised automatically, and these codes are not WorldCover's.
    response = client.post(url, data={**payload, "title": "Auto"}, content_type="application/json")
    assert response.status_code == 201
    assert ScenarioSet.objects.get(title="Auto").legend[1]["name"] == "Class 2"


def test_the_service_refuses_an_unknown_product_before_reading_the_maps(private_cast, esri_maps):
    from landmosaic.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        services.scenario_set_create(
            actor=private_cast.editor, landscape=private_cast.landscape, title="x",
            t0_dataset_id=esri_maps[0].pk, t1_dataset_id=esri_maps[1].pk, t0_year=2018, t1_year=2022,
            legend_product="glc",
        )  # fmt: skip
    assert error.value.details == {"legend_product": ["Choose a legend from the list."]}
