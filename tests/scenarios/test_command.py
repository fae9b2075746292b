"""`manage.py scenario_run`: a scenario by id, or business as usual from two files, with a progress bar."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from landmosaic.core.models import Job
from landmosaic.scenarios.models import Run, ScenarioSet
from tests.scenarios.conftest import POOLS_CSV, bau, geotiff, land_cover_pair


def scenario_run(*args: str) -> str:
    out = StringIO()
    call_command("scenario_run", *args, stdout=out)
    return out.getvalue()


def test_a_scenario_runs_by_id_with_its_progress_and_a_summary(private_cast, scenario_set):
    scenario = bau(scenario_set)
    out = scenario_run(str(scenario.pk), "--as", private_cast.editor.email)
    run = Run.objects.get(scenario=scenario)
    assert run.status == Job.Status.SUCCEEDED and run.job.status == Job.Status.SUCCEEDED
    for year, number in ((2021, 1), (2025, 5)):
        assert f"Year {number} of 5 ({year})" in out
    assert "] 100% Done" in out
    assert f"Run {run.pk} of “Business as usual”: 2020–2025" in out
    assert f"/scenarios/runs/{run.pk}/results/" in out
    # The same inputs again: the finished run is reported, nothing is computed twice.
    again = scenario_run(str(scenario.pk), "--as", private_cast.editor.email)
    assert Run.objects.count() == 1 and "Year 1 of 5" not in again and f"Run {run.pk}" in again


def test_business_as_usual_from_two_files(private_cast, tmp_path):
    before, after = land_cover_pair()
    (tmp_path / "lc2015.tif").write_bytes(geotiff(before))
    (tmp_path / "lc2020.tif").write_bytes(geotiff(after))
    (tmp_path / "pools.csv").write_bytes(POOLS_CSV)
    out = scenario_run(
        "--as", private_cast.editor.email, "--landscape", private_cast.landscape.slug,
        "--t0", str(tmp_path / "lc2015.tif"), "--t0-year", "2015",
        "--t1", str(tmp_path / "lc2020.tif"), "--t1-year", "2020",
        "--years", "3", "--pools", str(tmp_path / "pools.csv"),
    )  # fmt: skip
    scenario_set = ScenarioSet.objects.get()
    assert (scenario_set.t0_year, scenario_set.final_year) == (2015, 2023)
    assert scenario_set.carbon_pools[0]["c_above"] == 120
    run = Run.objects.get()
    assert run.succeeded and run.landcover_dataset.versions.count() == 3
    assert "Uploading lc2015.tif" in out and "Year 3 of 3 (2023)" in out and "carbon" in out


def test_refusals_are_clear_and_store_nothing(private_cast, scenario_set, tmp_path):
    scenario = bau(scenario_set)
    with pytest.raises(CommandError, match=r"No account with the e-mail nobody@example\.org"):
        scenario_run(str(scenario.pk), "--as", "nobody@example.org")
    with pytest.raises(CommandError):
        scenario_run(str(scenario.pk), "--as", private_cast.viewer.email)  # viewers do not run scenarios
    with pytest.raises(CommandError, match="Not found"):  # private landscape: 404 as on the pages
        scenario_run(str(scenario.pk), "--as", private_cast.outsider.email)
    with pytest.raises(CommandError, match="--t1, --t0-year"):
        scenario_run("--as", private_cast.editor.email, "--landscape", "x", "--t0", "a.tif", "--t1-year", "1")
    with pytest.raises(CommandError, match="is not a file"):
        scenario_run(
            "--as", private_cast.editor.email, "--landscape", private_cast.landscape.slug,
            "--t0", str(tmp_path / "missing.tif"), "--t1", str(tmp_path / "missing.tif"),
            "--t0-year", "2015", "--t1-year", "2020",
        )  # fmt: skip
    assert not Run.objects.exists() and ScenarioSet.objects.count() == 1
