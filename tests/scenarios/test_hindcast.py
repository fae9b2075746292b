"""Hindcast: the model calibrated on the set's maps, checked against a third, later observed map."""

from __future__ import annotations

import numpy as np
import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import Job
from landmosaic.scenarios import services
from tests.scenarios.conftest import CROPS, NODATA, TREES, client_for, geotiff, land_cover_pair
from tests.scenarios.test_drivers import distance_from_north
from tests.scenarios.test_no_change import reserve_layer


def later_map() -> np.ndarray:
    """2025 observed: the 2015-2020 trend goes on, trees next to crops become crops."""
    _before, after = land_cover_pair()
    rng = np.random.default_rng(9)
    later = after.copy()
    crops = np.zeros(after.shape, dtype=bool)
    crops[1:, :] = after[:-1, :] == CROPS
    chosen = (after == TREES) & crops & (rng.random(after.shape) < 0.5)
    later[chosen] = CROPS
    later[0, :] = NODATA
    return later


def test_a_hindcast_compares_the_model_and_the_no_change_model_with_the_later_map(
    private_cast, scenario_set, ingest, django_capture_on_commit_callbacks
):
    third = ingest(private_cast.landscape, private_cast.editor, geotiff(later_map()), "landcover_2025.tif")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.scenario_set_hindcast_start(
            actor=private_cast.editor, scenario_set=scenario_set, t2_dataset_id=third.pk, t2_year=2025
        ).job
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["url"].endswith("#hindcast")
    scenario_set.refresh_from_db()
    figures = scenario_set.hindcast
    assert (figures["t2_dataset_id"], figures["t2_year"]) == (third.pk, 2025)
    assert figures["calibration"] == [2015, 2020]
    _before, after = land_cover_pair()
    observed_change = int(np.count_nonzero((later_map() != after) & (after != NODATA)))
    null, model = figures["null"], figures["model"]
    # The no-change model misses every observed change and places none.
    assert (null["hits"], null["misses"], null["figure_of_merit"]) == (0, observed_change, 0.0)
    assert model["hits"] + model["misses"] + model["wrong_hits"] == observed_change
    assert model["hits"] > 0 and model["figure_of_merit"] > 0

    page = client_for(private_cast.viewer).get(scenario_set.get_absolute_url()).content.decode()
    assert "Figure of Merit" in page and "landcover_2025" in page


def test_the_later_map_and_year_are_checked(private_cast, scenario_set, ingest, maps):
    third = ingest(private_cast.landscape, private_cast.editor, geotiff(later_map()), "landcover_2025.tif")
    for year in (2020, 2500):
        with pytest.raises(ValidationFailed, match="Give the year of the later map"):
            services.scenario_set_hindcast_start(
                actor=private_cast.editor, scenario_set=scenario_set, t2_dataset_id=third.pk, t2_year=year
            )
    with pytest.raises(ValidationFailed, match="not found"):
        services.scenario_set_hindcast_start(
            actor=private_cast.editor, scenario_set=scenario_set, t2_dataset_id=999999, t2_year=2025
        )
    assert not Job.objects.filter(kind=services.HINDCAST_JOB).exists()
    page = client_for(private_cast.editor).get(scenario_set.get_absolute_url()).content.decode()
    form = page.split('id="hindcast"')[1]
    assert f'<option value="{third.pk}">' in form and f'<option value="{maps[1].pk}">' not in form
    refused = client_for(private_cast.viewer).post(
        f"{scenario_set.get_absolute_url()}hindcast/", {"t2_dataset": third.pk, "t2_year": 2025}
    )
    assert refused.status_code in (403, 404)
    started = client_for(private_cast.editor).post(
        f"{scenario_set.get_absolute_url()}hindcast/", {"t2_dataset": third.pk, "t2_year": 2025}
    )
    job = Job.objects.get(kind=services.HINDCAST_JOB)
    assert started.status_code == 302 and str(job.pk) in started["Location"]


def hindcast_now(cast, scenario_set, third, capture) -> dict:
    with capture(execute=True):
        job = services.scenario_set_hindcast_start(
            actor=cast.editor, scenario_set=scenario_set, t2_dataset_id=third.pk, t2_year=2025
        ).job
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    scenario_set.refresh_from_db()
    return scenario_set.hindcast


def test_the_hindcast_uses_the_sets_drivers_and_land_that_never_changes(
    private_cast, scenario_set, ingest, django_capture_on_commit_callbacks
):
    cast, capture = private_cast, django_capture_on_commit_callbacks
    third = ingest(cast.landscape, cast.editor, geotiff(later_map()), "landcover_2025.tif")
    plain = hindcast_now(cast, scenario_set, third, capture)
    assert plain["inputs"] == {
        "drivers": [], "no_change_classes": [], "no_change_zone": None, "no_change_cells": 0, "window": 3,
    }  # fmt: skip

    driver = distance_from_north(ingest, cast.landscape, cast.editor)
    services.scenario_set_update_drivers(
        actor=cast.editor, scenario_set=scenario_set,
        drivers=[{"dataset_id": driver.pk, "weight": 3, "effect": "repels"}],
    )  # fmt: skip
    steered = hindcast_now(cast, scenario_set, third, capture)
    assert steered["inputs"]["drivers"] == [{"title": driver.title, "weight": 3.0, "effect": "repels"}]
    assert steered["model"] != plain["model"]  # the driver moved the simulated change
    assert steered["null"] == plain["null"]

    reserve = reserve_layer(cast, ingest)
    services.scenario_set_update_no_change(
        actor=cast.editor, scenario_set=scenario_set, classes=[TREES], zone_dataset_id=reserve.pk
    )
    kept = hindcast_now(cast, scenario_set, third, capture)
    _before, after = land_cover_pair()
    # Every observed change is trees becoming crops: with trees kept, the model places none of it.
    observed_change = int(np.count_nonzero((later_map() != after) & (after != NODATA)))
    assert (kept["model"]["hits"], kept["model"]["misses"]) == (0, observed_change)
    used = kept["inputs"]
    assert [c["code"] for c in used["no_change_classes"]] == [TREES]
    assert used["no_change_zone"] == reserve.title
    assert used["no_change_cells"] >= int(np.count_nonzero(after[1:] == TREES))

    page = client_for(cast.viewer).get(scenario_set.get_absolute_url()).content.decode()
    section = page.split('id="hindcast"')[1]
    assert "What the model used" in section and driver.title in section and reserve.title in section
    assert "high values repel change" in section
