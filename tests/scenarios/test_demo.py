"""The demo's scenarios: a generated land-cover pair and two finished runs a newcomer opens at once."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from shapely.geometry import shape

from landmosaic.core.models import Job
from landmosaic.landscapes.demo import irregular_polygon
from landmosaic.scenarios import demo
from landmosaic.scenarios.models import Run, ScenarioSet


def test_the_generated_pair_is_deterministic_worldcover_with_plausible_change():
    boundary = shape(irregular_polygon(lon=36.55, lat=-8.35, radius_km=55))
    before, after, transform = demo.land_cover_pair(boundary)
    again, _after, _transform = demo.land_cover_pair(boundary)
    assert np.array_equal(before, again) and before.shape == (500, 500) and transform.a == 200
    codes = set(np.unique(after).tolist())
    assert codes == {0, 10, 20, 30, 40, 50, 60, 80, 90}  # no data and eight WorldCover classes
    assert np.array_equal(before == 0, after == 0)
    trees_lost = ((before == 10) & (after != 10)).sum() / (before == 10).sum()
    assert 0.01 < trees_lost < 0.1  # a few percent in five years
    assert (after == 40).sum() > (before == 40).sum() and (after == 50).sum() > (before == 50).sum()


@pytest.mark.django_db
def test_the_demo_has_finished_business_as_usual_and_restoration_runs_anyone_can_open(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    scenario_set = ScenarioSet.objects.get(title="Kilombero land use 2015-2020")
    assert scenario_set.landscape.slug == "kilombero-valley" and scenario_set.final_year == 2040
    assert [d["title"] for d in scenario_set.drivers] == [demo.DISTANCE_TITLE]
    assert scenario_set.no_change["classes"] == [80]
    runs = {r.scenario.name: r for r in Run.objects.select_related("scenario", "landcover_dataset")}
    assert set(runs) == {"Business as usual", demo.RESTORATION}
    assert all(r.status == Job.Status.SUCCEEDED for r in runs.values())
    bau, restoration = runs["Business as usual"], runs[demo.RESTORATION]
    assert bau.landcover_dataset.versions.count() == 20 and bau.landcover_dataset.visibility == "public"
    # Restoration replants and keeps more carbon than business as usual by 2040.
    assert restoration.indicators["restored_ha"][-1] > bau.indicators["restored_ha"][-1] + 2000
    assert restoration.indicators["carbon_mg"][-1] > bau.indicators["carbon_mg"][-1]

    page = Client().get(f"/landscapes/kilombero-valley/scenarios/runs/{restoration.pk}/results/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "What changes" in html and "Restore the escarpment" in html
    assert 'id="scn-swipe"' in html and html.count("/tiles/{z}/{x}/{y}.png") == 2
