"""The results page's maps: each year's map as platform tiles, business as usual beside the scenario."""

from __future__ import annotations

import io
import json
import re

import numpy as np
from PIL import Image

from landmosaic.maps import tiles
from landmosaic.scenarios import services
from tests.scenarios.conftest import bau, client_for


def layers_of(html: str) -> list[dict]:
    script = re.search(r'<script id="scn-layers" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(script.group(1))


def centre_tile(bbox: str, z: int = 14) -> tuple[int, int, int]:
    west, south, east, north = (float(v) for v in bbox.split(","))
    lon, lat = (west + east) / 2, (south + north) / 2
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * n)
    return z, x, y


def test_the_results_map_draws_every_year_of_both_runs_with_tiles(private_cast, scenario_set, run_now):
    run_now(private_cast.editor, bau(scenario_set))
    halve = {"kind": "rate", "start_year": 2021, "from_class": 10, "percent": 50}
    scenario = services.scenario_create(
        actor=private_cast.editor, scenario_set=scenario_set, name="Forest first", interventions=[halve]
    )
    run = run_now(private_cast.editor, scenario)
    viewer = client_for(private_cast.viewer)
    html = viewer.get(f"/landscapes/{private_cast.landscape.slug}/scenarios/runs/{run.pk}/results/").content
    html = html.decode()
    assert 'id="scn-swipe"' in html and "Slide to compare: business as usual on the left" in html
    assert "maps/tiles.js" in html and 'data-scn-title="Maps of {year}"' in html
    layers = layers_of(html)
    assert [layer["label"] for layer in layers] == ["Business as usual", "Forest first"]
    assert layers[0]["tiles"] != layers[1]["tiles"]  # two runs, two datasets
    for layer in layers:
        assert layer["base_year"] == 2020 and "{v}" in layer["tiles"]
        z, x, y = centre_tile(layer["bbox"])
        for year in (2021, 2025):
            url = layer["tiles"].replace("{v}", str(year - 2020)).format(z=z, x=x, y=y)
            response = viewer.get(url)
            assert response.status_code == 200 and response.content != tiles.empty_png(), url
            with Image.open(io.BytesIO(response.content)) as image:
                assert np.asarray(image)[..., 3].max() == 255
        # A year the run does not have has no tiles.
        url = layer["tiles"].replace("{v}", "6").format(z=z, x=x, y=y)
        assert viewer.get(url).status_code == 404
    # Side by side is asked for in the address; the page's own "Show this year" keeps the choice.
    page = f"/landscapes/{private_cast.landscape.slug}/scenarios/runs/{run.pk}/results/"
    assert 'value="swipe" checked' in html and 'value="side" checked' not in html
    side = viewer.get(f"{page}?compare=side&year=2022").content.decode()
    assert 'value="side" checked' in side and 'value="swipe" checked' not in side
    assert '<input type="hidden" name="compare" value="side">' in side and "data-scn-side" in side
    assert 'aria-label="Map of Forest first"' in side
    # Whoever may not see the results sees no tiles either.
    url = layers[1]["tiles"].replace("{v}", "1").format(z=14, x=0, y=0)
    assert client_for(private_cast.outsider).get(url).status_code == 404


def test_business_as_usual_alone_has_one_map_and_no_swipe(private_cast, scenario_set, run_now):
    run = run_now(private_cast.editor, bau(scenario_set))
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{private_cast.landscape.slug}/scenarios/runs/{run.pk}/results/?year=2022")
        .content.decode()
    )
    assert 'id="scn-swipe"' not in html and len(layers_of(html)) == 1
    assert "data-scn-side" not in html and "data-scn-mode-toggle" not in html  # nothing to compare with
    assert 'value="2022"' in html and "Maps of 2022" in html
