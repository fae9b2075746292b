"""Vector layers are read, checked and written in batches: a layer of many batches gives what a
one-batch ingest gives (same GeoPackages, same metadata, same warnings), and a problem in a late
batch is refused with its number in the whole layer, nothing stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyogrio.raw
import pytest
import shapely
from django.test import override_settings

from landmosaic.core.models import Job
from landmosaic.datasets.ingest import IngestError, IngestLimits, IngestResult, ingest_file
from landmosaic.datasets.models import Dataset, DatasetVersion
from tests.core.geo.builders import zipped_shapefile
from tests.datasets.builders import (
    csv_bytes,
    feature,
    fgb_bytes,
    geojson_bytes,
    gpkg_bytes,
    kml_bytes,
    placemark,
)
from tests.datasets.conftest import stored_files

BATCH = 7  # rows per batch in these tests: every layer below spans several
ONE_BATCH = 1_000_000


def ingest(tmp_path: Path, data: bytes, filename: str, *, batch_rows: int) -> IngestResult:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = folder / "upload.bin"
    source.write_bytes(data)
    (folder / "work").mkdir()
    limits = IngestLimits(batch_rows=batch_rows)
    return ingest_file(path=source, filename=filename, workdir=folder / "work", limits=limits)


def refusal(tmp_path: Path, data: bytes, filename: str, *, batch_rows: int) -> IngestError:
    with pytest.raises(IngestError) as info:
        ingest(tmp_path, data, filename, batch_rows=batch_rows)
    return info.value


def content(path: Path) -> dict:
    """Everything a reader of the GeoPackage sees: layer, types, values, geometries, index."""
    [[layer, geometry_type]] = pyogrio.list_layers(str(path)).tolist()
    meta, fids, wkb, arrays = pyogrio.raw.read(str(path), return_fids=True)
    info = pyogrio.read_info(str(path))
    return {
        "layer": layer,
        "geometry_type": geometry_type,
        "crs": meta["crs"],
        "fields": list(meta["fields"]),
        "ogr_types": meta["ogr_types"],
        "ogr_subtypes": meta["ogr_subtypes"],
        "fids": fids.tolist(),
        "values": [[None if v != v else v for v in a.tolist()] for a in arrays],  # NaN: null
        "geometries": [None if g is None else shapely.from_wkb(g).wkt for g in wkb],
        "bounds": info["total_bounds"],
        "spatial_index": info["capabilities"]["fast_spatial_filter"],
    }


def summary(result: IngestResult) -> list[dict]:
    return [
        {
            "kind": p.kind,
            "title": p.base_title,
            "layer": p.layer,
            "family": p.family,
            "split": p.split,
            "crs": p.crs,
            "geometry_type": p.geometry_type,
            "fields": p.fields,
            "rows": p.row_count,
            "bbox": p.bbox_4326,
            "temporal": p.temporal,
            "warnings": [(w.code, w.params) for w in p.warnings],
            "file": p.normalised.name,
            "content": content(p.normalised) if p.normalised_format == "gpkg" else p.normalised.read_text(),
        }
        for p in result.parts
    ]


def assert_same_in_batches(tmp_path: Path, data: bytes, filename: str) -> list[dict]:
    whole = summary(ingest(tmp_path, data, filename, batch_rows=ONE_BATCH))
    assert summary(ingest(tmp_path, data, filename, batch_rows=BATCH)) == whole
    return whole


def observations(rows: int = 40) -> list[list]:
    """Points with dates, whole numbers with nulls in some batches only, rows without a position."""
    table = [["site", "latitude", "longitude", "count", "observed", "note"]]
    for i in range(rows):
        position = ["", ""] if i in (3, 17, 30) else [f"{-8 - i / 100:.2f}", f"{36 + i / 50:.2f}"]
        count = "" if i in (9, 25) else str(i * 3)
        table.append([f"S{i}", *position, count, f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", f"n{i}"])
    return table


def test_a_csv_of_many_batches_gives_what_one_batch_gives(tmp_path):
    [part] = assert_same_in_batches(tmp_path, csv_bytes(observations()), "wells.csv")
    assert part["rows"] == 40 and part["geometry_type"] == "Point"
    assert part["temporal"] == [{"field": "observed", "start": "2023-01-01", "end": "2023-12-24"}]
    assert part["warnings"] == [("rows_without_coordinates", {"filename": "wells.csv", "count": 3, "row": 5})]
    assert part["content"]["values"][3][9] is None and part["content"]["values"][3][10] == 30


def test_a_column_that_turns_to_text_in_a_late_batch_is_text_in_every_batch(tmp_path):
    table = observations()
    table[35][3] = "-"  # GDAL would read this lone dash as an empty number
    [part] = assert_same_in_batches(tmp_path, csv_bytes(table), "wells.csv")
    assert {"name": "count", "type": "string"} in part["fields"]
    assert part["content"]["values"][3][34] == "-"


def test_a_mixed_layer_of_many_batches_is_split_as_in_one_batch(tmp_path):
    square = [[36, -8], [36.1, -8], [36.1, -8.1], [36, -8.1], [36, -8]]
    bowtie = [[36, -8], [36.1, -8.1], [36.1, -8], [36, -8.1], [36, -8]]
    features = []
    for i in range(45):
        if i < 10:  # only lines at first: the first batch suggests a layer of lines
            geometry = {"type": "LineString", "coordinates": [[36, -8], [36 + i / 10, -8.5]]}
        elif i % 9 == 0:
            geometry = None
        elif i % 5 == 0:
            geometry = {"type": "Point", "coordinates": [36 + i / 100, -8]}
        elif i in (23, 38):
            geometry = {"type": "Polygon", "coordinates": [bowtie]}  # repaired, named in the warning
        elif i == 41:  # a multi-polygon after singles: every polygon becomes multi
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[square], [[[37, -9], [37.1, -9], [37, -9.1], [37, -9]]]],
            }
        elif i % 2:
            geometry = {"type": "Polygon", "coordinates": [square]}
        else:
            geometry = {"type": "MultiLineString", "coordinates": [[[36, -8], [37, -9]]]}
        features.append(feature(geometry, n=i, day=f"2024-05-{1 + i % 28:02d}"))
    parts = assert_same_in_batches(tmp_path, geojson_bytes(features), "mixed.geojson")
    assert [(p["family"], p["geometry_type"], p["rows"]) for p in parts] == [
        ("points", "Point", 10),  # the 3 rows without a geometry join the first kind
        ("lines", "MultiLineString", 21),
        ("polygons", "MultiPolygon", 14),
    ]
    repaired = [params for code, params in parts[0]["warnings"] if code == "invalid_repaired"]
    assert repaired == [{"filename": "mixed.geojson", "layer": "mixed", "count": 2, "features": "24, 39"}]


def test_shapefile_polygons_that_turn_multi_in_a_late_batch(tmp_path):
    # Shapefiles declare "Polygon" but hold multi-part records too: here only from row 20 on.
    plots = [shapely.box(36 + i / 10, -8, 36.05 + i / 10, -7.95) for i in range(30)]
    plots[20] = shapely.MultiPolygon([plots[20], shapely.box(40, -9, 40.1, -8.9)])
    [part] = assert_same_in_batches(tmp_path, zipped_shapefile(plots, stem="plots"), "plots.zip")
    assert (part["geometry_type"], part["rows"]) == ("MultiPolygon", 30)
    assert part["bbox"] == [36.0, -9.0, 40.1, -7.95]


def test_flatgeobuf_points_of_many_batches(tmp_path):
    points = [shapely.Point(36 + i / 100, -8) for i in range(25)]
    data = fgb_bytes(points, {"n": list(range(25)), "day": [f"2024-01-{1 + i:02d}" for i in range(25)]})
    [part] = assert_same_in_batches(tmp_path, data, "wells.fgb")
    assert part["rows"] == 25


def test_a_geopackage_layer_and_kml_of_many_batches(tmp_path):
    lines = [shapely.LineString([(36, -8), (36 + i / 10, -9)]) for i in range(30)]
    data = gpkg_bytes({"roads": (lines, {"name": [f"r{i}" for i in range(30)], "lanes": list(range(30))})})
    assert_same_in_batches(tmp_path, data, "roads.gpkg")
    body = "".join(
        placemark(f"P{i}", f"<Point><coordinates>36.{i},-8</coordinates></Point>") for i in range(20)
    )
    [part] = assert_same_in_batches(tmp_path, kml_bytes(body), "places.kml")
    assert part["rows"] == 20


@pytest.mark.parametrize(
    ("row", "cells", "code", "params"),
    [
        (33, ["95.5", "36.1"], "latitude_out_of_range", {"row": 33, "column": "latitude", "value": "95.5"}),
        (26, ["-8.1", "abc"], "coordinate_not_number", {"row": 26, "column": "longitude", "value": "abc"}),
        (
            40,
            ["-8.1", ""],
            "coordinate_missing_pair",
            {"row": 40, "present": "latitude", "missing": "longitude"},
        ),
    ],
)
def test_a_bad_row_in_a_late_batch_is_named_by_its_row_in_the_file(tmp_path, row, cells, code, params):
    table = observations()
    table[row - 1][1:3] = cells  # row 1 of the file is the header
    data = csv_bytes(table)
    error = refusal(tmp_path, data, "wells.csv", batch_rows=BATCH)
    assert error.code == code and {k: error.params[k] for k in params} == params
    whole = refusal(tmp_path, data, "wells.csv", batch_rows=ONE_BATCH)
    assert (whole.code, whole.params) == (error.code, error.params)


def test_swapped_columns_are_told_only_when_every_batch_is_swapped(tmp_path):
    table = [["site", "latitude", "longitude"]] + [[f"S{i}", f"{120 + i / 10}", "-8.2"] for i in range(30)]
    assert refusal(tmp_path, csv_bytes(table), "swapped.csv", batch_rows=BATCH).code == "coordinates_swapped"
    table[25][1:3] = ["-8.2", "36.1"]  # one good row in a late batch: the first bad row is named
    error = refusal(tmp_path, csv_bytes(table), "swapped.csv", batch_rows=BATCH)
    assert (error.code, error.params["row"]) == ("latitude_out_of_range", 2)


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        ({"type": "Point", "coordinates": [1e300, 5]}, "coordinate_too_large"),
        (
            {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Point", "coordinates": [36, -8]},
                    {"type": "LineString", "coordinates": [[36, -8], [37, -9]]},
                ],
            },
            "mixed_collection",
        ),
        (
            {"type": "Polygon", "coordinates": [[[36, -8], [36, -8], [36, -8], [36, -8]]]},
            "unrepairable_geometry",
        ),
    ],
)
def test_a_bad_feature_in_a_late_batch_is_named_by_its_number_in_the_layer(tmp_path, geometry, code):
    features = [feature({"type": "Point", "coordinates": [36, -8 - i / 100]}, n=i) for i in range(30)]
    features[22] = feature(geometry, n=22)
    data = geojson_bytes(features)
    error = refusal(tmp_path, data, "plots.geojson", batch_rows=BATCH)
    assert (error.code, error.params["feature"]) == (code, 23)
    whole = refusal(tmp_path, data, "plots.geojson", batch_rows=ONE_BATCH)
    assert (whole.code, whole.params) == (error.code, error.params)


@override_settings(DATASET_INGEST_BATCH_ROWS=BATCH)
def test_a_late_bad_row_fails_the_job_and_stores_nothing(private_cast, ingest, media):
    table = observations()
    table[37][1] = "-91"
    job = ingest(private_cast.landscape, private_cast.editor, csv_bytes(table), "wells.csv")
    assert job.status == Job.Status.FAILED
    assert "Row 38 of wells.csv" in job.error and "wells.csv" in job.error
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()
    assert stored_files(media) == []


@override_settings(DATASET_INGEST_BATCH_ROWS=BATCH)
def test_the_job_reads_in_batches_of_the_setting(private_cast, ingest, media):
    job = ingest(private_cast.landscape, private_cast.editor, csv_bytes(observations()), "wells.csv")
    assert job.status == Job.Status.SUCCEEDED, job.error
    [version] = DatasetVersion.objects.all()
    assert version.row_count == 40
