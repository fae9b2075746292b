"""Driver rasters of a set: chosen from the landscape's rasters of measured values, used by every run."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios import commons, services
from landmosaic.scenarios.models import Run
from tests.scenarios.conftest import SHAPE, bau, client_for, geotiff
from tests.scenarios.test_runs import final_map


def distance_from_north(ingest, landscape, editor, *, name: str = "distance_north.tif"):
    """A measure growing from the northern edge of the maps (0 m) southwards, with a no-data corner."""
    rows = np.broadcast_to(np.arange(SHAPE[0], dtype=np.float32)[:, None] * 100, SHAPE).copy()
    rows[-2:, -2:] = -9999
    return ingest(landscape, editor, geotiff(rows, nodata=-9999), name)


def mean_changed_row(run: Run) -> float:
    with commons.local_raster(run.scenario.scenario_set.t1_version) as path, rasterio.open(path) as source:
        base = source.read(1)
    return float(np.nonzero(final_map(run) != base)[0].mean())


def test_a_driver_steers_where_change_happens(private_cast, scenario_set, ingest, run_now):
    plain = run_now(private_cast.editor, bau(scenario_set))
    driver = distance_from_north(ingest, private_cast.landscape, private_cast.editor)
    services.scenario_set_update_drivers(
        actor=private_cast.editor,
        scenario_set=scenario_set,
        drivers=[{"dataset_id": driver.pk, "weight": 3, "effect": "repels"}],
    )
    scenario_set.refresh_from_db()
    assert scenario_set.drivers == [
        {"dataset_id": driver.pk, "version": 1, "title": driver.title, "weight": 3.0, "effect": "repels"}
    ]
    steered = run_now(private_cast.editor, bau(scenario_set))
    assert steered.pk != plain.pk and steered.succeeded, steered.error  # new inputs: a new run
    assert steered.set_fingerprint != plain.set_fingerprint
    # Low distances attract change: the changed cells move north (lower row numbers).
    assert mean_changed_row(steered) < mean_changed_row(plain) - 2


def test_drivers_are_checked_and_nothing_is_stored_when_one_is_wrong(
    private_cast, scenario_set, ingest, maps
):
    good = distance_from_north(ingest, private_cast.landscape, private_cast.editor)
    cases = [
        ({"dataset_id": maps[0].pk, "weight": 1, "effect": "repels"}, "holds classes"),
        ({"dataset_id": good.pk, "weight": 0, "effect": "repels"}, "weight above 0"),
        ({"dataset_id": good.pk, "weight": 11, "effect": "repels"}, "at most 10"),
        ({"dataset_id": good.pk, "weight": "a lot", "effect": "repels"}, "weight above 0"),
        ({"dataset_id": good.pk, "weight": 1, "effect": "sideways"}, "attract or repel"),
        ({"dataset_id": 999999, "weight": 1, "effect": "repels"}, "choose a raster"),
    ]
    for entry, message in cases:
        with pytest.raises(ValidationFailed, match=message):
            services.scenario_set_update_drivers(
                actor=private_cast.editor, scenario_set=scenario_set, drivers=[entry]
            )
    twice = [{"dataset_id": good.pk, "weight": 1, "effect": "repels"}] * 2
    with pytest.raises(ValidationFailed, match="already a driver"):
        services.scenario_set_update_drivers(
            actor=private_cast.editor, scenario_set=scenario_set, drivers=twice
        )
    scenario_set.refresh_from_db()
    assert scenario_set.drivers == []


def test_editors_add_and_remove_drivers_in_the_page(private_cast, scenario_set, ingest):
    driver = distance_from_north(ingest, private_cast.landscape, private_cast.editor)
    url = f"{scenario_set.get_absolute_url()}drivers/"
    page = client_for(private_cast.editor).get(scenario_set.get_absolute_url()).content.decode()
    assert "Drivers of change" in page and f'<option value="{driver.pk}">' in page
    # The land-cover maps hold classes: they are not offered as drivers.
    assert f'<option value="{scenario_set.t1_version.dataset_id}">' not in page.split('id="drivers"')[1]
    refused = client_for(private_cast.viewer).post(url, {"dataset": driver.pk, "weight": 1})
    assert refused.status_code in (403, 404)
    editor = client_for(private_cast.editor)
    response = editor.post(url, {"dataset": driver.pk, "weight": "2", "effect": "repels"})
    assert response.status_code == 302
    page = editor.get(scenario_set.get_absolute_url()).content.decode()
    assert "weight 2.0: change happens where its values are low." in page
    assert editor.post(url, {"dataset": driver.pk, "weight": "20", "effect": "repels"}).status_code == 400
    assert editor.post(url, {"remove": str(driver.pk)}).status_code == 302
    scenario_set.refresh_from_db()
    assert scenario_set.drivers == []
