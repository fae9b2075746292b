"""The real Lausanne land-use pair (100 m), through the commons and a run (skipped when the data is absent).

The two dates are misregistered by about a cell: the first map is resampled onto the second's grid.
"""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from landmosaic.scenarios import services
from landmosaic.scenarios.models import Scenario
from tests.scenarios.conftest import LAUSANNE

pytestmark = pytest.mark.skipif(not LAUSANNE.exists(), reason=f"real Lausanne maps not found at {LAUSANNE}")


def test_the_lausanne_pair_is_aligned_and_projected(private_cast, ingest, run_now):
    landscape, editor = private_cast.landscape, private_cast.editor
    first = ingest(landscape, editor, (LAUSANNE / "ls100_06.tif").read_bytes(), "ls100_06.tif")
    second = ingest(landscape, editor, (LAUSANNE / "ls100_12.tif").read_bytes(), "ls100_12.tif")
    scenario_set = services.scenario_set_create(
        actor=editor,
        landscape=landscape,
        title="Lausanne",
        t0_dataset_id=first.pk,
        t1_dataset_id=second.pk,
        t0_year=2006,
        t1_year=2012,
        horizon_years=3,
    )
    assert [w["code"] for w in scenario_set.warnings] == ["resampled"]
    codes = [e["code"] for e in scenario_set.legend]
    assert len(codes) == 21 and codes[0] == 1
    assert scenario_set.legend[0]["colour"] == "#e6004d"  # the maps' own colour table
    rows = "\n".join(f"{code},{code},0,50,0" for code in codes)
    services.scenario_set_import_table(
        actor=editor,
        scenario_set=scenario_set,
        table="carbon_pools",
        data=f"lucode,c_above,c_below,c_soil,c_dead\n{rows}\n".encode(),
    )
    run = run_now(editor, scenario_set.scenarios.get(kind=Scenario.Kind.BAU))
    assert run.succeeded, run.error
    with rasterio.open(LAUSANNE / "ls100_12.tif") as source:
        after = source.read(1)
        cell_ha = abs(source.transform.a * source.transform.e) / 10_000
    valid_ha = (after != 255).sum() * cell_ha
    indicators = run.indicators
    for i in range(4):
        assert sum(s[i] for s in indicators["area_ha"].values()) == pytest.approx(valid_ha)
    expected = sum((after == c).sum() * (c + 50) for c in codes) * cell_ha
    assert indicators["carbon_mg"][0] == pytest.approx(expected)
    scenario_set.refresh_from_db()
    assert np.isfinite(scenario_set.change["residual"])
    assert run.warnings == scenario_set.warnings
