"""Uploads through the service and the ingest job: what is stored, and that failures store nothing."""

from __future__ import annotations

import hashlib

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from landmosaic.core.errors import Forbidden, ValidationFailed
from landmosaic.core.models import AuditEvent, Job
from landmosaic.datasets import services
from landmosaic.datasets.models import Dataset, DatasetVersion
from tests.datasets.builders import (
    csv_bytes,
    feature,
    fgb_bytes,
    geojson_bytes,
    gpkg_bytes,
    gpx_bytes,
    kml_bytes,
    placemark,
    points_csv,
    xlsx_bytes,
    zip_bytes,
    zipped_shapefile,
)
from tests.datasets.conftest import created, stored_files

SQUARE = shapely.Polygon([(36, -8), (36.1, -8), (36.1, -8.1), (36, -8.1)])
KML_POINT = "<Point><coordinates>36.05,-8.05</coordinates></Point>"
FILES = {
    "wells.csv": (points_csv(), "vector"),
    "survey.xlsx": (xlsx_bytes([["name", "lat", "lon"], ["a", -8.1, 36.1]]), "vector"),
    "harvest.csv": (csv_bytes([["crop", "t"], ["maize", 2]]), "table"),
    "plots.geojson": (geojson_bytes([feature(shapely.geometry.mapping(SQUARE), n=1)]), "vector"),
    "wells.kml": (kml_bytes(placemark("W1", KML_POINT)), "vector"),
    "wells.kmz": (zip_bytes({"doc.kml": kml_bytes(placemark("W1", KML_POINT))}), "vector"),
    "walk.gpx": (gpx_bytes(waypoints=[(36.1, -8.1)]), "vector"),
    "plots.zip": (zipped_shapefile([SQUARE]), "vector"),
    "plots.gpkg": (gpkg_bytes({"plots": ([SQUARE], {"n": [1]})}), "vector"),
    "plots.fgb": (fgb_bytes([SQUARE], {"n": [1]}), "vector"),
    "report.pdf": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "document"),
    "slides.pptx": (
        zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        "document",
    ),
}


@pytest.mark.parametrize("filename", list(FILES))
def test_each_format_becomes_a_dataset(private_cast, ingest, media, filename):
    data, kind = FILES[filename]
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, filename))
    version = dataset.current_version
    assert (dataset.kind, dataset.visibility, version.number) == (kind, "private", 1)
    assert version.original_filename == filename and version.original_size == len(data)
    # The original is kept byte for byte, and its recorded sha256 is that of the uploaded bytes.
    assert (media / version.original_path).read_bytes() == data
    assert version.original_sha256 == hashlib.sha256(data).hexdigest()
    if kind == "document":
        assert not version.normalised_path and version.media_type.startswith("application/")
    else:
        assert (media / version.normalised_path).exists() and version.row_count >= 1


def test_geotiff_becomes_a_raster_with_its_extent(private_cast, ingest, shared_data):
    data = (shared_data / "real" / "lausanne" / "ls250_06.tif").read_bytes()
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, "ls250_06.tif"))
    version = dataset.current_version
    assert (dataset.kind, version.crs, version.details["width"]) == ("raster", "EPSG:2056", 189)
    assert 6.2 < dataset.bbox_west < dataset.bbox_east < 7.0


def test_metadata_coverage_and_audit(private_cast, ingest):
    job = ingest(
        private_cast.landscape,
        private_cast.editor,
        points_csv(),
        "wells.csv",
        title="Village wells",
        keywords="water, wells",
        themes=["2.1", "5.2"],
        license="CC0-1.0",
    )
    [dataset] = created(job)
    assert (dataset.title, dataset.slug, dataset.keywords, dataset.themes) == (
        "Village wells",
        "village-wells",
        ["water", "wells"],
        ["2.1", "5.2"],
    )
    assert dataset.license == "CC0-1.0" and dataset.created_by == private_cast.editor
    assert (str(dataset.temporal_start), str(dataset.temporal_end)) == ("2023-01-05", "2023-03-01")
    assert dataset.bbox == [36.05, -8.2, 36.2, -8.1]
    assert job.result["url"] == dataset.get_absolute_url() and job.progress == 100
    assert AuditEvent.objects.filter(
        action="create", object_type="dataset", object_id=str(dataset.pk)
    ).exists()


def test_same_title_twice_gets_distinct_slugs(private_cast, ingest):
    first = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))[0]
    second = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))[0]
    assert (first.slug, second.slug) == ("wells", "wells-2")


def test_a_file_with_several_layers_makes_several_datasets_sharing_one_original(private_cast, ingest, media):
    data = gpkg_bytes({"wells": ([shapely.Point(36.1, -8.1)], {"d": [1]}), "plots": ([SQUARE], {"n": [1]})})
    datasets = created(
        ingest(private_cast.landscape, private_cast.editor, data, "landscape.gpkg", title="Survey")
    )
    assert [d.title for d in datasets] == ["Survey: wells", "Survey: plots"]
    paths = {d.current_version.original_path for d in datasets}
    assert len(paths) == 1
    # Deleting one keeps the original the other still needs.
    services.dataset_delete(actor=private_cast.manager, dataset=datasets[0])
    assert (media / paths.pop()).exists()


