"""The pages of the data commons: list, upload with progress, dataset, edit, share, delete."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from tests.datasets.builders import csv_bytes, points_csv
from tests.datasets.conftest import created, stored_files


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def data_url(cast, rest: str = "") -> str:
    return f"/landscapes/{cast.landscape.slug}/data/{rest}"


@pytest.fixture
def wells(private_cast, ingest):
    return created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))[0]


def test_empty_data_page_invites_editors_to_upload(private_cast):
    html = signed_in(private_cast.editor).get(data_url(private_cast)).content.decode()
    assert "No data here yet" in html and data_url(private_cast, "upload/") in html
    assert (
        data_url(private_cast, "upload/")
        not in signed_in(private_cast.viewer).get(data_url(private_cast)).content.decode()
    )


def test_the_landscape_page_links_to_its_data(private_cast):
    html = signed_in(private_cast.viewer).get(f"/landscapes/{private_cast.landscape.slug}/").content.decode()
    assert f'href="{data_url(private_cast)}"' in html


def test_data_page_lists_and_filters(private_cast, wells, ingest):
    created(
        ingest(private_cast.landscape, private_cast.editor, csv_bytes([["crop"], ["maize"]]), "crops.csv")
    )
    client = signed_in(private_cast.viewer)
    html = client.get(data_url(private_cast)).content.decode()
    assert "2 datasets" in html and wells.get_absolute_url() in html
    partial = client.get(data_url(private_cast) + "?kind=table", HTTP_HX_REQUEST="true").content.decode()
    assert "crops" in partial and "wells" not in partial and "<html" not in partial
    assert "No dataset matches" in client.get(data_url(private_cast) + "?q=nothing").content.decode()


def test_uploading_several_files_shows_one_progress_bar_each(
    private_cast, django_capture_on_commit_callbacks
):
    client = signed_in(private_cast.editor)
    files = [
        SimpleUploadedFile("wells.csv", points_csv()),
        SimpleUploadedFile("crops.csv", csv_bytes([["crop"], ["maize"]])),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(data_url(private_cast, "upload/"), {"files": files, "license": "CC-BY-4.0"})
    assert response.status_code == 302 and "/data/upload/progress/?job=" in response["Location"]
    assert Job.objects.filter(status="succeeded").count() == 2
    html = client.get(response["Location"]).content.decode()
    assert html.count("<progress") == 2 and "wells.csv" in html and "crops.csv" in html
    assert "Open “wells”" in html and Dataset.objects.get(slug="wells").get_absolute_url() in html


def test_an_unreadable_file_is_refused_at_once_and_the_others_go_on(
    private_cast, django_capture_on_commit_callbacks
):
    client = signed_in(private_cast.editor)
    files = [
        SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
        SimpleUploadedFile("wells.csv", points_csv()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            data_url(private_cast, "upload/"), {"files": files, "license": "CC-BY-4.0"}, follow=True
        )
    html = response.content.decode()
    assert "old.xls is an old Excel workbook" in html and html.count("<progress") == 1


@override_settings(DATASET_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_limit_stops_the_upload_and_stores_nothing(private_cast, media):
    response = signed_in(private_cast.editor).post(
        data_url(private_cast, "upload/"),
        {"files": [SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 2000)]},
    )
    assert response.status_code == 400
    assert "big.csv is larger than the 0.01 MB allowed" in response.content.decode()
    assert not Job.objects.exists() and stored_files(media) == []


def test_dataset_page_shows_preview_map_versions_and_downloads(private_cast, wells):
    html = signed_in(private_cast.viewer).get(wells.get_absolute_url()).content.decode()
    assert "First 3 rows of 3" in html and "Well A" in html and '<th scope="col">latitude<br>' in html
    assert f'data-geojson-url="{wells.get_absolute_url()}features.geojson?version=1"' in html
    assert "versions/1/download/gpkg/" in html and "versions/1/download/csv/?package=1" in html
    assert "First version" in html and wells.current_version.original_sha256 in html
    assert "Edit description" not in html  # viewers see no editing actions


def test_map_data_is_geojson(private_cast, wells):
    response = signed_in(private_cast.viewer).get(f"{wells.get_absolute_url()}features.geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert len(json.loads(response.content)["features"]) == 3


def test_names_and_values_with_html_are_escaped(private_cast, ingest):
    rows = [["<script>alert(1)</script>", "lat", "lon"], ["<img src=x onerror=alert(2)>", "-8.1", "36.1"]]
    job = ingest(
        private_cast.landscape, private_cast.editor, csv_bytes(rows), "x.csv", title="<b>Bold</b> wells"
    )
    [dataset] = created(job)
    client = signed_in(private_cast.viewer)
    for url in (dataset.get_absolute_url(), data_url(private_cast)):
        html = client.get(url).content.decode()
        assert (
            "<script>alert(1)</script>" not in html and "<img src=x" not in html and "<b>Bold</b>" not in html
        )


def test_edit_metadata(private_cast, wells):
    client = signed_in(private_cast.editor)
    url = f"{wells.get_absolute_url()}edit/"
    response = client.post(
        url,
        {
            "title": "Village wells",
            "keywords": "water, wells",
            "themes": ["2.1"],
            "license": "CC0-1.0",
            "update_frequency": "annually",
            "language": "sw",
        },
    )
    assert response.status_code == 302
    wells.refresh_from_db()
    assert (wells.title, wells.slug, wells.keywords, wells.license) == (
        "Village wells",
        "wells",
        ["water", "wells"],
        "CC0-1.0",
    )
    bad = client.post(
        url, {"title": "x", "license": "CC0-1.0", "update_frequency": "annually", "language": "Swahili!"}
    )
    assert bad.status_code == 400 and "language code" in bad.content.decode()


def test_share_publicly_from_the_page(private_cast, wells):
    response = signed_in(private_cast.manager).post(
        f"{wells.get_absolute_url()}sharing/", {"visibility": "public", "download_access": "viewers"}
    )
    assert response.status_code == 302
    assert Client().get(wells.get_absolute_url()).status_code == 200


def test_new_version_from_the_page(private_cast, wells, django_capture_on_commit_callbacks):
    client = signed_in(private_cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{wells.get_absolute_url()}versions/new/",
            {"file": SimpleUploadedFile("wells.csv", points_csv()), "note": "checked"},
        )
    assert response.status_code == 302
    html = client.get(wells.get_absolute_url() + "?version=1").content.decode()
    assert "You are looking at version 1" in html and "0 rows added, 0 removed" in html


def test_delete_needs_the_exact_title_and_removes_the_files(
    private_cast, wells, media, django_capture_on_commit_callbacks
):
    client = signed_in(private_cast.manager)
    url = f"{wells.get_absolute_url()}delete/"
    assert client.post(url, {"confirm_title": "nope"}).status_code == 302 and Dataset.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm_title": "wells"})
    assert response["Location"] == data_url(private_cast)
    assert not Dataset.objects.exists() and stored_files(media) == []


def test_progress_page_skips_mangled_job_ids(private_cast, wells):
    response = signed_in(private_cast.editor).get(
        data_url(private_cast, "upload/progress/?job=nope&job=1234")
    )
    assert response.status_code == 200 and "No upload to follow" in response.content.decode()
