"""A measurement computed from a REAL scenario run's indicators table: the run projects two small
land-cover maps through the engine and publishes its yearly indicators as a table dataset of the
commons; the indicator reads the carbon stock of the run's final year from that table."""

from __future__ import annotations

import pytest

from landmosaic.core.models import Job
from landmosaic.planning import services
from landmosaic.planning.models import Measurement
from tests.scenarios.conftest import bau, ingest, make_set, maps, media, run_now  # noqa: F401 - fixtures

from .conftest import make_goal, make_indicator, make_objective


def test_an_indicator_reads_the_carbon_of_a_scenario_runs_final_year(
    private_cast,
    maps,  # noqa: F811 - the fixture imported above
    run_now,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    run = run_now(private_cast.editor, bau(make_set(private_cast, maps, horizon=3)))
    assert run.status == Job.Status.SUCCEEDED, run.error
    table = run.table_dataset
    final_year = run.indicators["years"][-1]
    expected = run.indicators["carbon_mg"][-1]
    assert table.kind == "table" and final_year == 2023

    objective = make_objective(private_cast, make_goal(private_cast))
    indicator = make_indicator(
        private_cast, objective=objective, name="Carbon stock (business as usual)", unit="Mg C",
        direction="increase", baseline_value=expected * 1.1, target_value=expected * 1.2,
    )  # fmt: skip
    services.computed_source_save(
        actor=private_cast.editor, indicator=indicator, dataset_id=table.pk, operation="value",
        column="carbon_mg", match_column="year", match_value=final_year,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = services.measurement_compute(actor=private_cast.member, indicator=indicator)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error

    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.computed
    assert measurement.value == pytest.approx(expected, rel=1e-9)
    assert table.title in measurement.source  # names the run's table, its version and rows
