"""A zone inside the maps' extent that covers only cells without data: the run stops with a message
naming the intervention, and nothing is stored (runs.py checks the mask against the valid cells)."""

from __future__ import annotations

from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from tests.scenarios.conftest import CROPS, TREES, lonlat_box, stored_files
from tests.scenarios.test_runs import alternative


def test_a_zone_over_nodata_only_fails_the_run_with_a_message_and_stores_nothing(
    private_cast, scenario_set, run_now, media
):
    # Row 0 of the test maps is nodata (outside the landscape) but inside the maps' bounding box.
    strip = lonlat_box((0, 1), (5, 45))
    scenario = alternative(
        private_cast,
        scenario_set,
        [
            {
                "kind": "restore",
                "start_year": 2021,
                "from_class": CROPS,
                "to_class": TREES,
                "hectares_per_year": 5,
                "zone": lonlat_box((1, 10), (5, 45)),
            }
        ],
        name="Edge strip",
    )
    # Saving now refuses such a zone (test_zone_checks_on_save.py); one saved before that check still
    # reaches the run, which stops on it: written straight to the row, as it was then.
    scenario.interventions[0]["zone"] = strip
    scenario.save(update_fields=["interventions"])
    datasets, files = Dataset.objects.count(), stored_files(media)

    run = run_now(private_cast.editor, scenario)

    assert run.status == Job.Status.FAILED and run.job.status == Job.Status.FAILED
    assert run.error == (
        "The zone of intervention 1 does not overlap the land-cover map. Draw it inside the landscape or "
        "choose another layer."
    )
    assert run.landcover_dataset is None and run.table_dataset is None and not run.indicators
    assert Dataset.objects.count() == datasets and stored_files(media) == files


def test_the_same_zone_one_row_lower_covers_data_and_runs(private_cast, scenario_set, run_now):
    """The control: moved one row down, onto land, the zone restores cropland as asked."""
    zone = lonlat_box((1, 10), (5, 45))
    scenario = alternative(
        private_cast,
        scenario_set,
        [
            {
                "kind": "restore",
                "start_year": 2021,
                "from_class": CROPS,
                "to_class": TREES,
                "hectares_per_year": 5,
                "zone": zone,
            }
        ],
        name="Inside",
    )
    run = run_now(private_cast.editor, scenario)
    assert run.status == Job.Status.SUCCEEDED, run.error
    assert run.indicators["restored_ha_year"][1] >= 5
