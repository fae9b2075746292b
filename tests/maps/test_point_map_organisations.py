"""Point maps shared with organisations: a map reaches the staff of an organisation only when both the
map and its dataset do (``Subject.within``), by the selectors, the pages and the API alike."""

from __future__ import annotations

import pytest

from landmosaic.core.errors import NotFound
from landmosaic.core.permissions import Visibility
from landmosaic.datasets import services as dataset_services
from landmosaic.maps import selectors, services
from tests.datasets.builders import csv_bytes
from tests.datasets.conftest import created, ingest, media  # noqa: F401 - fixtures used here
from tests.datasets.test_api import client_for
from tests.factories import OrganisationFactory, UserFactory
from tests.maps.test_point_maps import WELLS, make_map

API = "/api/v1"


@pytest.fixture
def wells(private_cast, ingest):  # noqa: F811 - the fixture imported above
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(WELLS), "wells.csv"))
    return dataset


@pytest.fixture
def partner(db):
    """An organisation, one of its staff, and someone of another organisation."""
    organisation = OrganisationFactory()
    return {
        "organisation": organisation,
        "staff": UserFactory(organisation=organisation),
        "other": UserFactory(organisation=OrganisationFactory()),
        "nobody": UserFactory(),
    }


def share_dataset(cast, dataset, *organisations, visibility="shared", **extra) -> None:
    dataset_services.dataset_set_sharing(
        actor=cast.manager,
        dataset=dataset,
        visibility=visibility,
        organisations=[o.slug for o in organisations] or None,
        **extra,
    )
    dataset.refresh_from_db()


def sees(person, point_map) -> bool:
    """Whether ``person`` sees the map, checked the same way by every read path."""
    try:
        fresh = selectors.point_map_get(actor=person, pk=point_map.pk)
        data = selectors.point_map_data(actor=person, point_map=fresh)
        found = True
    except NotFound:
        data, found = None, False
    for scope in ({"dataset": point_map.dataset}, {"landscape": point_map.landscape}):
        listed = selectors.point_map_list(actor=person, **scope).filter(pk=point_map.pk)
        assert listed.exists() == found, scope
    client = client_for(person)
    page = client.get(point_map.get_absolute_url())
    geojson = client.get(f"{point_map.get_absolute_url()}data.geojson")
    api = client.get(f"{API}/point-maps/{point_map.pk}")
    statuses = {page.status_code, geojson.status_code, api.status_code}
    assert statuses == ({200} if found else {404}), statuses
    if found:
        assert data["numberReturned"] == geojson.json()["numberReturned"] > 0
    # Lists: the map is in them exactly when it can be opened (a list may be a 404 as a whole).
    for url in (
        f"{API}/landscapes/{point_map.landscape.slug}/point-maps",
        f"{API}/datasets/{point_map.dataset_id}/point-maps",
    ):
        listed = client.get(url)
        ids = [m["id"] for m in listed.json()] if listed.status_code == 200 else []
        assert (point_map.pk in ids) == found, url
    for page_url in (point_map.dataset.get_absolute_url(), f"/landscapes/{point_map.landscape.slug}/data/"):
        html = client.get(page_url)
        assert (point_map.get_absolute_url().encode() in html.content) == found, page_url
    return found


def test_a_map_shared_with_an_organisation_reaches_its_staff_when_the_dataset_does(
    private_cast, wells, partner
):
    share_dataset(private_cast, wells, partner["organisation"])
    point_map = make_map(
        private_cast, wells, visibility=Visibility.SHARED, organisations=[partner["organisation"].slug]
    )
    assert sees(partner["staff"], point_map)
    assert not sees(partner["other"], point_map)
    assert not sees(partner["nobody"], point_map)
    assert not sees(private_cast.anonymous, point_map)
    assert sees(private_cast.viewer, point_map)  # the landscape's members still do


def test_a_map_shared_with_an_organisation_shows_nothing_while_the_dataset_is_private(
    private_cast, wells, partner
):
    point_map = make_map(
        private_cast, wells, visibility=Visibility.SHARED, organisations=[partner["organisation"].slug]
    )
    assert not sees(partner["staff"], point_map)
    with pytest.raises(NotFound):
        selectors.point_map_data(actor=partner["staff"], point_map=point_map)