def test_mixed_geometries_split_into_datasets_named_by_kind(private_cast, ingest):
    point = {"type": "Point", "coordinates": [36.05, -8.05]}
    data = geojson_bytes([feature(point, n=1), feature(shapely.geometry.mapping(SQUARE), n=2)])
    datasets = created(ingest(private_cast.landscape, private_cast.editor, data, "survey.geojson"))
    assert [d.title for d in datasets] == ["survey (points)", "survey (polygons)"]


def test_warnings_are_stored_and_rendered_in_the_readers_language(private_cast, ingest):
    data = csv_bytes([["nom", "lat", "lon"], ["Forêt", "-8.1", "36.1"]], encoding="cp1252")
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, "foret.csv"))
    [warning] = dataset.current_version.warnings
    assert warning["code"] == "encoding_fallback"
    assert "Windows-1252" in dataset.current_version.warning_texts()[0]


# --- Bad input: a clear message in the job, and nothing stored --------------------------------

BAD = {
    "corrupt.gpkg": (gpkg_bytes({"a": ([SQUARE], {"n": [1]})})[:3000], "could not be read as GeoPackage"),
    "cut.geojson": (
        geojson_bytes([feature(shapely.geometry.mapping(SQUARE), n=1)])[:-20],
        "breaks at line 1",
    ),
    "points.csv": (geojson_bytes([]), "contains no features"),  # a misleading extension, and empty
    "cut.zip": (zipped_shapefile([SQUARE])[:300], "not a readable zip archive"),
    "noshp.zip": (zip_bytes({"readme.txt": b"hello"}), "contains no shapefile"),
    "noprj.zip": (
        zipped_shapefile([shapely.Point(2538000, 1152000)], crs=None, geometry_type="Point"),
        "has no coordinate reference system",
    ),
    "swapped.csv": (csv_bytes([["lat", "lon"], ["120", "-8"], ["121", "-9"]]), "look swapped"),
    "range.csv": (csv_bytes([["lat", "lon"], ["-8", "36"], ["-98", "36"]]), "Row 3 of range.csv"),
    "entities.kml": (kml_bytes("", prolog='<!DOCTYPE kml [<!ENTITY a "b">]>'), "DOCTYPE or ENTITY"),
    "traversal.kmz": (zip_bytes({"doc.kml": kml_bytes(""), "../x.kml": b"<kml/>"}), "unsafe path (../x.kml)"),
}


@pytest.mark.parametrize("filename", list(BAD))
def test_bad_input_fails_the_job_clearly_and_stores_nothing(private_cast, ingest, media, filename):
    data, phrase = BAD[filename]
    job = ingest(private_cast.landscape, private_cast.editor, data, filename)
    assert job.status == Job.Status.FAILED
    assert filename in job.error and phrase in job.error
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()
    assert stored_files(media) == []


def test_bad_input_error_keeps_its_code_for_api_clients(private_cast, media):
    with pytest.raises(ValidationFailed) as info:
        services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        )
    assert info.value.code == "legacy_excel" and ".xlsx" in info.value.message
    assert stored_files(media) == []


class HugeUpload(SimpleUploadedFile):
    """Claims to be 2 GB without holding it: the limit must be checked before anything is read."""

    @property
    def size(self):
        return 2 * 1024**3

    @size.setter
    def size(self, value):
        pass


def test_a_2_gb_file_is_refused_before_it_is_stored(private_cast, media):
    with pytest.raises(ValidationFailed) as info:
        services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=HugeUpload("big.csv", b"a,b\n1,2\n"),
        )
    assert info.value.code == "file_too_large" and "500 MB" in info.value.message
    assert stored_files(media) == [] and not Job.objects.exists()


@override_settings(DATASET_MAX_UPLOAD_BYTES=100)
def test_the_limit_is_a_setting(private_cast):
    with pytest.raises(ValidationFailed, match=r"0\.01 MB"):
        services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=SimpleUploadedFile("a.csv", b"x" * 200),
        )


def test_viewers_and_members_cannot_upload(private_cast, media):
    for person in ("viewer", "member"):
        with pytest.raises(Forbidden):
            services.dataset_create_from_upload(
                actor=private_cast[person],
                landscape=private_cast.landscape,
                upload=SimpleUploadedFile("a.csv", b"a\n1\n"),
            )
    assert stored_files(media) == []


def test_losing_the_role_before_the_job_runs_stores_nothing(
    private_cast, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.dataset_create_from_upload(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            upload=SimpleUploadedFile("w.csv", points_csv()),
        )
    private_cast.landscape.memberships.filter(user=private_cast.editor).update(role="viewer")
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and not Dataset.objects.exists()
    assert stored_files(media) == []
