"""Versions: immutable, numbered, with a change summary; older ones stay downloadable."""

from __future__ import annotations

import pytest
import shapely
from django.test import Client

from landmosaic.core.errors import Forbidden
from landmosaic.core.models import Job
from landmosaic.datasets.models import DatasetVersion
from tests.datasets.builders import csv_bytes, gpkg_bytes, points_csv
from tests.datasets.conftest import created, stored_files

ROWS = [
    ["name", "lat", "lon", "depth"],
    ["a", "-8.1", "36.1", "3"],
    ["b", "-8.2", "36.2", "5"],
    ["c", "-8.3", "36.3", "7"],
]


@pytest.fixture
def wells(private_cast, ingest):
    return created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(ROWS), "wells.csv"))[0]


def test_a_new_version_summarises_what_changed(private_cast, wells, add_version):
    rows = [
        ["name", "lat", "lon", "depth", "owner"],
        ["a", "-8.1", "36.1", "3", "x"],
        ["b", "-8.2", "36.2", "5", "y"],
        ["d", "-8.4", "36.4", "9", "z"],
        ["e", "-8.5", "36.5", "1", "z"],
    ]
    job = add_version(wells, private_cast.editor, csv_bytes(rows), "wells-2024.csv", note="Dry season survey")
    assert job.status == Job.Status.SUCCEEDED, job.error
    wells.refresh_from_db()
    current = wells.current_version
    assert (current.number, current.note, current.original_filename) == (
        2,
        "Dry season survey",
        "wells-2024.csv",
    )
    summary = current.change_summary
    assert (summary["previous"], summary["rows_before"], summary["rows_after"]) == (1, 3, 4)
    # Rows compared on the columns both versions have: c removed; d and e added.
    assert (summary["rows_added"], summary["rows_removed"]) == (2, 1)
    assert summary["fields_added"] == ["owner"] and summary["fields_removed"] == []
    assert wells.versions.get(number=1).change_summary is None


def test_a_retyped_column_is_reported(private_cast, wells, add_version):
    rows = [[*row[:3], value] for row, value in zip(ROWS, ["depth", "deep", "shallow", "3"], strict=True)]
    add_version(wells, private_cast.editor, csv_bytes(rows), "wells.csv")
    wells.refresh_from_db()
    assert wells.current_version.change_summary["fields_retyped"] == [
        {"name": "depth", "before": "integer", "after": "string"}
    ]


def test_the_same_rows_in_another_order_change_nothing(private_cast, wells, add_version):
    add_version(wells, private_cast.editor, csv_bytes([ROWS[0], *reversed(ROWS[1:])]), "wells.csv")
    wells.refresh_from_db()
    summary = wells.current_version.change_summary
    assert (summary["rows_added"], summary["rows_removed"]) == (0, 0)


def test_table_versions_are_compared_too(private_cast, ingest, add_version):
    table = created(
        ingest(
            private_cast.landscape, private_cast.editor, csv_bytes([["crop"], ["maize"], ["beans"]]), "c.csv"
        )
    )[0]
    add_version(
        table, private_cast.editor, csv_bytes([["crop"], ["maize"], ["sorghum"], ["millet"]]), "c.csv"
    )
    table.refresh_from_db()
    summary = table.current_version.change_summary
    assert (summary["rows_added"], summary["rows_removed"]) == (2, 1)


def test_versions_are_immutable(wells):
    version = wells.current_version
    version.note = "rewritten history"
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_older_versions_stay_downloadable(private_cast, wells, add_version, media):
    add_version(wells, private_cast.editor, points_csv(), "wells-v2.csv")
    client = Client()
    client.force_login(private_cast.viewer)
    url = f"/landscapes/{private_cast.landscape.slug}/data/{wells.slug}/versions/1/download/original/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == csv_bytes(ROWS)
    assert DatasetVersion.objects.filter(dataset=wells).count() == 2


def test_a_version_of_another_kind_is_refused_and_stores_nothing(private_cast, wells, add_version, media):
    before = stored_files(media)
    job = add_version(wells, private_cast.editor, csv_bytes([["crop"], ["maize"]]), "crops.csv")
    assert job.status == Job.Status.FAILED
    assert "holds a table without coordinates, but this dataset holds map data" in job.error
    assert stored_files(media) == before and wells.versions.count() == 1


def test_a_version_must_hold_one_layer_or_match_the_current_one(private_cast, ingest, add_version):
    point = shapely.Point(36.1, -8.1)
    first = gpkg_bytes({"wells": ([point], {"d": [1]})})
    [wells] = created(ingest(private_cast.landscape, private_cast.editor, first, "wells.gpkg"))
    two_layers = gpkg_bytes(
        {
            "wells": ([point, point], {"d": [1, 2]}),
            "roads": ([shapely.LineString([(0, 0), (1, 1)])], {"d": [1]}),
        }
    )
    assert add_version(wells, private_cast.editor, two_layers, "both.gpkg").status == Job.Status.SUCCEEDED
    wells.refresh_from_db()
    assert wells.current_version.row_count == 2  # the layer with the same name was taken
    other = gpkg_bytes({"a": ([point], {"d": [1]}), "b": ([point], {"d": [1]})})
    job = add_version(wells, private_cast.editor, other, "other.gpkg")
    assert job.status == Job.Status.FAILED and "contains 2 layers (a, b)" in job.error


def test_viewers_cannot_add_versions(private_cast, wells, add_version):
    with pytest.raises(Forbidden):
        add_version(wells, private_cast.viewer, points_csv(), "wells.csv")
