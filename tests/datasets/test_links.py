""" "Anyone with the link" share links: who makes them, what they open, and what they never open."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from landmosaic.core.errors import Forbidden, NotFound
from landmosaic.core.models import AuditEvent
from landmosaic.datasets import selectors, services
from landmosaic.datasets.models import DatasetLink
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created
from tests.datasets.test_permissions import client_for

API = "/api/v1"
PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]


@pytest.fixture
def wells(private_cast, ingest):
    [dataset] = created(
        ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv", title="Village wells")
    )
    return selectors.dataset_get(actor=private_cast.manager, pk=dataset.pk)


@pytest.fixture
def farms(private_cast, ingest):
    [dataset] = created(
        ingest(private_cast.landscape, private_cast.editor, points_csv(), "farms.csv", title="Secret farms")
    )
    return dataset


def make_link(cast, dataset, **kwargs) -> tuple[DatasetLink, str]:
    return services.dataset_link_create(actor=cast.manager, dataset=dataset, **kwargs)


def path_of(token: str) -> str:
    return f"/d/{token}/"


@pytest.mark.parametrize("person", PEOPLE)
def test_only_managers_create_links(private_cast, wells, person):
    actor = private_cast[person]
    if person == "manager":
        link, token = services.dataset_link_create(actor=actor, dataset=wells)
        assert link.pk and token
        return
    expected = Forbidden if person in ("viewer", "member", "editor") else NotFound
    with pytest.raises(expected):
        services.dataset_link_create(actor=actor, dataset=wells)
    assert not DatasetLink.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_only_managers_use_the_links_api(private_cast, wells, person):
    client = client_for(private_cast[person])
    response = client.post(
        f"{API}/datasets/{wells.pk}/links", {"allow_download": True}, content_type="application/json"
    )
    listing = client.get(f"{API}/datasets/{wells.pk}/links")
    if person == "manager":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["url"].startswith("http") and "/d/" in body["url"]
        assert body["allow_download"] is True and body["active"] is True
        assert listing.status_code == 200
        assert [x["id"] for x in listing.json()] == [body["id"]]
        assert "url" not in listing.json()[0]
        deleted = client.delete(f"{API}/datasets/{wells.pk}/links/{body['id']}")
        assert deleted.status_code == 204
        assert client.get(f"{API}/datasets/{wells.pk}/links").json()[0]["active"] is False
        assert Client().get(body["url"].split("testserver", 1)[1]).status_code == 404
    else:
        assert response.status_code in (401, 403, 404), (person, response.status_code)
        assert listing.status_code in (401, 403, 404)
        assert not DatasetLink.objects.exists()


def test_the_token_is_not_stored_in_clear(private_cast, wells):
    link, token = make_link(private_cast, wells)
    link.refresh_from_db()
    assert link.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    stored = " ".join(str(v) for v in DatasetLink.objects.values_list().get())
    assert token not in stored
    for event in AuditEvent.objects.all():
        assert token not in f"{event.summary} {event.data}"


def test_anonymous_view_through_the_link_but_no_download_unless_allowed(private_cast, wells):
    _link, token = make_link(private_cast, wells)
    client = Client()
    page = client.get(path_of(token))
    assert page.status_code == 200
    assert b"Village wells" in page.content
    assert page["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/d/{token}/features.geojson?version=1").json()["features"]
    # No download link on the page, and the download path refuses.
    assert f"/d/{token}/versions/1/download/".encode() not in page.content
    assert client.get(f"/d/{token}/versions/1/download/gpkg/").status_code == 403
    # The dataset's own addresses stay closed to the anonymous visitor.
    base = f"/landscapes/{private_cast.landscape.slug}/data"
    assert client.get(f"{base}/{wells.slug}/").status_code == 404
    assert client.get(f"{API}/datasets/{wells.pk}").status_code == 404


def test_download_through_the_link_when_allowed(private_cast, wells):
    _link, token = make_link(private_cast, wells, allow_download=True)
    client = Client()
    page = client.get(path_of(token))
    assert f"/d/{token}/versions/1/download/gpkg/".encode() in page.content
    response = client.get(f"/d/{token}/versions/1/download/gpkg/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"SQLite format 3")
    original = client.get(f"/d/{token}/versions/1/download/original/")
    assert b"".join(original.streaming_content) == points_csv()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, object_id=str(wells.pk)).count() == 2


def test_the_link_reveals_nothing_else(private_cast, wells, farms):
    _link, token = make_link(private_cast, wells, allow_download=True)
    client = Client()
    page = client.get(path_of(token))
    assert b"Secret farms" not in page.content
    assert f"/landscapes/{private_cast.landscape.slug}/data/".encode() not in page.content
    assert b"application/ld+json" not in page.content  # not catalogued as public
    assert b"/ogc/collections/" not in page.content
    # After opening the link, the same browser still sees nothing else.
    slug = private_cast.landscape.slug
    for url in (
        f"/landscapes/{slug}/",
        f"/landscapes/{slug}/data/",
        f"/landscapes/{slug}/data/{farms.slug}/",
        f"/landscapes/{slug}/data/{wells.slug}/",
        f"{API}/datasets/{farms.pk}",
        f"{API}/landscapes/{slug}/datasets",
    ):
        assert client.get(url).status_code == 404, url
    collections = client.get("/ogc/collections", HTTP_ACCEPT="application/json").json()["collections"]
    assert collections == []
    # A token is no key to another dataset's paths either.
    assert client.get(f"/d/{token}x/").status_code == 404


def test_revoked_links_answer_404(private_cast, wells):
    link, token = make_link(private_cast, wells, allow_download=True)
    client = Client()
    assert client.get(path_of(token)).status_code == 200
    services.dataset_link_revoke(actor=private_cast.manager, dataset=wells, link=link)
    for url in (path_of(token), f"/d/{token}/features.geojson", f"/d/{token}/versions/1/download/gpkg/"):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SHARE, summary__contains="revoked").count() == 1


def test_expired_links_answer_404(private_cast, wells):
    today = timezone.localdate()
    link, token = make_link(private_cast, wells, expires_on=today)
    assert Client().get(path_of(token)).status_code == 200  # valid through its last day
    DatasetLink.objects.filter(pk=link.pk).update(expires_on=today - dt.timedelta(days=1))
    assert Client().get(path_of(token)).status_code == 404
    with pytest.raises(Exception, match="past"):
        make_link(private_cast, wells, expires_on=today - dt.timedelta(days=1))


def test_a_member_with_the_link_keeps_their_own_rights(private_cast, wells):
    services.dataset_set_sharing(
        actor=private_cast.manager, dataset=wells, visibility="private", download_access="members"
    )
    _link, token = make_link(private_cast, wells)
    response = client_for(private_cast.viewer).get(path_of(token))
    assert response.status_code == 200
    assert f"/d/{token}/versions/1/download/gpkg/".encode() in response.content


def test_the_sharing_page_creates_lists_and_revokes_links(private_cast, wells):
    client = client_for(private_cast.manager)
    base = f"/landscapes/{private_cast.landscape.slug}/data/{wells.slug}/sharing/"
    response = client.post(f"{base}links/", {"link-allow_download": "on", "link-expires_on": ""})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    link = DatasetLink.objects.get()
    assert link.allow_download and link.created_by == private_cast.manager
    shown = response.content.decode()
    token = shown.split("/d/", 1)[1].split("/", 1)[0]
    assert link.token_sha256 == DatasetLink.hash_token(token)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SHARE, summary__contains="created").exists()
    Client().get(path_of(token))
    page = client.get(base).content.decode()
    assert token not in page  # shown once
    assert "Never" in page and "Revoke" in page and "Not yet" not in page  # last used is recorded
    assert client.post(f"{base}links/{link.pk}/revoke/").status_code == 302
    assert "Revoked" in client.get(base).content.decode()
    assert Client().get(path_of(token)).status_code == 404
    # Editors may not.
    editor = client_for(private_cast.editor)
    assert editor.post(f"{base}links/", {}).status_code == 403
    assert editor.post(f"{base}links/{link.pk}/revoke/").status_code == 403


def test_vector_pages_show_the_ogc_address(public_cast, ingest):
    [dataset] = created(
        ingest(public_cast.landscape, public_cast.editor, points_csv(), "wells.csv", title="Wells")
    )
    services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    url = f"/landscapes/{public_cast.landscape.slug}/data/{dataset.slug}/"
    page = Client().get(url).content.decode()
    assert f"/ogc/collections/{public_cast.landscape.slug}.{dataset.slug}" in page
    assert "No account is needed" in page
    services.dataset_set_sharing(
        actor=public_cast.manager, dataset=dataset, visibility="public", download_access="members"
    )
    assert "API token" in Client().get(url).content.decode()
