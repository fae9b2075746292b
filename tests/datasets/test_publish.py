"""Rows published by the platform: typed columns, the same normalisation as uploads, versions, jobs."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landmosaic.core.errors import Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent, Job
from landmosaic.datasets import services
from landmosaic.datasets.ingest import IngestError, ingest_rows
from landmosaic.datasets.ingest.rows import columns_from_rows
from landmosaic.datasets.models import Dataset
from tests.datasets.conftest import stored_files

COLUMNS = [
    {"name": "name", "type": "string"},
    {"name": "lon", "type": "number"},
    {"name": "lat", "type": "number"},
    {"name": "count", "type": "integer"},
    {"name": "seen", "type": "date"},
    {"name": "at", "type": "datetime"},
    {"name": "ok", "type": "boolean"},
]


def rows(n: int = 3, **extra) -> list[dict]:
    return [
        {
            "name": f"Well {i}",
            "lon": 36.1 + i / 100,
            "lat": -8.1 - i / 100,
            "count": i,
            "seen": dt.date(2024, 5, 1 + i),
            "at": f"2024-05-0{1 + i}T09:00:00+03:00",
            "ok": i % 2 == 0,
            **extra,
        }
        for i in range(n)
    ]


# --- Typed columns (no Django) -----------------------------------------------------------------


def test_values_take_their_column_type_and_nulls_stay_null():
    columns, warnings = columns_from_rows(
        COLUMNS,
        [*rows(2), {"name": None, "count": "", "at": dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)}],
        name="t",
    )
    assert warnings == [] and columns.types == [
        "string",
        "number",
        "number",
        "integer",
        "date",
        "datetime",
        "boolean",
    ]
    assert columns.column("count").tolist()[:2] == [0.0, 1.0] and math.isnan(columns.column("count")[2])
    assert str(columns.column("seen")[1]) == "2024-05-02" and np.isnat(columns.column("seen")[2])
    # Date-times with a time zone are stored in UTC.
    assert str(columns.column("at")[0]) == "2024-05-01T06:00:00.000"
    assert str(columns.column("at")[2]) == "2024-01-01T12:00:00.000"
    assert columns.column("ok").tolist()[:2] == [1.0, 0.0] and columns.column("name")[2] is None


def test_a_value_that_does_not_fit_keeps_the_column_as_text_and_says_where():
    data = [*rows(2), {"count": "about ten"}]
    columns, warnings = columns_from_rows(COLUMNS, data, name="Survey")
    assert columns.types[3] == "string" and columns.column("count").tolist() == ["0", "1", "about ten"]
    [warning] = warnings
    assert warning.code == "rows_column_as_text"
    assert "row 4" in warning.message and "about ten" in warning.message and "Survey" in warning.message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats(allow_nan=True)), max_size=8)
)
def test_any_values_make_a_column_of_the_same_length(values):
    for kind in ("integer", "number", "boolean", "date", "datetime", "string", "time"):
        columns, _warnings = columns_from_rows(
            [{"name": "v", "type": kind}], [{"v": v} for v in values], name="t"
        )
        assert columns.length == len(values) and columns.types[0] in (kind, "string")


def test_rows_with_positions_become_a_geopackage_and_others_a_csv(tmp_path):
    (tmp_path / "a").mkdir()
    result, original = ingest_rows(
        columns=COLUMNS, rows=rows(3), title="Wells", geometry=("lon", "lat"), workdir=tmp_path / "a"
    )
    [part] = result.parts
    assert (part.kind, part.geometry_type, part.normalised_format, part.row_count) == (
        "vector",
        "Point",
        "gpkg",
        3,
    )
    assert part.bbox_4326 == pytest.approx([36.1, -8.12, 36.12, -8.1])
    assert original.read_text().splitlines()[0] == "name,lon,lat,count,seen,at,ok"
    assert pyogrio.read_info(part.normalised)["features"] == 3
    (tmp_path / "b").mkdir()
    result, _original = ingest_rows(
        columns=COLUMNS, rows=rows(2), title="T", geometry=None, workdir=tmp_path / "b"
    )
    assert (result.parts[0].kind, result.parts[0].normalised_format) == ("table", "csv")


def test_rows_without_any_position_yet_still_make_a_point_layer(tmp_path):
    result, _original = ingest_rows(
        columns=COLUMNS,
        rows=rows(2, lon=None, lat=None),
        title="Wells",
        geometry=("lon", "lat"),
        workdir=tmp_path,
    )
    [part] = result.parts
    assert (part.kind, part.family, part.row_count, part.bbox_4326) == ("vector", "points", 2, None)
    assert [w.code for w in part.warnings] == ["rows_without_coordinates"]


@pytest.mark.parametrize(
    ("columns", "geometry", "code"),
    [
        ([], None, "rows_no_columns"),
        ([{"name": "a", "type": "string"}, {"name": "a", "type": "integer"}], None, "rows_duplicate_column"),
        ([{"name": "a", "type": "string"}], ("x", "a"), "rows_geometry_column_missing"),
    ],
)
def test_declarations_that_cannot_make_a_table_are_refused(tmp_path, columns, geometry, code):
    with pytest.raises(IngestError) as info:
        ingest_rows(columns=columns, rows=[], title="T", geometry=geometry, workdir=tmp_path)
    assert info.value.code == code


# --- The service -----------------------------------------------------------------------------


def publish(cast, actor=None, **kwargs) -> Dataset | Job:
    kwargs = {"title": "Wells", "columns": COLUMNS, "rows": rows(3), "geometry": ("lon", "lat"), **kwargs}
    return services.dataset_publish_rows(actor=actor or cast.editor, landscape=cast.landscape, **kwargs)


def test_publishing_rows_creates_a_private_point_dataset_with_provenance(private_cast, media):
    dataset = publish(private_cast, method="Counted at dawn.", metadata={"keywords": ["water"]})
    dataset.refresh_from_db()
    version = dataset.current_version
    assert (dataset.kind, dataset.visibility, dataset.provenance, dataset.keywords) == (
        "vector", "private", "Counted at dawn.", ["water"],
    )  # fmt: skip
    assert (version.number, version.row_count, version.original_format, version.normalised_format) == (
        1, 3, "csv", "gpkg",
    )  # fmt: skip
    assert version.original_filename == "wells.csv" and (media / version.original_path).exists()
    assert dataset.temporal_start == dt.date(2024, 5, 1) and dataset.bbox_west == pytest.approx(36.1)
    assert AuditEvent.objects.filter(object_type="dataset", object_id=str(dataset.pk)).exists()


def test_the_next_version_has_a_change_summary_and_unchanged_rows_make_none(private_cast):
    dataset = publish(private_cast)
    publish(
        private_cast, dataset=dataset, rows=[*rows(2), {"name": "New", "lon": 36.5, "lat": -8.5}], method="v2"
    )
    dataset.refresh_from_db()
    change = dataset.current_version.change_summary
    assert (dataset.current_version.number, change["rows_added"], change["rows_removed"]) == (2, 1, 1)
    assert dataset.provenance == "v2"
    same = publish(
        private_cast,
        dataset=dataset,
        rows=[*rows(2), {"name": "New", "lon": 36.5, "lat": -8.5}],
        skip_unchanged=True,
    )
    assert same.pk == dataset.pk and same.versions.count() == 2


def test_a_table_cannot_continue_a_point_layer(private_cast, media):
    dataset = publish(private_cast)
    with pytest.raises(ValidationFailed) as info:
        publish(private_cast, dataset=dataset, geometry=None)
    assert "map data" in info.value.message and dataset.versions.count() == 1
    assert len(stored_files(media)) == 2  # only version 1's original and GeoPackage


def test_only_editors_publish_but_the_platform_itself_may(private_cast):
    with pytest.raises(Forbidden):
        publish(private_cast, actor=private_cast.member)
    with pytest.raises(NotFound):
        publish(private_cast, actor=private_cast.outsider)
    dataset = publish(private_cast, actor=services.SYSTEM)
    assert dataset.created_by is None and dataset.current_version.created_by is None
    with pytest.raises(Forbidden):
        publish(private_cast, actor=private_cast.member, dataset=dataset)


def test_bad_positions_refuse_the_rows_naming_the_row_and_store_nothing(private_cast, media):
    with pytest.raises(ValidationFailed) as info:
        publish(private_cast, rows=[*rows(2), {"name": "x", "lon": 36.1, "lat": -98.0}])
    assert "Row 4" in info.value.message and "-98" in info.value.message
    assert stored_files(media) == [] and not Dataset.objects.exists()


def test_many_rows_are_published_by_a_job(private_cast, media, settings, django_capture_on_commit_callbacks):
    settings.DATASET_PUBLISH_SYNC_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = publish(private_cast, rows=(row for row in rows(5)))
    job.refresh_from_db()
    assert isinstance(job, Job) and job.status == Job.Status.SUCCEEDED, job.error
    dataset = Dataset.objects.get(pk=job.result["id"])
    assert dataset.current_version.row_count == 5 and job.result["url"] == dataset.get_absolute_url()
    assert not [f for f in stored_files(media) if "/staged/" in f]
    assert "staged" not in str(dataset.current_version.original_path)


def test_a_failed_publishing_job_says_why_and_leaves_nothing(
    private_cast, media, settings, django_capture_on_commit_callbacks
):
    settings.DATASET_PUBLISH_SYNC_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = publish(private_cast, rows=[*rows(3), {"name": "far", "lon": 236.0, "lat": -8.0}])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Row 5" in job.error and "236" in job.error
    assert stored_files(media) == [] and not Dataset.objects.exists()
