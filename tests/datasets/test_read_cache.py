"""Object storage: OGC reads come from a local cache of immutable version files (the same code path
runs here on local storage with the cache switched on), and downloads redirect to signed addresses."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings

from landmosaic.datasets import services, storage
from landmosaic.datasets.responses import file_response
from landmosaic.datasets.services import ExportFile
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created


@pytest.fixture
def public_wells(private_cast, ingest):
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))
    services.dataset_set_sharing(actor=private_cast.manager, dataset=dataset, visibility="public")
    return dataset


def items_url(dataset) -> str:
    return f"/ogc/collections/{dataset.landscape.slug}.{dataset.slug}/items?f=json&limit=2"


def test_ogc_reads_fill_the_cache_once_and_then_read_from_it(public_wells, media, tmp_path, settings):
    cache = tmp_path / "read-cache"
    settings.DATASET_READ_CACHE_DIR = str(cache)
    first = Client().get(items_url(public_wells))
    assert first.status_code == 200 and len(first.json()["features"]) == 2
    [cached] = list(cache.iterdir())
    assert cached.suffix == ".gpkg"
    # The stored file goes away (as if the object store were unreachable): the cache still serves.
    stored = Path(media) / public_wells.current_version.normalised_path
    stored.unlink()
    second = Client().get(items_url(public_wells))
    assert second.status_code == 200 and second.json()["features"] == first.json()["features"]
    assert list(cache.iterdir()) == [cached]


def test_without_a_cache_reads_go_to_storage_each_time(public_wells, media, settings):
    settings.DATASET_READ_CACHE_DIR = ""
    assert Client().get(items_url(public_wells)).status_code == 200
    with storage.version_file(public_wells.current_version.normalised_path) as path:
        assert path == Path(media) / public_wells.current_version.normalised_path


def test_eviction_drops_the_least_recently_used_beyond_the_size_but_never_fresh_files(tmp_path):
    old = time.time() - 3600
    for index, name in enumerate(["a.gpkg", "b.gpkg", "c.gpkg"]):
        path = tmp_path / name
        path.write_bytes(b"x" * 1000)
        os.utime(path, (old + index, old + index))  # a is the least recently used
    fresh = tmp_path / "d.gpkg"
    fresh.write_bytes(b"x" * 1000)
    (tmp_path / ".partial-123").write_bytes(b"x" * 5000)  # being written by another worker
    removed = storage.evict(tmp_path, keep_bytes=2000)
    assert sorted(p.name for p in removed) == ["a.gpkg", "b.gpkg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".partial-123", "c.gpkg", "d.gpkg"]
    assert storage.evict(tmp_path, keep_bytes=0) == [tmp_path / "c.gpkg"]  # d was used just now


S3 = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "landmosaic-test",
            "endpoint_url": "https://objects.example.org",
            "region_name": "us-east-1",
            "access_key": "test-access-key",
            "secret_key": "test-secret-key",
            "default_acl": "private",
            "querystring_auth": True,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=S3, DATASET_PRESIGNED_DOWNLOAD_SECONDS=300)
def test_downloads_from_object_storage_redirect_to_a_short_lived_signed_address():
    # Signing happens locally: no request reaches the (fictitious) object store.
    export = ExportFile(
        name="datasets/abc/original/wells.csv", filename='we"lls.csv', content_type="text/csv"
    )
    response = file_response(export)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://objects.example.org/landmosaic-test/datasets/abc/original/wells.csv?")
    assert "Signature=" in location and "Expires=" in location  # signed, and only for a while
    assert "response-content-disposition=attachment" in location
    assert response["Cache-Control"] == "private, no-store"


@override_settings(STORAGES=S3, DATASET_PRESIGNED_DOWNLOAD_SECONDS=0)
def test_signed_downloads_can_be_switched_off():
    assert storage.presigned_url("datasets/abc/x.csv", filename="x.csv", content_type="text/csv") == ""


def test_local_storage_streams_downloads_itself(public_wells):
    response = Client().get(
        f"/landscapes/{public_wells.landscape.slug}/data/{public_wells.slug}/versions/1/download/gpkg/"
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"SQLite format 3")


def test_previews_and_map_data_read_from_the_cache_too(public_wells, media, tmp_path, settings):
    settings.DATASET_READ_CACHE_DIR = str(tmp_path / "read-cache")
    page = public_wells.get_absolute_url()
    assert Client().get(page).status_code == 200  # the preview fills the cache
    (Path(media) / public_wells.current_version.normalised_path).unlink()
    assert b"Well A" in Client().get(page).content
    assert len(Client().get(f"{page}features.geojson").json()["features"]) == 3
