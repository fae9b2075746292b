"""Land that never changes: classes of the legend and the areas of a map layer, kept by every run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios import services
from tests.scenarios.conftest import CROPS, TREES, bau, client_for, land_cover_pair, lonlat_box
from tests.scenarios.test_runs import final_map


def reserve_layer(cast, ingest):
    """A map layer of one protected area over rows 10-30 and columns 5-45 of the test maps."""
    zone = lonlat_box((10, 30), (5, 45))
    feature = {"type": "Feature", "properties": {"name": "Reserve"}, "geometry": zone}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    return ingest(cast.landscape, cast.editor, data, "reserve.geojson")


@pytest.fixture
def reserve(private_cast, ingest):
    return reserve_layer(private_cast, ingest)


def test_business_as_usual_leaves_the_kept_classes_and_areas_as_they_are(
    private_cast, scenario_set, reserve, run_now
):
    _before, after = land_cover_pair()
    plain = final_map(run_now(private_cast.editor, bau(scenario_set)))
    assert (plain[after == TREES] != TREES).any()  # business as usual clears trees
    assert (plain[11:29, 6:44] != after[11:29, 6:44]).any()
    services.scenario_set_update_no_change(
        actor=private_cast.editor, scenario_set=scenario_set, classes=[TREES], zone_dataset_id=reserve.pk
    )
    scenario_set.refresh_from_db()
    assert scenario_set.no_change["classes"] == [TREES]
    assert scenario_set.no_change["zone_source"]["dataset_id"] == reserve.pk
    kept = final_map(run_now(private_cast.editor, bau(scenario_set)))
    assert (kept[after == TREES] == TREES).all()
    assert np.array_equal(kept[11:29, 6:44], after[11:29, 6:44])
    assert (kept != after).any()  # the rest still changes


def test_unknown_classes_and_layers_are_refused(private_cast, scenario_set, maps):
    with pytest.raises(ValidationFailed, match="classes of the legend"):
        services.scenario_set_update_no_change(
            actor=private_cast.editor, scenario_set=scenario_set, classes=[7]
        )
    with pytest.raises(ValidationFailed, match=r"Choose a map layer \(polygons\)"):
        services.scenario_set_update_no_change(
            actor=private_cast.editor, scenario_set=scenario_set, classes=[], zone_dataset_id=maps[0].pk
        )
    scenario_set.refresh_from_db()
    assert scenario_set.no_change == {}


def test_editors_choose_the_land_that_never_changes_in_the_page(private_cast, scenario_set, reserve):
    url = f"{scenario_set.get_absolute_url()}no-change/"
    editor = client_for(private_cast.editor)
    page = editor.get(scenario_set.get_absolute_url()).content.decode()
    assert "Land that never changes" in page and f'<option value="{reserve.pk}">' in page
    response = editor.post(url, {"classes": [str(CROPS)], "zone_dataset": str(reserve.pk)})
    assert response.status_code == 302
    page = editor.get(scenario_set.get_absolute_url()).content.decode()
    assert "The areas of “" in page and "Classes: Cropland" in page
    assert editor.post(url, {"classes": ["999"]}).status_code == 400
    refused = client_for(private_cast.viewer).post(url, {"classes": [str(CROPS)]})
    assert refused.status_code in (403, 404)
