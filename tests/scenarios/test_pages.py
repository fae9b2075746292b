"""The pages, walked as an editor would: from two maps to a results page with maps, charts and words."""

from __future__ import annotations

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from landmosaic.scenarios import services
from landmosaic.scenarios.models import Run, Scenario, ScenarioSet
from tests.scenarios.conftest import POOLS_CSV, client_for, ingest_pair, lonlat_box


def test_without_two_maps_the_page_explains_where_to_upload_them(private_cast):
    client = client_for(private_cast.editor)
    response = client.get(f"/landscapes/{private_cast.landscape.slug}/scenarios/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload two land-cover maps" in html
    assert f"/landscapes/{private_cast.landscape.slug}/data/upload/" in html
    # A viewer is not asked to upload anything.
    html = (
        client_for(private_cast.viewer).get(f"/landscapes/{private_cast.landscape.slug}/scenarios/").content
    )
    assert b"Upload two land-cover maps" not in html and b"No scenarios yet." in html


def test_the_landscape_page_links_to_its_scenarios(private_cast):
    html = client_for(private_cast.viewer).get(f"/landscapes/{private_cast.landscape.slug}/").content.decode()
    assert f'href="/landscapes/{private_cast.landscape.slug}/scenarios/"' in html


def test_an_editor_goes_from_two_maps_to_results(private_cast, ingest, django_capture_on_commit_callbacks):
    first, second = ingest_pair(private_cast, ingest)
    client = client_for(private_cast.editor)
    base = f"/landscapes/{private_cast.landscape.slug}/scenarios/"

    html = client.get(f"{base}new/").content.decode()
    assert f'<option value="{first.pk}">' in html
    response = client.post(
        f"{base}new/",
        {
            "title": "Kilombero",
            "t0_dataset": first.pk,
            "t0_year": 2015,
            "t1_dataset": second.pk,
            "t1_year": 2020,
            "horizon_years": 3,
        },
    )
    scenario_set = ScenarioSet.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}{scenario_set.pk}/"

    page = client.get(f"{base}{scenario_set.pk}/").content.decode()
    assert "Every carbon density is still 0" in page
    assert 'name="name_10" value="Tree cover"' in page and 'type="color"' in page

    # A table with a wrong value: refused, row and column named, nothing saved.
    form = {
        f"{c}_{code}": "0"
        for code in (10, 30, 40, 50, 80)
        for c in ("c_above", "c_below", "c_soil", "c_dead")
    }
    form["c_soil_40"] = "a lot"
    response = client.post(f"{base}{scenario_set.pk}/tables/carbon_pools/", form)
    assert response.status_code == 400
    assert "c_soil is “a lot”, not a number" in response.content.decode()

    bad_csv = SimpleUploadedFile("pools.csv", b"lucode,c_above,c_below,c_soil,c_dead\n10,1,1,x,1\n")
    response = client.post(
        f"{base}{scenario_set.pk}/tables/carbon_pools/import/", {"carbon_pools-file": bad_csv}
    )
    assert response.status_code == 400 and "Row 2: c_soil is “x”, not a number." in response.content.decode()
    good_csv = SimpleUploadedFile("pools.csv", POOLS_CSV)
    response = client.post(
        f"{base}{scenario_set.pk}/tables/carbon_pools/import/", {"carbon_pools-file": good_csv}
    )
    assert response.status_code == 302
    scenario_set.refresh_from_db()
    assert scenario_set.carbon_pools[0]["c_above"] == 120

    legend = {f"name_{e['code']}": e["name"] for e in scenario_set.legend}
    legend |= {f"colour_{e['code']}": e["colour"] for e in scenario_set.legend}
    legend |= {f"role_{e['code']}": e["role"] for e in scenario_set.legend}
    legend |= {"new_code": "95", "new_name": "Agroforestry", "new_colour": "#8c6d31", "new_role": "farmed"}
    assert client.post(f"{base}{scenario_set.pk}/legend/", legend).status_code == 302
    scenario_set.refresh_from_db()
    assert scenario_set.class_name(95) == "Agroforestry"

    response = client.post(f"{base}{scenario_set.pk}/new/", {"name": "Agroforestry belt"})
    scenario = Scenario.objects.get(name="Agroforestry belt")
    assert response["Location"] == scenario.get_absolute_url()
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert "data-lm-draw" in page and 'data-input="id_zone"' in page

    zone = json.dumps(lonlat_box((5, 35), (5, 45)))
    response = client.post(
        f"{scenario.get_absolute_url()}interventions/",
        {
            "kind": "agroforestry",
            "start_year": 2021,
            "from_class": 40,
            "to_class": 95,
            "hectares_per_year": 15,
            "zone": zone,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert "From 2021, agroforestry: 15 ha a year of Cropland become Agroforestry, a zone of" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}{scenario_set.pk}/s/{scenario_set.scenarios.get(kind='bau').pk}/run/")
        response = client.post(f"{scenario.get_absolute_url()}run/")
    run = Run.objects.get(scenario=scenario)
    assert response["Location"] == f"{base}runs/{run.pk}/"
    response = client.get(f"{base}runs/{run.pk}/")
    assert response.status_code == 302 and response["Location"] == f"{base}runs/{run.pk}/results/"

    html = client.get(f"{base}runs/{run.pk}/results/").content.decode()
    assert "What changes" in html
    assert re.search(
        r"By 2023, (Agroforestry|Cropland) covers [\d,]+ ha (more|less) than under business as usual", html
    )
    assert html.count('<svg class="lm-chart"') >= 3 and "Show the numbers" in html
    assert html.count("/quicklook.png") >= 2  # business as usual and the scenario, side by side
    assert 'alt="Land-cover map of 2023, business as usual. Largest classes:' in html
    html = client.get(f"{base}runs/{run.pk}/results/?year=2021").content.decode()
    assert "Maps of 2021" in html and "/versions/1/quicklook.png" in html


def test_the_run_page_shows_progress_and_a_cancel_button(
    private_cast, scenario_set, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.scenario_run_start(actor=private_cast.editor, scenario=scenario_set.scenarios.get())
    client = client_for(private_cast.editor)
    url = f"/landscapes/{private_cast.landscape.slug}/scenarios/runs/{run.pk}/"
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and "<progress" in html and "Cancel the run" in html
    assert "Cancel the run" not in client_for(private_cast.member).get(url).content.decode()
    assert client.post(f"{url}cancel/").status_code == 302
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "This run was cancelled" in html and "hx-trigger" not in html
