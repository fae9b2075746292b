"""Point map pages and REST API: configure from a dataset, open, list, change, delete; 404 for outsiders."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.datasets import services as dataset_services
from landmosaic.maps.models import PointMap
from tests.datasets.builders import csv_bytes
from tests.datasets.conftest import add_version, created, ingest, media  # noqa: F401 - fixtures used here
from tests.datasets.test_api import bearer, client_for
from tests.maps.test_point_maps import WELLS, make_map

API = "/api/v1"


@pytest.fixture
def wells(private_cast, ingest):  # noqa: F811 - the fixture imported above
    [dataset] = created(
        ingest(private_cast.landscape, private_cast.editor, csv_bytes(WELLS), "wells.csv", title="Wells")
    )
    return dataset


def test_an_editor_configures_a_map_from_the_dataset_page(private_cast, wells):
    editor = client_for(private_cast.editor)
    page = editor.get(wells.get_absolute_url())
    new_url = f"/landscapes/{wells.landscape.slug}/data/{wells.slug}/maps/new/"
    assert new_url.encode() in page.content and b"Make a point map" in page.content
    form = editor.get(new_url)
    assert form.status_code == 200
    # Pre-filled: the detected coordinate columns and the first other columns for the popup.
    assert form.context["form"].initial["latitude_field"] == "latitude"
    assert form.context["form"].initial["popup_fields"] == ["name", "kind", "depth_m"]
    response = editor.post(
        new_url,
        {
            "title": "Wells by kind",
            "description": "Where the water is.",
            "latitude_field": "latitude",
            "longitude_field": "longitude",
            "colour_field": "kind",
            "colour_mode": "",
            "point_size": "8",
            "popup_fields": ["name", "depth_m"],
            "visibility": "private",
        },
    )
    point_map = PointMap.objects.get()
    assert response.status_code == 302 and response["Location"] == point_map.get_absolute_url()
    page = editor.get(point_map.get_absolute_url())
    assert page.status_code == 200
    assert b"data-lm-point-map" in page.content and b"Where the water is." in page.content
    assert b"vendor/leaflet/leaflet.js" in page.content  # the local build, no CDN
    data = editor.get(f"{point_map.get_absolute_url()}data.geojson")
    assert data["Content-Type"] == "application/geo+json"
    assert data.json()["numberReturned"] == 4 and data.json()["style"]["radius"] == 8
    # Listed on the dataset page and on the landscape's data page.
    assert b"Wells by kind" in editor.get(wells.get_absolute_url()).content
    assert b"Wells by kind" in editor.get(f"/landscapes/{wells.landscape.slug}/data/").content


def test_a_bad_form_says_what_is_wrong_and_stores_nothing(private_cast, wells):
    url = f"/landscapes/{wells.landscape.slug}/data/{wells.slug}/maps/new/"
    response = client_for(private_cast.editor).post(
        url, {"title": "Bad", "colour_field": "kind", "colour_mode": "graduated", "point_size": "6",
              "visibility": "private"},
    )  # fmt: skip
    assert response.status_code == 400
    assert b"Graduated colours need a column of numbers." in response.content
    assert not PointMap.objects.exists()


def test_viewers_see_maps_but_cannot_make_or_change_them(private_cast, wells):
    point_map = make_map(private_cast, wells)
    viewer = client_for(private_cast.viewer)
    assert b"Make a point map" not in viewer.get(wells.get_absolute_url()).content
    assert viewer.get(f"/landscapes/{wells.landscape.slug}/data/{wells.slug}/maps/new/").status_code == 403
    assert viewer.get(point_map.get_absolute_url()).status_code == 200
    assert viewer.get(f"{point_map.get_absolute_url()}edit/").status_code == 403
    assert viewer.post(f"{point_map.get_absolute_url()}delete/").status_code == 403


def test_an_editor_changes_and_deletes_a_map(private_cast, wells):
    point_map = make_map(private_cast, wells)
    editor = client_for(private_cast.editor)
    edit = f"{point_map.get_absolute_url()}edit/"
    assert editor.get(edit).context["form"].initial["colour_field"] == "kind"
    response = editor.post(edit, {"title": "Deep wells", "colour_field": "depth_m", "point_size": "12",
                                  "popup_fields": ["name"], "visibility": "public"})  # fmt: skip
    assert response.status_code == 302
    point_map.refresh_from_db()
    assert (point_map.title, point_map.colour_mode, point_map.visibility) == (
        "Deep wells",
        "graduated",
        "public",
    )
    assert editor.post(f"{point_map.get_absolute_url()}delete/").status_code == 302
    assert not PointMap.objects.exists()


@pytest.mark.parametrize("person", ["anonymous", "outsider", "superuser"])
def test_outsiders_get_404_on_every_path_of_a_public_map_of_a_private_dataset(private_cast, wells, person):
    point_map = make_map(private_cast, wells, visibility="public")
    client = client_for(private_cast[person])
    paths = [
        point_map.get_absolute_url(),
        f"{point_map.get_absolute_url()}data.geojson",
        f"{point_map.get_absolute_url()}edit/",
        f"{API}/point-maps/{point_map.pk}",
        f"{API}/point-maps/{point_map.pk}/data",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (404, 302), (path, response.status_code)  # 302: sign in first
        assert b"Wells by kind" not in response.content and b"Well A" not in response.content
    listing = client.get(f"{API}/landscapes/{wells.landscape.slug}/point-maps")
    assert listing.status_code == 404 or listing.json() == []


def test_once_the_dataset_is_public_so_is_its_public_map(private_cast, wells):
    point_map = make_map(private_cast, wells, visibility="public")
    dataset_services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="public")
    anonymous = Client()
    assert anonymous.get(point_map.get_absolute_url()).status_code == 200
    assert anonymous.get(f"{API}/point-maps/{point_map.pk}/data").json()["numberReturned"] == 4
    assert b"Wells by kind" in anonymous.get(f"/landscapes/{wells.landscape.slug}/data/").content


# --- API -------------------------------------------------------------------------------------


def test_the_api_creates_lists_reads_changes_and_deletes(private_cast, wells):
    headers = bearer(private_cast.editor)
    client = Client()
    response = client.post(
        f"{API}/datasets/{wells.pk}/point-maps",
        {"title": "Depth", "colour_field": "depth_m", "popup_fields": ["name"], "point_size": 7},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["colour_mode"], body["visibility"], body["dataset"]["id"]) == (
        "graduated",
        "private",
        wells.pk,
    )
    assert set(body["allowed_actions"]) == {"view", "change", "delete"}
    map_id = body["id"]
    assert [m["id"] for m in client.get(f"{API}/datasets/{wells.pk}/point-maps", **headers).json()] == [
        map_id
    ]
    listed = client.get(f"{API}/landscapes/{wells.landscape.slug}/point-maps", **headers).json()
    assert [m["id"] for m in listed] == [map_id]
    data = client.get(body["data_url"], **headers).json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 4 and data["legend"]
    changed = client.patch(
        f"{API}/point-maps/{map_id}", {"point_size": 30}, content_type="application/json", **headers
    )
    assert changed.status_code == 400 and "point_size" in changed.json()["error"]["details"]
    changed = client.patch(
        f"{API}/point-maps/{map_id}", {"title": "Depth of wells"}, content_type="application/json", **headers
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Depth of wells"
    assert client.delete(f"{API}/point-maps/{map_id}", **headers).status_code == 204
    assert client.get(f"{API}/point-maps/{map_id}", **headers).status_code == 404


def test_the_api_refuses_members_who_are_not_editors(private_cast, wells):
    point_map = make_map(private_cast, wells)
    headers = bearer(private_cast.member)
    client = Client()
    created_ = client.post(
        f"{API}/datasets/{wells.pk}/point-maps", {"title": "Mine"}, content_type="application/json", **headers
    )
    assert created_.status_code == 403
    assert client.delete(f"{API}/point-maps/{point_map.pk}", **headers).status_code == 403
    assert client.get(f"{API}/point-maps/{point_map.pk}", **headers).json()["allowed_actions"] == ["view"]


def test_a_map_whose_column_is_gone_from_a_new_version_says_so(private_cast, wells, add_version):  # noqa: F811
    point_map = make_map(private_cast, wells)  # coloured by "kind"
    rows = [[r[0], r[1], r[2], r[4]] for r in WELLS]  # the new version has no "kind" column
    job = add_version(wells, private_cast.editor, csv_bytes(rows), "wells-2.csv")
    assert job.status == "succeeded", job.error
    response = client_for(private_cast.viewer).get(f"{point_map.get_absolute_url()}data.geojson")
    assert response.status_code == 400
    assert "no longer in the dataset's current version" in response.json()["error"]["message"]
