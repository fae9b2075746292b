"""Every zip handed out carries a Frictionless datapackage.json describing its files with the dataset's
metadata; single-file downloads stay plain files that GIS tools open as they are."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pyogrio.raw
import pytest
import shapely
from django.test import Client, override_settings

from landmosaic.core.models import Job
from landmosaic.datasets import services, storage
from tests.datasets.builders import csv_bytes, gpkg_bytes
from tests.datasets.conftest import created

PARCEL = shapely.Polygon([(2538000, 1152000), (2539000, 1152000), (2539000, 1153000), (2538000, 1153000)])


def body(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def url(dataset, fmt: str) -> str:
    return f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/versions/1/download/{fmt}/"


@pytest.fixture
def client(private_cast) -> Client:
    client = Client()
    client.force_login(private_cast.viewer)
    return client


@pytest.fixture
def parcels(private_cast, ingest):
    data = gpkg_bytes(
        {"parcels": ([PARCEL, shapely.affinity.translate(PARCEL, 2000)], {"name": ["north", "south"]})},
        crs="EPSG:2056",
    )
    return created(
        ingest(
            private_cast.landscape,
            private_cast.editor,
            data,
            "parcels.gpkg",
            title="Parcels",
            license="ODbL-1.0",
            attribution="Survey office of the valley",
            description="Cadastral parcels",
        )
    )[0]


def _check_resources(archive: zipfile.ZipFile, descriptor: dict) -> None:
    for resource in descriptor["resources"]:
        data = archive.read(resource["path"])
        assert resource["bytes"] == len(data)
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"


def test_zipped_shapefile_holds_a_datapackage_describing_its_parts(client, parcels, tmp_path):
    path = tmp_path / "parcels.zip"
    path.write_bytes(body(client.get(url(parcels, "shp"))))
    archive = zipfile.ZipFile(path)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["title"] == "Parcels" and descriptor["description"] == "Cadastral parcels"
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0"
    assert descriptor["licenses"][0]["path"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert descriptor["sources"] == [{"title": "Survey office of the valley"}]
    assert descriptor["landmosaic"]["crs"] == "EPSG:2056"
    paths = {r["path"] for r in descriptor["resources"]}
    assert paths == set(archive.namelist()) - {"datapackage.json"}
    assert {p.rsplit(".", 1)[1] for p in paths} >= {"shp", "shx", "dbf", "prj"}
    shp = next(r for r in descriptor["resources"] if r["format"] == "shp")
    assert shp["mediatype"] == "application/vnd.shp"
    _check_resources(archive, descriptor)
    # The shapefile still opens in GIS tools straight from the zip.
    _meta, _fids, geometry, _fields = pyogrio.raw.read(f"/vsizip/{path}/parcels-v1.shp")
    assert len(geometry) == 2


def test_package_of_a_shapefile_is_the_same_described_zip(client, parcels):
    plain = body(client.get(url(parcels, "shp")))
    packaged = client.get(f"{url(parcels, 'shp')}?package=1")
    assert body(packaged) == plain
    assert packaged["Content-Disposition"].endswith('parcels-v1.zip"')


@pytest.mark.parametrize("fmt,magic", [("gpkg", b"SQLite format 3"), ("geojson", b"{"), ("kml", b"<?xml")])
def test_single_file_downloads_stay_plain_files(client, parcels, fmt, magic):
    assert body(client.get(url(parcels, fmt))).startswith(magic)


@pytest.mark.parametrize("fmt", ["geojson", "kml", "csv"])
def test_any_vector_format_comes_zipped_with_a_datapackage(client, parcels, fmt):
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(f"{url(parcels, fmt)}?package=1"))))
    descriptor = json.loads(archive.read("datapackage.json"))
    [resource] = descriptor["resources"]
    assert resource["path"] == f"data/parcels-v1.{fmt}"
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0"
    _check_resources(archive, descriptor)


def test_table_csv_is_plain_and_its_package_has_the_table_schema(private_cast, client, ingest):
    rows = [["code", "amount"], ["a", 1], ["b", 2]]
    table = created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(rows), "ledger.csv"))[0]
    assert body(client.get(url(table, "csv"))).decode().splitlines()[0] == "code,amount"
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(f"{url(table, 'csv')}?package=1"))))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]] == ["code", "amount"]


@override_settings(DATASET_EXPORT_SYNC_MAX_ROWS=1)
def test_a_large_shapefile_made_by_the_job_is_described_too(
    private_cast, parcels, django_capture_on_commit_callbacks
):
    version = parcels.current_version
    with django_capture_on_commit_callbacks(execute=True):
        job = services.version_export(
            actor=private_cast.viewer, dataset=parcels, version=version, fmt="shp", package=True
        )
    assert isinstance(job, Job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    export = services.version_export(actor=private_cast.viewer, dataset=parcels, version=version, fmt="shp")
    assert export.filename == "parcels-v1.zip"
    with storage.local_copy(export.name) as local, zipfile.ZipFile(local) as archive:
        assert "datapackage.json" in archive.namelist()


def test_download_section_explains_the_rule(client, parcels):
    page = client.get(f"/landscapes/{parcels.landscape.slug}/data/{parcels.slug}/").content.decode()
    assert "Every zip holds a datapackage.json" in page
    assert f'href="{url(parcels, "geojson")}?package=1">Zip with description (datapackage.json)</a>' in page
    assert f'href="{url(parcels, "shp")}?package=1"' not in page
    assert "(with datapackage.json)" in page
