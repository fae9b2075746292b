"""Downloads in every format: readable, in the right CRS, cached, packaged, and safe in spreadsheets."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pyogrio.raw
import pytest
import shapely
from django.test import Client, override_settings

from landmosaic.core.models import Job
from landmosaic.core.spreadsheet import neutralise
from landmosaic.datasets import services
from tests.datasets.builders import csv_bytes, feature, geojson_bytes, gpkg_bytes, points_csv
from tests.datasets.conftest import created

INJECTIONS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain", "a=b"]
PARCEL = shapely.Polygon([(2538000, 1152000), (2539000, 1152000), (2539000, 1153000), (2538000, 1153000)])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def parcels(private_cast, ingest):
    """A polygon layer in the Swiss CRS whose names try to inject formulas."""
    geometries = [shapely.affinity.translate(PARCEL, 1500 * i) for i in range(len(INJECTIONS))]
    data = gpkg_bytes(
        {"parcels": (geometries, {"name": INJECTIONS, "area": [1.5] * len(INJECTIONS)})}, crs="EPSG:2056"
    )
    return created(ingest(private_cast.landscape, private_cast.editor, data, "parcels.gpkg"))[0]


def url(dataset, fmt: str, number: int = 1) -> str:
    return f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/versions/{number}/download/{fmt}/"


def test_geopackage_is_the_archival_copy_in_the_original_crs(private_cast, parcels, tmp_path):
    response = signed_in(private_cast.viewer).get(url(parcels, "gpkg"))
    assert response["Content-Disposition"] == 'attachment; filename="parcels-v1.gpkg"'
    assert response["Cache-Control"] == "private, no-store"
    path = tmp_path / "x.gpkg"
    path.write_bytes(body(response))
    meta, _fids, _geometry, fields = pyogrio.raw.read(path)
    assert meta["crs"] == "EPSG:2056" and list(fields[0]) == INJECTIONS


def test_geojson_is_in_longitude_latitude(private_cast, parcels):
    document = json.loads(body(signed_in(private_cast.viewer).get(url(parcels, "geojson"))))
    x, y = document["features"][0]["geometry"]["coordinates"][0][0]
    assert 6.5 < x < 6.8 and 46.4 < y < 46.7
    assert document["features"][0]["properties"]["name"] == INJECTIONS[0]  # GeoJSON is no spreadsheet


def test_csv_neutralises_formulas_and_carries_wkt(private_cast, parcels):
    rows = list(
        csv.reader(io.StringIO(body(signed_in(private_cast.viewer).get(url(parcels, "csv"))).decode()))
    )
    assert rows[0] == ["name", "area", "wkt"]
    names = [row[0] for row in rows[1:]]
    assert names == ["'" + v if v[0] in "=+-@\t\r" else v for v in INJECTIONS]
    assert rows[1][2].startswith("POLYGON ((6.")


def test_points_csv_gets_longitude_and_latitude_unless_it_has_them(private_cast, ingest):
    point = {"type": "Point", "coordinates": [36.1, -8.1]}
    [from_geojson] = created(
        ingest(private_cast.landscape, private_cast.editor, geojson_bytes([feature(point, n=1)]), "p.geojson")
    )
    [from_csv] = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))
    client = signed_in(private_cast.viewer)
    header = body(client.get(url(from_geojson, "csv"))).decode().splitlines()
    assert header == ["n,longitude,latitude", "1,36.1,-8.1"]
    assert body(client.get(url(from_csv, "csv"))).decode().splitlines()[0] == "name,latitude,longitude,date"


def test_zipped_shapefile_and_kml(private_cast, parcels, tmp_path):
    client = signed_in(private_cast.viewer)
    archive = tmp_path / "parcels.zip"
    archive.write_bytes(body(client.get(url(parcels, "shp"))))
    assert {n.rsplit(".", 1)[1] for n in zipfile.ZipFile(archive).namelist()} >= {
        "shp",
        "shx",
        "dbf",
        "prj",
        "cpg",
    }
    meta, _fids, geometry, _fields = pyogrio.raw.read(f"/vsizip/{archive}/parcels-v1.shp")
    assert len(geometry) == len(INJECTIONS) and "2056" in meta["crs"]
    kml = tmp_path / "parcels.kml"
    kml.write_bytes(body(client.get(url(parcels, "kml"))))
    _meta, _fids, geometry, _fields = pyogrio.raw.read(kml)
    assert 6.5 < shapely.from_wkb(geometry[0]).centroid.x < 6.8


# GDAL reads a carriage return inside a quoted CSV cell as a line break, which it stores as "\n".
TABLE_TEXTS = [v.replace("\r", "\n") for v in INJECTIONS]


@pytest.fixture
def table(private_cast, ingest):
    rows = [["code", "note", "amount"], *[[f"{i:03d}", text, i] for i, text in enumerate(INJECTIONS)]]
    return created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(rows), "ledger.csv"))[0]


def test_table_csv_neutralises_formulas_and_keeps_numbers(private_cast, table):
    rows = list(csv.reader(io.StringIO(body(signed_in(private_cast.viewer).get(url(table, "csv"))).decode())))
    assert [r[1] for r in rows[1:]] == [neutralise(v) for v in TABLE_TEXTS]
    assert [r[2] for r in rows[1:4]] == ["0", "1", "2"] and rows[1][0] == "000"


def test_table_xlsx_neutralises_formulas_with_typed_cells(private_cast, table, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(body(signed_in(private_cast.viewer).get(url(table, "xlsx"))))
    meta, _fids, _geometry, fields = pyogrio.raw.read(path, HEADERS="FORCE")
    assert list(fields[1]) == [neutralise(v) for v in TABLE_TEXTS]
    assert meta["ogr_types"][2] == "OFTInteger"


@pytest.mark.parametrize("fmt,data_name", [("csv", "data/ledger-v1.csv"), ("xlsx", "data/ledger-v1.xlsx")])
def test_data_package_with_datapackage_json(private_cast, table, fmt, data_name):
    response = signed_in(private_cast.viewer).get(f"{url(table, fmt)}?package=1")
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    descriptor = json.loads(archive.read("datapackage.json"))
    [resource] = descriptor["resources"]
    data = archive.read(data_name)
    assert resource["path"] == data_name and resource["bytes"] == len(data)
    assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["title"] == "ledger"
    if fmt == "csv":
        assert resource["schema"]["fields"][0] == {"name": "code", "type": "string"}


def test_geopackage_package(private_cast, parcels):
    archive = zipfile.ZipFile(
        io.BytesIO(body(signed_in(private_cast.viewer).get(f"{url(parcels, 'gpkg')}?package=1")))
    )
    assert sorted(archive.namelist()) == ["data/parcels-v1.gpkg", "datapackage.json"]
    assert json.loads(archive.read("datapackage.json"))["landmosaic"]["crs"] == "EPSG:2056"


def test_exports_are_cached_in_storage(private_cast, parcels, media, monkeypatch):
    client = signed_in(private_cast.viewer)
    first = body(client.get(url(parcels, "geojson")))
    assert list((media / parcels.current_version.storage_prefix / "exports").iterdir())

    def fail(*args, **kwargs):
        raise AssertionError("the cached export should have been served")

    monkeypatch.setattr(services.downloads, "produce", fail)
    assert body(client.get(url(parcels, "geojson"))) == first


def test_unknown_or_unfit_formats_are_400(private_cast, parcels, table):
    client = signed_in(private_cast.viewer)
    assert client.get(url(parcels, "xlsx")).status_code == 400
    response = client.get(f"/api/v1/datasets/{table.pk}/versions/1/download?format=kml")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_format"


@override_settings(DATASET_EXPORT_SYNC_MAX_ROWS=2)
def test_large_exports_are_produced_by_a_job(private_cast, parcels, django_capture_on_commit_callbacks):
    client = signed_in(private_cast.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url(parcels, "kml"))
    job = Job.objects.get(kind="datasets.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED and job.result["url"] == url(parcels, "kml")
    assert client.get(job.result["url"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api = client.get(f"/api/v1/datasets/{parcels.pk}/versions/1/download?format=geojson")
    assert api.status_code == 202 and api.json()["job"]["url"].startswith("/api/v1/jobs/")
