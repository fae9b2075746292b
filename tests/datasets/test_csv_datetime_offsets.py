"""An uploaded CSV whose date-times state their offsets keeps the moments: GDAL's CSV reader drops the
offset and keeps the local clock, so the cells' text gives it back; the GeoPackage holds UTC with "Z".
Zone-less columns stay local times; a column mixing both stays local, with a warning, the same in
every batch."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings

from landmosaic.datasets import selectors, services, storage
from landmosaic.datasets.ingest import IngestLimits, IngestResult, ingest_file
from landmosaic.datasets.models import DatasetVersion
from tests.datasets.conftest import created
from tests.datasets.test_datetime_zones import items, stored

BATCH = 3  # rows per batch: the files below span several


def csv(*moments: str | None) -> bytes:
    lines = ["n,latitude,longitude,at"]
    lines += [f"{i},{-8 - i / 100:.2f},36.1,{at or ''}" for i, at in enumerate(moments)]
    return ("\n".join(lines) + "\n").encode()


def ingest(
    tmp_path: Path, data: bytes, *, batch_rows: int = BATCH, filename: str = "visits.csv"
) -> IngestResult:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "upload.csv").write_bytes(data)
    (folder / "work").mkdir()
    return ingest_file(
        path=folder / "upload.csv",
        filename=filename,
        workdir=folder / "work",
        limits=IngestLimits(batch_rows=batch_rows),
    )


def zone_warnings(part) -> list[tuple[str, int]]:
    return [
        (w.params["column"], w.params["row"]) for w in part.warnings if w.code == "rows_datetime_zones_mixed"
    ]


@pytest.mark.parametrize("batch_rows", [BATCH, 1000], ids=["batches", "one-batch"])
@pytest.mark.parametrize(
    ("moments", "expected"),
    [
        # one offset: the moments in UTC (1 May 01:00 in UTC+3 is still 30 April in UTC)
        (
            ["2024-05-01T09:00:00+03:00", "2024-05-01T01:00:00+03:00", None, "2024-05-02T23:30:15.250+03:00"],
            ["2024-05-01T06:00:00Z", "2024-04-30T22:00:00Z", None, "2024-05-02T20:30:15.250Z"],
        ),
        # several offsets in one column, Z, and the forms without a colon or minutes
        (
            [
                "2024-05-01T09:00:00+03:00",
                "2024-05-01T09:00:00Z",
                "2024-05-01T09:00:00-02:30",
                "2024-05-01 09:00+0100",
                "2024-05-01T09:00:00+05",
            ],
            [
                "2024-05-01T06:00:00Z",
                "2024-05-01T09:00:00Z",
                "2024-05-01T11:30:00Z",
                "2024-05-01T08:00:00Z",
                "2024-05-01T04:00:00Z",
            ],
        ),
        # no zone stated: local times, as they were
        (
            ["2024-05-01T09:00:00", "2024-05-01 10:00", None, "2024-05-01T11:00:00"],
            ["2024-05-01T09:00:00", "2024-05-01T10:00:00", None, "2024-05-01T11:00:00"],
        ),
    ],
    ids=["one-offset", "several-offsets", "no-zone"],
)
def test_the_geopackage_holds_the_moments_the_csv_stated(tmp_path, moments, expected, batch_rows):
    [part] = ingest(tmp_path, csv(*moments), batch_rows=batch_rows).parts
    assert part.normalised_format == "gpkg"
    assert stored(part.normalised, "at") == expected
    assert zone_warnings(part) == []
    [at] = [f for f in part.fields if f["name"] == "at"]
    assert at["type"] == "datetime"


def test_the_temporal_range_is_in_utc(tmp_path):
    data = csv("2024-05-01T01:00:00+03:00", "2024-05-03T23:30:00+03:00", "2024-05-02T12:00:00+03:00", None)
    [part] = ingest(tmp_path, data).parts
    assert part.temporal == [{"field": "at", "start": "2024-04-30T22:00:00", "end": "2024-05-03T20:30:00"}]


@pytest.mark.parametrize(
    ("moments", "row"),
    [
        # zone-less after zoned rows, in a later batch: the first batches were read as known moments
        (["2024-05-01T09:00:00+03:00"] * 4 + ["2024-05-01T10:00:00"] + ["2024-05-01T11:00:00+03:00"] * 2, 6),
        # zone-less first, zoned in a later batch
        (["2024-05-01T10:00:00"] * 4 + ["2024-05-01T09:00:00+03:00"], 2),
        # both in one batch
        (["2024-05-01T09:00:00+03:00", "2024-05-01T10:00:00", "2024-05-01T11:00:00+03:00"], 3),
    ],
    ids=["zone-less-later", "zoned-later", "same-batch"],
)
def test_a_column_mixing_zoned_and_zone_less_values_stays_local_with_one_warning(tmp_path, moments, row):
    [part] = ingest(tmp_path, csv(*moments)).parts
    texts = stored(part.normalised, "at")
    assert not any(t.endswith("Z") for t in texts)  # one column, without zones, in every batch
    # as for published rows: a value that stated its zone gives its moment (UTC), without the zone
    zoned = [i for i, m in enumerate(moments) if m.endswith("+03:00")]
    for i in zoned:
        assert texts[i] == (
            dt.datetime.fromisoformat(moments[i]).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        )
    local = [i for i in range(len(moments)) if i not in zoned]
    assert [texts[i] for i in local] == [moments[i] for i in local]
    assert zone_warnings(part) == [("at", row)]
    assert part.row_count == len(moments)


def test_a_column_empty_in_the_first_batch_is_still_marked(tmp_path):
    data = csv(None, None, None, None, "2024-05-01T09:00:00+03:00")
    [part] = ingest(tmp_path, data).parts
    assert stored(part.normalised, "at") == [None, None, None, None, "2024-05-01T06:00:00Z"]


def test_a_table_without_positions_gets_the_moments_too(tmp_path):
    data = b"n,at\n1,2024-05-01T01:00:00+03:00\n2,2024-05-01T02:00:00+03:00\n"
    [part] = ingest(tmp_path, data, filename="log.csv").parts
    assert part.normalised_format == "csv"
    assert part.normalised.read_text().splitlines()[1:] == [
        "1,2024-04-30T22:00:00Z",
        "2,2024-04-30T23:00:00Z",
    ]


def test_a_date_column_is_not_taken_for_offsets(tmp_path):
    data = csv("2024-05-01", "2024-05-02")
    [part] = ingest(tmp_path, data).parts
    assert stored(part.normalised, "at") == ["2024-05-01", "2024-05-02"]


@override_settings(DATASET_INGEST_BATCH_ROWS=BATCH)
def test_an_uploaded_csv_gives_its_moments_in_ogc_and_the_dataset_metadata(public_cast, ingest):
    data = csv(
        "2024-05-01T01:00:00+03:00",
        "2024-05-01T09:00:00+03:00",
        "2024-05-01T10:00:00+02:00",
        None,
        "2024-05-03T12:00:00-04:00",
    )
    [dataset] = created(ingest(public_cast.landscape, public_cast.editor, data, "visits.csv"))
    services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    dataset = selectors.dataset_get(actor=public_cast.manager, pk=dataset.pk)
    expected = [
        "2024-04-30T22:00:00Z",
        "2024-05-01T06:00:00Z",
        "2024-05-01T08:00:00Z",
        None,
        "2024-05-03T16:00:00Z",
    ]
    with storage.local_copy(dataset.current_version.normalised_path) as path:
        assert stored(path, "at") == expected
    assert [f["properties"]["at"] for f in items(dataset, "?limit=100")["features"]] == expected
    assert (str(dataset.temporal_start), str(dataset.temporal_end)) == ("2024-04-30", "2024-05-03")
    [version] = DatasetVersion.objects.all()
    assert version.temporal == [{"field": "at", "start": "2024-04-30T22:00:00", "end": "2024-05-03T16:00:00"}]
    assert "rows_datetime_zones_mixed" not in str(version.warnings)


@override_settings(DATASET_INGEST_BATCH_ROWS=BATCH)
def test_an_uploaded_csv_mixing_zones_warns_and_stays_local(public_cast, ingest):
    data = csv(*(["2024-05-01T09:00:00+03:00"] * 4), "2024-05-01T10:00:00")
    [dataset] = created(ingest(public_cast.landscape, public_cast.editor, data, "visits.csv"))
    version = dataset.current_version
    with storage.local_copy(version.normalised_path) as path:
        assert stored(path, "at") == ["2024-05-01T06:00:00"] * 4 + ["2024-05-01T10:00:00"]
    assert "mixes date-times with and without a time zone (row 6 has none)" in " ".join(
        version.warning_texts()
    )