def test_a_public_map_is_no_more_visible_than_its_dataset_shared_with_an_organisation(
    private_cast, wells, partner
):
    share_dataset(private_cast, wells, partner["organisation"])
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    assert sees(partner["staff"], point_map)
    for person in (partner["other"], partner["nobody"], private_cast.anonymous, private_cast.outsider):
        assert not sees(person, point_map)


def test_map_and_dataset_shared_with_different_organisations_reach_neither(private_cast, wells, partner):
    other = partner["other"].organisation
    share_dataset(private_cast, wells, other)
    point_map = make_map(
        private_cast, wells, visibility=Visibility.SHARED, organisations=[partner["organisation"].slug]
    )
    assert not sees(partner["staff"], point_map)  # the map is for them, the data is not
    assert not sees(partner["other"], point_map)  # the data is for them, the map is not


def test_a_private_map_of_a_dataset_shared_with_an_organisation_stays_with_the_landscape(
    private_cast, wells, partner
):
    share_dataset(private_cast, wells, partner["organisation"])
    point_map = make_map(private_cast, wells)
    assert not sees(partner["staff"], point_map)
    assert sees(private_cast.member, point_map)


def test_unsharing_the_dataset_takes_the_map_away_from_the_organisation(private_cast, wells, partner):
    share_dataset(private_cast, wells, partner["organisation"])
    point_map = make_map(
        private_cast, wells, visibility=Visibility.SHARED, organisations=[partner["organisation"].slug]
    )
    assert sees(partner["staff"], point_map)
    share_dataset(private_cast, wells, visibility="private")
    assert not sees(partner["staff"], point_map)
    share_dataset(private_cast, wells, partner["organisation"])
    services.point_map_update(actor=private_cast.editor, point_map=point_map, visibility=Visibility.PRIVATE)
    assert not sees(partner["staff"], point_map)  # and so does making the map private


def test_a_restricted_dataset_keeps_its_map_from_the_organisation(private_cast, wells, partner):
    share_dataset(private_cast, wells, partner["organisation"])
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    share_dataset(private_cast, wells, partner["organisation"], restricted=True)
    assert not sees(partner["staff"], point_map)
    assert sees(private_cast.manager, point_map)


def test_organisation_staff_who_may_not_download_see_no_more_points_than_the_preview(
    private_cast, wells, partner, settings
):
    settings.DATASET_MAP_MAX_FEATURES = 2
    share_dataset(private_cast, wells, partner["organisation"], download_access="members")
    point_map = make_map(
        private_cast, wells, visibility=Visibility.SHARED, organisations=[partner["organisation"].slug]
    )
    data = selectors.point_map_data(actor=partner["staff"], point_map=point_map)
    assert data["numberReturned"] == 2 and data["truncated"] is True
    assert selectors.point_map_data(actor=private_cast.viewer, point_map=point_map)["numberReturned"] == 4


def test_an_editor_shares_a_map_with_an_organisation_on_its_page_and_by_the_api(private_cast, wells, partner):
    organisation = partner["organisation"]
    share_dataset(private_cast, wells, organisation)
    point_map = make_map(private_cast, wells)
    editor = client_for(private_cast.editor)
    edit = f"{point_map.get_absolute_url()}edit/"
    assert (organisation.slug, organisation.name) in editor.get(edit).context["form"].fields[
        "organisations"
    ].choices
    form = {"title": "Wells", "point_size": "6", "visibility": "shared", "organisations": [organisation.slug]}
    assert editor.post(edit, form).status_code == 302
    assert editor.get(edit).context["form"].initial["organisations"] == [organisation.slug]
    assert sees(partner["staff"], point_map)
    # Through the API: unsharing (private) and an unknown organisation, refused with its name.
    url = f"{API}/point-maps/{point_map.pk}"
    refused = editor.patch(url, {"organisations": ["no-such-org"]}, content_type="application/json")
    assert refused.status_code == 400 and "no-such-org" in refused.content.decode()
    assert sees(partner["staff"], point_map)  # nothing changed by the refused request
    patched = editor.patch(url, {"visibility": "private"}, content_type="application/json")
    assert patched.status_code == 200
    assert not sees(partner["staff"], point_map)
