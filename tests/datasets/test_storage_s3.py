"""Datasets on S3-compatible object storage, over real HTTP.

No MinIO runs here and no container registry is reachable, so the S3 server is moto's standalone
server (``ThreadedMotoServer``) on a free loopback port: boto3 and django-storages talk the S3
protocol to it over real HTTP, the closest thing to a real object store that runs on this machine.
The storage settings are the very ones production builds (``s3_storage``).

Two limits of moto, so checked here otherwise: it does not verify the signature or the expiry of
a presigned address (any URL containing ``Signature=`` passes), so the tests recompute the SigV4
signature with botocore and check that it covers the expiry; and it does refuse an unsigned
request for a private object, as S3 does.
"""

from __future__ import annotations

import re
import secrets
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.config.settings.storage import s3_storage
from landmosaic.core.models import Job
from landmosaic.datasets import services, storage
from landmosaic.datasets.models import Dataset
from tests.datasets.builders import points_csv
from tests.datasets.conftest import stored_files
from tests.maps.test_tiles import BLUE, RED, land_cover, pixels, tile_tiff, tile_url

moto_server = pytest.importorskip(
    "moto.server", reason="moto[server] is not installed (pip install -e '.[dev]'): no S3 endpoint to test"
)
boto3 = pytest.importorskip("boto3")
from botocore.auth import S3SigV4QueryAuth  # noqa: E402 (botocore comes with boto3)
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

ACCESS_KEY = "landmosaic-test-key"
SECRET_KEY = "landmosaic-test-secret"
REGION = "us-east-1"
PRESIGN_SECONDS = 300
#: Keys of a version's files: a random folder, never derived from a dataset's id or title.
ORIGINAL = re.compile(r"^datasets/[0-9a-f]{32}/original/wells\.csv$")
NORMALISED = re.compile(r"^datasets/[0-9a-f]{32}/[^/]+\.gpkg$")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: Any

    def stored_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def object_url(self, key: str) -> str:
        return f"{self.endpoint}/{self.name}/{quote(key)}"


@pytest.fixture
def bucket(s3_endpoint, settings) -> Bucket:
    """A fresh private bucket, and the default storage pointed at it (Django resets its storages
    when STORAGES changes, so every storage call in the app goes to the bucket)."""
    name = f"landmosaic-{secrets.token_hex(6)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        "default": s3_storage(
            bucket_name=name,
            endpoint_url=s3_endpoint,
            region_name=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        ),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    settings.DATASET_PRESIGNED_DOWNLOAD_SECONDS = PRESIGN_SECONDS
    settings.DATASET_READ_CACHE_DIR = ""
    return Bucket(name=name, endpoint=s3_endpoint, client=client)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """A plain HTTP GET, as a browser following the redirect would make it (no credentials)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def signature_is_valid(url: str) -> bool:
    """Recompute the SigV4 query signature of ``url`` with the bucket's secret, as S3 does."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    given = dict(query)["X-Amz-Signature"]
    unsigned = [(k, v) for k, v in query if k != "X-Amz-Signature"]
    request = AWSRequest(
        method="GET", url=urlunsplit(parts._replace(query=urlencode(unsigned, quote_via=quote)))
    )
    request.context["timestamp"] = dict(query)["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION)
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request) == given


def upload_wells(cast, capture) -> Dataset:
    with capture(execute=True):
        response = signed_in(cast.editor).post(
            f"/landscapes/{cast.landscape.slug}/data/upload/",
            {"files": [SimpleUploadedFile("wells.csv", points_csv())], "license": "CC-BY-4.0"},
        )
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return Dataset.objects.get(slug="wells")


def download_url(dataset: Dataset, fmt: str) -> str:
    return f"{dataset.get_absolute_url()}versions/1/download/{fmt}/"


