"""The REST API of the data commons, as scripts and QGIS-like clients use it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.accounts.services import token_create
from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from tests.datasets.builders import csv_bytes, points_csv
from tests.datasets.conftest import created
from tests.factories import LandscapeFactory

API = "/api/v1"


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def bearer(user) -> dict:
    _token, secret = token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def wells(private_cast, ingest):
    job = ingest(
        private_cast.landscape, private_cast.editor, points_csv(), "wells.csv", title="Wells", themes=["2.1"]
    )
    return created(job)[0]


def test_upload_with_a_token_answers_202_with_the_job(private_cast, django_capture_on_commit_callbacks):
    url = f"{API}/landscapes/{private_cast.landscape.slug}/datasets"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            url,
            {
                "file": SimpleUploadedFile("wells.csv", points_csv()),
                "title": "Wells",
                "keywords": "water, wells",
                "themes": "2.1, 5.2",
                "license": "ODbL-1.0",
            },
            **bearer(private_cast.editor),
        )
    assert response.status_code == 202, response.content
    job_url = response.json()["job"]["url"]
    job = client_for(private_cast.editor).get(job_url).json()
    assert job["status"] == "succeeded" and job["result"]["url"].endswith("/data/wells/")
    dataset = Dataset.objects.get()
    assert (dataset.keywords, dataset.themes, dataset.license) == (
        ["water", "wells"],
        ["2.1", "5.2"],
        "ODbL-1.0",
    )


def test_an_unreadable_upload_is_refused_at_once_in_the_error_shape(private_cast):
    response = client_for(private_cast.editor).post(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets",
        {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "legacy_excel" and "old.xls" in error["message"]


def test_anonymous_upload_is_401(private_cast):
    response = Client().post(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets",
        {"file": SimpleUploadedFile("a.csv", b"a\n1\n")},
    )
    assert response.status_code == 401 and not Job.objects.exists()


def test_list_search_filters_and_pages(private_cast, ingest, wells):
    created(
        ingest(private_cast.landscape, private_cast.editor, csv_bytes([["crop"], ["maize"]]), "crops.csv")
    )
    client = client_for(private_cast.viewer)
    base = f"{API}/landscapes/{private_cast.landscape.slug}/datasets"
    body = client.get(base).json()
    assert body["count"] == 2 and {i["title"] for i in body["items"]} == {"Wells", "crops"}
    assert [i["title"] for i in client.get(f"{base}?kind=table").json()["items"]] == ["crops"]
    assert [i["title"] for i in client.get(f"{base}?theme=2.1").json()["items"]] == ["Wells"]
    assert [i["title"] for i in client.get(f"{base}?search=WELL").json()["items"]] == ["Wells"]
    paged = client.get(f"{base}?page_size=1&page=2").json()
    assert (paged["pages"], paged["page"], len(paged["items"])) == (2, 2, 1)


def test_detail_describes_the_current_version(private_cast, wells):
    body = client_for(private_cast.viewer).get(f"{API}/datasets/{wells.pk}").json()
    version = body["current_version"]
    assert body["themes"] == [{"code": "2.1", "label": "Map of the landscape"}]
    assert body["license"]["id"] == "CC-BY-4.0" and body["temporal_coverage"] == {
        "start": "2023-01-05",
        "end": "2023-03-01",
    }
    assert (version["number"], version["geometry_type"], version["row_count"]) == (1, "Point", 3)
    assert {d["format"] for d in version["downloads"]} == {"original", "gpkg", "geojson", "csv", "shp", "kml"}
    assert version["original"]["filename"] == "wells.csv" and len(version["original"]["sha256"]) == 64


def test_patch_metadata(private_cast, wells):
    url = f"{API}/datasets/{wells.pk}"
    editor = client_for(private_cast.editor)
    response = editor.patch(
        url,
        {"description": "Wells of the 2023 survey", "keywords": ["water"], "themes": ["5.2", "2.1"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Wells of the 2023 survey"
    assert response.json()["themes"][0]["code"] == "2.1"  # kept in framework order
    bad = editor.patch(url, {"license": "WTFPL", "themes": ["9.9"]}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()["error"]["details"]) == {"license", "themes"}
    viewer = client_for(private_cast.viewer).patch(url, {"description": "x"}, content_type="application/json")
    assert viewer.status_code == 403


def test_new_version_through_the_api(private_cast, wells, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(private_cast.editor).post(
            f"{API}/datasets/{wells.pk}/versions",
            {"file": SimpleUploadedFile("w.csv", points_csv()), "note": "again"},
        )
    assert response.status_code == 202
    versions = client_for(private_cast.viewer).get(f"{API}/datasets/{wells.pk}/versions").json()
    assert [v["number"] for v in versions] == [2, 1] and versions[0]["note"] == "again"
    assert versions[0]["change_summary"]["rows_added"] == 0


def test_sharing(private_cast, wells):
    url = f"{API}/datasets/{wells.pk}/sharing"
    partner = LandscapeFactory()
    assert (
        client_for(private_cast.editor)
        .put(url, {"visibility": "public"}, content_type="application/json")
        .status_code
        == 403
    )
    manager = client_for(private_cast.manager)
    empty = manager.put(url, {"visibility": "shared"}, content_type="application/json")
    assert empty.status_code == 400 and "landscapes" in empty.json()["error"]["details"]
    response = manager.put(
        url,
        {"visibility": "shared", "landscapes": [partner.slug], "download_access": "members"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["landscapes"] == [{"slug": partner.slug, "name": partner.name}]
    assert response.json()["download_access"] == "members"
    unknown = manager.put(
        url, {"visibility": "shared", "landscapes": ["nowhere"]}, content_type="application/json"
    )
    assert unknown.status_code == 400


def test_preview_and_features(private_cast, wells):
    client = client_for(private_cast.viewer)
    preview = client.get(f"{API}/datasets/{wells.pk}/versions/1/preview").json()
    assert preview["rows"][0] == ["Well A", -8.1, 36.1, "2023-01-05"] and preview["row_count"] == 3
    features = client.get(f"{API}/datasets/{wells.pk}/versions/1/features").json()
    assert features["type"] == "FeatureCollection" and features["numberMatched"] == 3
    assert features["features"][0]["geometry"] == {"type": "Point", "coordinates": [36.1, -8.1]}
    boxed = client.get(
        f"{API}/datasets/{wells.pk}/versions/1/features?bbox=36.0,-8.12,36.12,-8.0&limit=1"
    ).json()
    assert [f["properties"]["name"] for f in boxed["features"]] == ["Well A"]
    assert client.get(f"{API}/datasets/{wells.pk}/versions/1/features?bbox=1,2").status_code == 400
    assert client.get(f"{API}/datasets/{wells.pk}/versions/9").status_code == 404
