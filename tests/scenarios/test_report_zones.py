"""Results area by area: the polygons of a map layer, measured from the first map to the last."""

from __future__ import annotations

import json

import numpy as np
import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios import services
from tests.scenarios.conftest import bau, client_for, land_cover_pair, lonlat_box
from tests.scenarios.test_runs import final_map


def villages(cast, ingest):
    """Two named villages over the test maps: north (rows 1-20) and south (rows 20-40)."""
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": lonlat_box(rows, (0, 50))}
        for name, rows in (("Mbingu", (1, 20)), ("Idete", (20, 40)))
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return ingest(cast.landscape, cast.editor, data, "villages.geojson")


def test_runs_report_carbon_and_classes_area_by_area(private_cast, scenario_set, ingest, run_now):
    layer = villages(private_cast, ingest)
    services.scenario_set_update_report_zones(
        actor=private_cast.editor, scenario_set=scenario_set, dataset_id=layer.pk
    )
    scenario_set.refresh_from_db()
    assert [z["name"] for z in scenario_set.report_zones["zones"]] == ["Mbingu", "Idete"]
    run = run_now(private_cast.editor, bau(scenario_set))
    north, south = run.indicators["zones"]
    assert (north["name"], south["name"]) == ("Mbingu", "Idete")
    _before, after = land_cover_pair()
    final = final_map(run)
    # 1 ha cells; row 0 is no data: the north holds rows 1-19, the south rows 20-39.
    assert north["area_ha"] == pytest.approx(19 * 50) and south["area_ha"] == pytest.approx(20 * 50)
    for zone, rows in ((north, slice(1, 20)), (south, slice(20, 40))):
        for code, (start, end) in zone["classes"].items():
            assert start == pytest.approx(np.count_nonzero(after[rows] == int(code)))
            assert end == pytest.approx(np.count_nonzero(final[rows] == int(code)))
    total = run.indicators["carbon_mg"]
    assert north["carbon_change_mg"] + south["carbon_change_mg"] == pytest.approx(total[-1] - total[0])

    html = client_for(private_cast.viewer).get(
        f"/landscapes/{private_cast.landscape.slug}/scenarios/runs/{run.pk}/results/"
    ).content.decode()
    assert "Area by area, 2020 to 2025" in html and "Mbingu" in html and "Idete" in html


def test_zones_are_chosen_in_the_page_and_checked(private_cast, scenario_set, ingest, maps):
    layer = villages(private_cast, ingest)
    url = f"{scenario_set.get_absolute_url()}zones/"
    editor = client_for(private_cast.editor)
    assert editor.post(url, {"areas_layer": str(layer.pk)}).status_code == 302
    page = editor.get(scenario_set.get_absolute_url()).content.decode()
    assert "Results are reported for the 2 areas of “villages”." in page
    with pytest.raises(ValidationFailed, match=r"Choose a map layer \(polygons\)"):
        services.scenario_set_update_report_zones(
            actor=private_cast.editor, scenario_set=scenario_set, dataset_id=maps[0].pk
        )
    assert editor.post(url, {"areas_layer": ""}).status_code == 302
    scenario_set.refresh_from_db()
    assert scenario_set.report_zones == {}
