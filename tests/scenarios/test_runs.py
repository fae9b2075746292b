"""Runs: the job projects year by year, stores the maps and indicators as datasets, all at once or not
at all; the same inputs give the same run; cancelling stops it and stores nothing."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio

from landmosaic.core.errors import ValidationFailed
from landmosaic.core.jobs import job_run
from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from landmosaic.scenarios import commons, services
from landmosaic.scenarios.engine import ProjectionParams, project
from landmosaic.scenarios.models import Run
from tests.scenarios.conftest import (
    BUILT,
    CROPS,
    NODATA,
    TREES,
    bau,
    land_cover_pair,
    lonlat_box,
    stored_files,
)

VALID_HA = 40 * 50 - 50  # one row of the maps is nodata; cells are 1 ha
FAR_AWAY = {"type": "Polygon", "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]]}


def final_map(run: Run, *, number: int | None = None) -> np.ndarray:
    dataset = run.landcover_dataset
    version = dataset.current_version if number is None else dataset.versions.get(number=number)
    with commons.local_raster(version) as path, rasterio.open(path) as source:
        return source.read(1)


def alternative(cast, scenario_set, interventions, name="Forest first"):
    return services.scenario_create(
        actor=cast.editor, scenario_set=scenario_set, name=name, interventions=interventions
    )


def test_business_as_usual_stores_yearly_maps_and_an_indicator_table(private_cast, scenario_set, run_now):
    run = run_now(private_cast.editor, bau(scenario_set))
    assert run.status == Job.Status.SUCCEEDED, run.error
    assert run.job.status == Job.Status.SUCCEEDED and run.job.progress == 100
    assert run.job.result["url"].endswith(f"/scenarios/runs/{run.pk}/results/")

    maps = run.landcover_dataset
    assert (maps.kind, maps.visibility) == ("raster", "private")
    assert [v.note for v in maps.versions.order_by("number")] == [f"Year {y}" for y in range(2021, 2026)]
    assert maps.current_version.number == 5
    assert maps.current_version.normalised_format == "cog"
    table = run.table_dataset
    assert (table.kind, table.visibility, table.current_version.row_count) == ("table", "private", 6)

    indicators = run.indicators
    assert indicators["years"] == list(range(2020, 2026))
    for i in range(6):
        assert sum(series[i] for series in indicators["area_ha"].values()) == pytest.approx(VALID_HA)
    # Crops keep eating into the trees, at the pace seen between 2015 and 2020.
    assert indicators["area_ha"]["10"][-1] < indicators["area_ha"]["10"][0]
    assert indicators["area_ha"]["40"][-1] > indicators["area_ha"]["40"][0]
    assert indicators["carbon_mg"][-1] < indicators["carbon_mg"][0]
    _before, after = land_cover_pair()
    density = {10: 240, 30: 76, 40: 52, 50: 20, 80: 0}
    assert indicators["carbon_mg"][0] == pytest.approx(sum(density[c] * (after == c).sum() for c in density))
    assert indicators["carbon_value"][-1] < 0  # carbon lost, at 10 per Mg C
    assert indicators["degraded_ha"][-1] > 0 and indicators["restored_ha"][-1] == 0
    assert all(t[0] != t[1] for year in indicators["transitions"] for t in year)

    scenario_set.refresh_from_db()
    assert scenario_set.change["method"] in ("exact", "root", "clipped_root", "row_linear")
    assert scenario_set.change["classes"] == [10, 30, 40, 50, 80]


def test_the_stored_maps_are_the_engine_s_maps_bit_for_bit(private_cast, scenario_set, run_now):
    run = run_now(private_cast.editor, bau(scenario_set))
    scenario_set.refresh_from_db()
    change = scenario_set.change
    _before, after = land_cover_pair()
    params = ProjectionParams(
        classes=tuple(change["classes"]),
        annual_matrix=np.asarray(change["matrix"]),
        nodata=NODATA,
        cell_area_ha=1.0,
        years=5,
        base_year=2020,
        seed=scenario_set.seed,
    )
    for year, expected in project(landcover=after, params=params):
        assert np.array_equal(final_map(run, number=year - 2020), expected), year


def test_a_protected_zone_does_not_change_and_the_scenario_beats_business_as_usual(
    private_cast, scenario_set, run_now
):
    reference = run_now(private_cast.editor, bau(scenario_set))
    zone = lonlat_box((10, 30), (5, 45))
    scenario = alternative(
        private_cast, scenario_set, [{"kind": "protect", "start_year": 2021, "zone": zone}]
    )
    assert scenario.interventions[0]["zone_source"]["type"] == "drawn"
    assert scenario.interventions[0]["zone_source"]["area_ha"] == pytest.approx(800, rel=0.01)
    run = run_now(private_cast.editor, scenario)
    assert run.status == Job.Status.SUCCEEDED, run.error
    _before, after = land_cover_pair()
    projected = final_map(run)
    inside = (slice(11, 29), slice(6, 44))  # one cell in from the zone's edge
    assert np.array_equal(projected[inside], after[inside])
    outside_changed = (final_map(reference) != after).sum()
    assert outside_changed > 0
    final = run.indicators
    assert final["carbon_mg"][-1] > reference.indicators["carbon_mg"][-1]
    assert final["area_ha"]["10"][-1] > reference.indicators["area_ha"]["10"][-1]
    for i in range(len(final["years"])):
        assert sum(s[i] for s in final["area_ha"].values()) == pytest.approx(VALID_HA)


def test_restoration_converts_its_hectares_every_year(private_cast, scenario_set, run_now):
    scenario = alternative(
        private_cast,
        scenario_set,
        [
            {
                "kind": "restore",
                "start_year": 2021,
                "from_class": CROPS,
                "to_class": TREES,
                "hectares_per_year": 20,
            },
            {"kind": "expand_settlement", "start_year": 2023, "to_class": BUILT, "percent": 0},
        ],
        name="Restoration",
    )
    run = run_now(private_cast.editor, scenario)
    assert run.status == Job.Status.SUCCEEDED, run.error
    restored = run.indicators["restored_ha_year"]
    assert restored[0] == 0 and all(r >= 20 for r in restored[1:])
    built = run.indicators["area_ha"][str(BUILT)]
    assert built[3] == built[4] == built[5]  # no new settlement from 2023


def test_a_zone_can_come_from_a_map_layer_of_the_landscape(private_cast, scenario_set, ingest, run_now):
    zone = lonlat_box((10, 30), (5, 45))
    layer = ingest(
        private_cast.landscape,
        private_cast.editor,
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"name": "Reserve"}, "geometry": zone}],
            }
        ).encode(),
        "reserve.geojson",
    )
    scenario = alternative(
        private_cast, scenario_set, [{"kind": "protect", "start_year": 2021, "zone_dataset_id": layer.pk}]
    )
    source = scenario.interventions[0]["zone_source"]
    assert (source["type"], source["dataset_id"], source["version"]) == ("dataset", layer.pk, 1)
    run = run_now(private_cast.editor, scenario)
    _before, after = land_cover_pair()
    assert np.array_equal(final_map(run)[11:29, 6:44], after[11:29, 6:44])


def test_interventions_are_checked_against_the_set(private_cast, scenario_set):
    cases = [
        ({"kind": "protect", "start_year": 2021}, "zone"),
        ({"kind": "protect", "start_year": 2021, "zone": FAR_AWAY}, "zone"),
        ({"kind": "restore", "start_year": 2021, "from_class": 40, "hectares_per_year": 5}, "to_class"),
        (
            {"kind": "restore", "start_year": 2019, "from_class": 40, "to_class": 10, "hectares_per_year": 5},
            "start_year",
        ),
        ({"kind": "rate", "start_year": 2021, "from_class": 99, "percent": 50}, "from_class"),
        ({"kind": "rate", "start_year": 2021, "from_class": 10, "percent": -5}, "percent"),
        ({"kind": "teleport", "start_year": 2021}, "kind"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationFailed) as info:
            alternative(private_cast, scenario_set, [data])
        assert field in info.value.details, (data, info.value.details)
    with pytest.raises(ValidationFailed, match="no interventions"):
        services.intervention_add(
            actor=private_cast.editor,
            scenario=bau(scenario_set),
            data={"kind": "rate", "from_class": 10, "percent": 50},
        )


def test_the_same_inputs_return_the_same_run(private_cast, scenario_set, run_now):
    first = run_now(private_cast.editor, bau(scenario_set))
    again = run_now(private_cast.editor, bau(scenario_set))
    assert again.pk == first.pk
    datasets = Dataset.objects.count()
    job_run(str(first.job_id))  # a worker picking the job up twice does nothing more
    first.job.status = Job.Status.QUEUED
    first.job.save()
    job_run(str(first.job_id))  # even a re-queued job of a finished run writes nothing new
    assert Dataset.objects.count() == datasets
    forced = run_now(private_cast.editor, bau(scenario_set), force=True)
    assert forced.pk != first.pk and forced.landcover_dataset_id != first.landcover_dataset_id
    services.scenario_set_update(actor=private_cast.editor, scenario_set=scenario_set, seed=7)
    changed = run_now(private_cast.editor, bau(scenario_set))
    assert changed.pk not in (first.pk, forced.pk)


def test_a_run_cancelled_midway_stops_and_stores_nothing(private_cast, scenario_set, media):
    files = stored_files(media)
    run = services.scenario_run_start(actor=private_cast.editor, scenario=bau(scenario_set))  # job not run
    checks = iter([False, False, True])
    messages = []
    result = services.scenario_run_execute(
        run_id=run.pk,
        actor=private_cast.editor,
        job_id=run.job_id,
        progress=lambda percent, message: messages.append(message),
        cancelled=lambda: next(checks, True),
    )
    run.refresh_from_db()
    assert (result, run.status) == ({}, Job.Status.CANCELLED)
    assert "Year 1 of 5 (2021)" in messages and "Year 2 of 5 (2022)" in messages
    assert "Year 3 of 5 (2023)" not in messages
    assert Dataset.objects.count() == 2 and stored_files(media) == files


def test_a_run_cancelled_before_it_starts_never_runs(
    private_cast, scenario_set, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.scenario_run_start(actor=private_cast.editor, scenario=bau(scenario_set))
    services.scenario_run_cancel(actor=private_cast.editor, run=run)
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == Job.Status.CANCELLED and run.job.status == Job.Status.CANCELLED
    assert run.landcover_dataset is None
    with pytest.raises(Exception, match="permission"):
        services.scenario_run_cancel(actor=private_cast.member, run=run)


def test_a_failure_while_storing_leaves_no_dataset_and_no_file(
    private_cast, scenario_set, run_now, media, monkeypatch
):
    files = stored_files(media)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(commons, "publish_table", broken)
    run = run_now(private_cast.editor, bau(scenario_set))
    assert run.status == Job.Status.FAILED and run.job.status == Job.Status.FAILED
    assert run.error == "The run failed unexpectedly."
    assert Dataset.objects.count() == 2 and stored_files(media) == files


def test_missing_carbon_rows_are_refused_before_the_job(private_cast, scenario_set):
    scenario_set.carbon_pools = scenario_set.carbon_pools[:-1]
    scenario_set.save()
    with pytest.raises(ValidationFailed, match="no row for the classes 80"):
        services.scenario_run_start(actor=private_cast.editor, scenario=bau(scenario_set))
    assert not Run.objects.exists()
