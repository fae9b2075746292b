"""Per-person grants on restricted datasets: managers name who else may see (and download) them, on
every path (pages, API, map data, OGC, downloads), and take access back."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.core.errors import Forbidden, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.datasets import selectors, services
from landmosaic.datasets.models import DatasetGrant
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created
from tests.datasets.test_api import bearer, client_for
from tests.factories import UserFactory

API = "/api/v1"


@pytest.fixture
def restricted(private_cast, ingest):
    [dataset] = created(
        ingest(private_cast.landscape, private_cast.editor, points_csv(), "sacred.csv", title="Sacred sites")
    )
    services.dataset_set_sharing(
        actor=private_cast.manager, dataset=dataset, visibility="private", restricted=True
    )
    return selectors.dataset_get(actor=private_cast.manager, pk=dataset.pk)


def view_paths(dataset) -> dict[str, str]:
    base = f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}"
    collection = f"{dataset.landscape.slug}.{dataset.slug}"
    return {
        "page": f"{base}/",
        "map data": f"{base}/features.geojson",
        "api detail": f"{API}/datasets/{dataset.pk}",
        "api features": f"{API}/datasets/{dataset.pk}/versions/1/features",
        "ogc collection": f"/ogc/collections/{collection}",
    }


def download_paths(dataset) -> dict[str, str]:
    base = f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}"
    return {
        "download": f"{base}/versions/1/download/gpkg/",
        "api download": f"{API}/datasets/{dataset.pk}/versions/1/download?format=csv",
        "ogc items": f"/ogc/collections/{dataset.landscape.slug}.{dataset.slug}/items?f=json",
    }


def statuses(client: Client, paths: dict[str, str], **headers) -> dict[str, int]:
    return {name: client.get(url, **headers).status_code for name, url in paths.items()}


def test_a_granted_person_sees_but_does_not_download_unless_allowed(private_cast, restricted):
    partner = UserFactory(email="researcher@example.org")
    everything = {**view_paths(restricted), **download_paths(restricted)}
    assert set(statuses(client_for(partner), everything).values()) == {404}

    services.dataset_grant(actor=private_cast.manager, dataset=restricted, email="Researcher@Example.org")
    client = client_for(partner)
    assert set(statuses(client, view_paths(restricted)).values()) == {200}
    assert set(statuses(client, download_paths(restricted)).values()) == {403}  # seen, not downloaded
    listed = client.get(f"{API}/landscapes/{restricted.landscape.slug}/datasets").json()["items"]
    assert [d["id"] for d in listed] == [restricted.pk]
    assert client.get(f"/landscapes/{restricted.landscape.slug}/data/").status_code == 200
    assert "download" not in client.get(f"{API}/datasets/{restricted.pk}").json()["allowed_actions"]

    services.dataset_grant(
        actor=private_cast.manager, dataset=restricted, email=partner.email, allow_download=True
    )
    assert DatasetGrant.objects.count() == 1  # the same person again: their access changes
    assert set(statuses(client_for(partner), download_paths(restricted)).values()) == {200}
    # Tokens work the same way (GIS clients reading /ogc/).
    machine = {k: v for k, v in download_paths(restricted).items() if k != "download"}
    assert set(statuses(Client(), machine, **bearer(partner)).values()) == {200}


def test_a_grant_gives_nothing_else(private_cast, restricted):
    partner = UserFactory()
    services.dataset_grant(
        actor=private_cast.manager, dataset=restricted, email=partner.email, allow_download=True
    )
    client = client_for(partner)
    base = f"/landscapes/{restricted.landscape.slug}/data/{restricted.slug}"
    assert client.get(f"{base}/edit/").status_code == 403
    assert client.get(f"{base}/sharing/").status_code == 403
    assert client.get(f"/landscapes/{restricted.landscape.slug}/members/").status_code == 404


def test_members_who_are_not_managers_need_a_grant_too(private_cast, restricted):
    editor = private_cast.editor
    assert set(statuses(client_for(editor), view_paths(restricted)).values()) == {404}
    services.dataset_grant(actor=private_cast.manager, dataset=restricted, email=editor.email)
    assert set(statuses(client_for(editor), view_paths(restricted)).values()) == {200}


def test_revoking_takes_access_back_everywhere_and_is_audited(private_cast, restricted):
    partner = UserFactory()
    grant = services.dataset_grant(
        actor=private_cast.manager, dataset=restricted, email=partner.email, allow_download=True
    )
    restricted = selectors.dataset_get(actor=private_cast.manager, pk=restricted.pk)
    services.dataset_grant_revoke(actor=private_cast.manager, dataset=restricted, grant=grant)
    everything = {**view_paths(restricted), **download_paths(restricted)}
    assert set(statuses(client_for(partner), everything).values()) == {404}
    summaries = list(
        AuditEvent.objects.filter(object_type="dataset", action="share").values_list("summary", flat=True)
    )
    assert any("granted" in s for s in summaries) and any("revoked" in s for s in summaries)


def test_grants_sleep_while_the_dataset_is_not_restricted(private_cast, restricted):
    partner = UserFactory()
    services.dataset_grant(actor=private_cast.manager, dataset=restricted, email=partner.email)
    services.dataset_set_sharing(
        actor=private_cast.manager, dataset=restricted, visibility="private", restricted=False
    )
    assert set(statuses(client_for(partner), view_paths(restricted)).values()) == {404}
    with pytest.raises(ValidationFailed):
        services.dataset_grant(actor=private_cast.manager, dataset=restricted, email=UserFactory().email)


def test_only_managers_grant_and_unknown_addresses_are_refused(private_cast, restricted):
    with pytest.raises(ValidationFailed) as info:
        services.dataset_grant(actor=private_cast.manager, dataset=restricted, email="nobody@example.org")
    assert "nobody@example.org" in info.value.message
    partner = UserFactory()
    services.dataset_grant(actor=private_cast.manager, dataset=restricted, email=private_cast.editor.email)
    restricted = selectors.dataset_get(actor=private_cast.editor, pk=restricted.pk)  # granted: seen
    with pytest.raises(Forbidden):
        services.dataset_grant(actor=private_cast.editor, dataset=restricted, email=partner.email)
    assert DatasetGrant.objects.count() == 1


def test_the_sharing_page_gives_and_takes_back_access(private_cast, restricted):
    partner = UserFactory(name="Dr Researcher")
    manager = client_for(private_cast.manager)
    base = f"/landscapes/{restricted.landscape.slug}/data/{restricted.slug}/sharing"
    page = manager.get(f"{base}/")
    assert b"People with access to restricted data" in page.content
    refused = manager.post(f"{base}/people/", {"grant-email": "nobody@example.org"})
    assert refused.status_code == 400 and b"No account uses this email address." in refused.content
    response = manager.post(f"{base}/people/", {"grant-email": partner.email, "grant-allow_download": "on"})
    assert response.status_code == 302
    grant = DatasetGrant.objects.get()
    assert grant.allow_download and grant.created_by == private_cast.manager
    assert b"Dr Researcher" in manager.get(f"{base}/").content
    assert manager.post(f"{base}/people/{grant.pk}/revoke/").status_code == 302
    assert not DatasetGrant.objects.exists()


def test_the_api_lists_gives_and_takes_back_access(private_cast, restricted):
    partner = UserFactory()
    headers = bearer(private_cast.manager)
    url = f"{API}/datasets/{restricted.pk}/grants"
    response = Client().post(
        url, {"email": partner.email, "allow_download": False}, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["email"] == partner.email and body["allow_download"] is False
    assert [g["id"] for g in Client().get(url, **headers).json()] == [body["id"]]
    assert Client().get(url, **bearer(private_cast.editor)).status_code == 404  # cannot see it at all
    assert Client().get(url, **bearer(partner)).status_code == 403  # sees it, may not manage it
    assert Client().delete(f"{url}/{body['id']}", **headers).status_code == 204
    assert Client().get(f"{API}/datasets/{restricted.pk}", **bearer(partner)).status_code == 404