def test_an_upload_is_ingested_into_the_bucket_under_random_keys(
    private_cast, bucket, media, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    version = wells.current_version
    assert version.row_count == 3
    keys = bucket.stored_keys()
    assert keys == sorted([version.original_path, version.normalised_path]), keys
    assert ORIGINAL.match(version.original_path) and NORMALISED.match(version.normalised_path)
    body = bucket.client.get_object(Bucket=bucket.name, Key=version.original_path)["Body"].read()
    assert body == points_csv()  # stored byte for byte
    assert stored_files(media) == []  # nothing went to the local folder


def test_stored_objects_are_private_and_storage_urls_are_signed(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    keys = bucket.stored_keys()
    assert len(keys) == 2
    for key in keys:
        status, _headers, body = fetch(bucket.object_url(key))
        assert status == 403 and body != points_csv(), key  # no plain URL reaches a file
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        assert [grant["Grantee"].get("URI") for grant in grants] == [None]  # the owner only
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert default_storage.querystring_auth is True
    assert "X-Amz-Signature=" in default_storage.url(wells.current_version.original_path)


def test_downloads_redirect_to_presigned_addresses_that_work_and_expire(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    client = signed_in(private_cast.viewer)
    for fmt, check in [
        ("original", lambda body: body == points_csv()),
        ("gpkg", lambda body: body.startswith(b"SQLite format 3\x00")),
    ]:
        response = client.get(download_url(wells, fmt))
        assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
        location = response["Location"]
        assert location.startswith(f"{bucket.endpoint}/{bucket.name}/datasets/")
        status, headers, body = fetch(location)
        assert status == 200 and check(body), fmt
        assert headers["Content-Disposition"].startswith("attachment; filename=")
        assert headers["Cache-Control"] == "private, no-store"
        # The address expires: signed now, valid PRESIGN_SECONDS, and the signature covers both.
        query = dict(parse_qsl(urlsplit(location).query))
        signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert abs(signed_at.timestamp() - time.time()) < 60
        assert query["X-Amz-Expires"] == str(PRESIGN_SECONDS)
        assert signature_is_valid(location)
        longer = location.replace(f"X-Amz-Expires={PRESIGN_SECONDS}", "X-Amz-Expires=604800")
        assert longer != location and not signature_is_valid(longer)


def test_a_private_dataset_gives_an_outsider_a_404_and_no_signed_address(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    for client in (Client(), signed_in(private_cast.outsider)):
        for fmt in ("original", "gpkg", "csv"):
            response = client.get(download_url(wells, fmt))
            assert response.status_code == 404
            assert not response.has_header("Location")
            assert bucket.endpoint.encode() not in response.content
            assert b"X-Amz-Signature" not in response.content
    assert len(bucket.stored_keys()) == 2  # and no export was made for them


def test_exports_are_built_from_the_bucket_and_cached_in_it(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    response = signed_in(private_cast.viewer).get(download_url(wells, "geojson"))
    assert response.status_code == 302
    [export] = [key for key in bucket.stored_keys() if "/exports/" in key]
    assert export.startswith(wells.current_version.storage_prefix + "/exports/")
    status, _headers, body = fetch(response["Location"])
    assert status == 200 and b'"FeatureCollection"' in body and b"Well A" in body


def test_reads_fill_the_local_cache_once_then_need_no_bucket(
    private_cast, bucket, tmp_path, settings, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="public")
    cache = tmp_path / "read-cache"
    settings.DATASET_READ_CACHE_DIR = str(cache)
    items = f"/ogc/collections/{wells.landscape.slug}.{wells.slug}/items?f=json&limit=2"
    first = Client().get(items)
    assert first.status_code == 200 and len(first.json()["features"]) == 2
    [cached] = list(cache.iterdir())
    assert cached.read_bytes().startswith(b"SQLite format 3\x00")
    # The object leaves the bucket: the cache still answers, for OGC, the preview and map data.
    bucket.client.delete_object(Bucket=bucket.name, Key=wells.current_version.normalised_path)
    second = Client().get(items)
    assert second.status_code == 200 and second.json()["features"] == first.json()["features"]
    assert b"Well A" in Client().get(wells.get_absolute_url()).content
    assert len(Client().get(f"{wells.get_absolute_url()}features.geojson").json()["features"]) == 3
    assert list(cache.iterdir()) == [cached]


def test_without_a_cache_readers_get_a_temporary_copy_from_the_bucket(
    private_cast, bucket, media, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    with storage.version_file(wells.current_version.normalised_path) as path:
        copy = Path(path)
        assert copy.read_bytes().startswith(b"SQLite format 3\x00")
        assert not copy.is_relative_to(media)
    assert not copy.exists()  # removed once read


def test_deleting_a_dataset_empties_its_keys_from_the_bucket(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    signed_in(private_cast.viewer).get(download_url(wells, "geojson"))  # an export too
    assert len(bucket.stored_keys()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_delete(actor=private_cast.manager, dataset=wells)
    assert bucket.stored_keys() == []


def test_with_signing_off_downloads_stream_from_the_bucket_through_the_server(
    private_cast, bucket, settings, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    settings.DATASET_PRESIGNED_DOWNLOAD_SECONDS = 0
    response = signed_in(private_cast.viewer).get(download_url(wells, "original"))
    assert response.status_code == 200 and not response.has_header("Location")
    assert b"".join(response.streaming_content) == points_csv()
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_raster_on_the_bucket_gives_its_quicklook_and_map_tiles(
    private_cast, bucket, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.DATASET_READ_CACHE_DIR = str(tmp_path / "read-cache")
    data = tile_tiff(land_cover(), nodata=0, colormap={1: (*RED, 255), 2: (*BLUE, 255)})
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(private_cast.editor).post(
            f"/landscapes/{private_cast.landscape.slug}/data/upload/",
            {"files": [SimpleUploadedFile("cover.tif", data)], "license": "CC-BY-4.0"},
        )
    assert response.status_code == 302
    cover = Dataset.objects.get(slug="cover")
    version = cover.current_version
    assert {key.rsplit("/", 1)[1] for key in bucket.stored_keys()} >= {"cover.tif", "quicklook.png"}
    viewer = signed_in(private_cast.viewer)
    quicklook = viewer.get(f"{cover.get_absolute_url()}versions/1/quicklook.png")
    assert quicklook.status_code == 200 and b"".join(quicklook.streaming_content).startswith(b"\x89PNG")
    image = pixels(viewer.get(tile_url(cover)))
    assert tuple(image[200, 40]) == (*RED, 255) and tuple(image[200, 220]) == (*BLUE, 255)
    assert version.normalised_path in bucket.stored_keys()
    assert Client().get(tile_url(cover)).status_code == 404  # private: nothing for strangers


def test_a_signed_download_keeps_a_name_with_accents_and_quotes(
    private_cast, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(private_cast.editor).post(
            f"/landscapes/{private_cast.landscape.slug}/data/upload/",
            {"files": [SimpleUploadedFile('puits "été".csv', points_csv())], "license": "CC-BY-4.0"},
        )
    dataset = Dataset.objects.get()
    response = signed_in(private_cast.viewer).get(download_url(dataset, "original"))
    status, headers, body = fetch(response["Location"])
    assert status == 200 and body == points_csv()
    disposition = headers["Content-Disposition"]
    assert disposition.isascii(), disposition  # a header browsers read the same way
    assert disposition == "attachment; filename*=utf-8''puits%20%22%C3%A9t%C3%A9%22.csv"


def test_a_large_export_is_made_by_a_job_into_the_bucket_then_signed(
    private_cast, bucket, settings, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    settings.DATASET_EXPORT_SYNC_MAX_ROWS = 1
    client = signed_in(private_cast.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(download_url(wells, "kml"))
    job = Job.objects.get(kind="datasets.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED, job.error
    [export] = [key for key in bucket.stored_keys() if "/exports/" in key]
    assert export.endswith(".kml")
    ready = client.get(job.result["url"])
    assert ready.status_code == 302 and ready["Location"].startswith(f"{bucket.endpoint}/{bucket.name}/")
    status, _headers, body = fetch(ready["Location"])
    assert status == 200 and b"<kml" in body and b"Well A" in body


def test_over_http_the_live_server_redirects_and_the_store_serves_the_file(
    live_server, private_cast, bucket, django_capture_on_commit_callbacks
):
    wells = upload_wells(private_cast, django_capture_on_commit_callbacks)
    services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="public")
    # A plain HTTP client, as a browser: the app answers with a redirect, the store with the file.
    status, headers, body = fetch(f"{live_server.url}{download_url(wells, 'original')}")
    assert status == 200 and body == points_csv()
    assert headers["Content-Disposition"] == 'attachment; filename="wells.csv"'
    services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="private")
    status, _headers, body = fetch(f"{live_server.url}{download_url(wells, 'original')}")
    assert status == 404 and points_csv() not in body
