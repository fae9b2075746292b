"""Who sees and downloads what, through every path: pages, API, map data, downloads."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.core.models import AuditEvent
from landmosaic.core.permissions import Role
from landmosaic.datasets import selectors, services
from landmosaic.datasets.models import Dataset
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created
from tests.factories import LandscapeFactory, OrganisationFactory, UserFactory, member

PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]
MEMBERS = ("viewer", "member", "editor", "manager")
API = "/api/v1"


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def paths(dataset) -> dict[str, str]:
    base = f"/landscapes/{dataset.landscape.slug}/data"
    return {
        "list page": f"{base}/",
        "page": f"{base}/{dataset.slug}/",
        "map data": f"{base}/{dataset.slug}/features.geojson",
        "download": f"{base}/{dataset.slug}/versions/1/download/gpkg/",
        "api list": f"{API}/landscapes/{dataset.landscape.slug}/datasets",
        "api detail": f"{API}/datasets/{dataset.pk}",
        "api preview": f"{API}/datasets/{dataset.pk}/versions/1/preview",
        "api features": f"{API}/datasets/{dataset.pk}/versions/1/features",
        "api download": f"{API}/datasets/{dataset.pk}/versions/1/download?format=csv",
    }


@pytest.fixture
def make_dataset(ingest):
    def make(cast, **sharing):
        [dataset] = created(
            ingest(cast.landscape, cast.editor, points_csv(), "wells.csv", title="Village wells")
        )
        if sharing:
            services.dataset_set_sharing(actor=cast.manager, dataset=dataset, **sharing)
        return selectors.dataset_get(actor=cast.manager, pk=dataset.pk)

    return make


@pytest.mark.parametrize("person", PEOPLE)
def test_private_datasets_are_404_on_every_path_for_non_members(private_cast, make_dataset, person):
    dataset = make_dataset(private_cast)
    client = client_for(private_cast[person])
    for name, url in paths(dataset).items():
        response = client.get(url)
        if person in MEMBERS:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code == 404, (name, response.status_code)
            assert b"Village wells" not in response.content


def test_the_superuser_gets_no_special_access_even_in_the_list(private_cast, make_dataset):
    make_dataset(private_cast)
    assert not selectors.dataset_visible(actor=private_cast.superuser).exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_public_datasets_are_open_to_all(public_cast, make_dataset, person):
    dataset = make_dataset(public_cast, visibility="public")
    client = client_for(public_cast[person])
    for name, url in paths(dataset).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize(
    "person,download", [("anonymous", 403), ("outsider", 403), ("superuser", 403), ("viewer", 200)]
)
def test_download_is_separable_from_view(public_cast, make_dataset, person, download):
    dataset = make_dataset(public_cast, visibility="public", download_access="members")
    client = client_for(public_cast[person])
    urls = paths(dataset)
    assert client.get(urls["page"]).status_code == 200
    assert client.get(urls["api detail"]).status_code == 200
    assert client.get(urls["download"]).status_code == download
    response = client.get(urls["api download"])
    assert response.status_code == download
    if download == 403:
        assert response.json()["error"]["code"] == "forbidden"
        assert "download" not in client.get(urls["api detail"]).json()["allowed_actions"]


def test_sharing_with_a_landscape_opens_it_to_that_landscapes_members_only(private_cast, make_dataset):
    partner = LandscapeFactory(visibility="private")
    partner_member = member(partner, Role.VIEWER)
    dataset = make_dataset(private_cast, visibility="shared", landscapes=[partner.slug])
    urls = paths(dataset)
    guest = client_for(partner_member)
    for name in ("list page", "page", "download", "api detail", "api list"):
        assert guest.get(urls[name]).status_code == 200, name
    # The owning landscape itself stays private to them.
    assert guest.get(f"/landscapes/{private_cast.landscape.slug}/").status_code == 404
    assert client_for(private_cast.outsider).get(urls["page"]).status_code == 404


def test_sharing_with_an_organisation(private_cast, make_dataset):
    organisation = OrganisationFactory()
    staff = UserFactory(organisation=organisation)
    dataset = make_dataset(private_cast, visibility="shared", organisations=[organisation.slug])
    assert client_for(staff).get(paths(dataset)["page"]).status_code == 200
    assert client_for(UserFactory()).get(paths(dataset)["page"]).status_code == 404


@pytest.mark.parametrize("person,status", [("viewer", 404), ("editor", 404), ("manager", 200)])
def test_restricted_datasets_are_for_managers(private_cast, make_dataset, person, status):
    dataset = make_dataset(private_cast, visibility="private", restricted=True)
    assert client_for(private_cast[person]).get(paths(dataset)["page"]).status_code == status


@pytest.mark.parametrize(
    "person,page,status",
    [
        ("viewer", "edit/", 403),
        ("member", "versions/new/", 403),
        ("editor", "edit/", 200),
        ("editor", "versions/new/", 200),
        ("editor", "sharing/", 403),
        ("manager", "sharing/", 200),
        ("outsider", "edit/", 404),
        ("superuser", "sharing/", 404),
    ],
)
def test_role_gated_pages(private_cast, make_dataset, person, page, status):
    dataset = make_dataset(private_cast)
    url = f"{paths(dataset)['page']}{page}"
    assert client_for(private_cast[person]).get(url).status_code == status


def test_upload_page_needs_an_editor(private_cast):
    url = f"/landscapes/{private_cast.landscape.slug}/data/upload/"
    assert client_for(private_cast.member).get(url).status_code == 403
    assert client_for(private_cast.editor).get(url).status_code == 200
    assert client_for(private_cast.outsider).get(url).status_code == 404
    assert client_for(private_cast.anonymous).get(url).status_code == 302


def test_allowed_actions_follow_the_role(private_cast, make_dataset):
    dataset = make_dataset(private_cast)
    actions = {
        person: client_for(private_cast[person]).get(paths(dataset)["api detail"]).json()["allowed_actions"]
        for person in MEMBERS
    }
    assert actions["viewer"] == ["view", "download"]
    assert actions["editor"] == ["view", "download", "change", "add_version"]
    assert actions["manager"] == ["view", "download", "change", "add_version", "share", "delete"]


def test_every_download_is_audited(private_cast, make_dataset):
    dataset = make_dataset(private_cast)
    client_for(private_cast.viewer).get(paths(dataset)["download"])
    event = AuditEvent.objects.get(action="download")
    assert (event.actor, event.object_id, event.data["format"]) == (
        private_cast.viewer,
        str(dataset.pk),
        "gpkg",
    )
    assert event.landscape_id == private_cast.landscape.pk


def test_delete_is_for_managers(private_cast, make_dataset):
    dataset = make_dataset(private_cast)
    url = f"{paths(dataset)['api detail']}"
    assert client_for(private_cast.editor).delete(url).status_code == 403
    assert client_for(private_cast.manager).delete(url).status_code == 204
    assert not Dataset.objects.filter(pk=dataset.pk).exists()
