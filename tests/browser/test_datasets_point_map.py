"""Journey: on a phone, an editor configures a point map from a spreadsheet of field points, opens it,
reads its legend and taps a point; an anonymous visitor cannot open it while the data is private."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets import services
from landmosaic.datasets.models import Dataset
from landmosaic.maps.models import PointMap
from tests.datasets.builders import csv_bytes
from tests.factories import LandscapeFactory, member
from tests.maps.test_point_maps import WELLS

from .helpers import controls_without_name, sign_in

pytestmark = pytest.mark.browser


def test_an_editor_configures_and_opens_a_point_map_on_a_phone(page, new_page, shots_dir):
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    services.dataset_create_from_upload(
        actor=editor,
        landscape=landscape,
        upload=SimpleUploadedFile("wells.csv", csv_bytes(WELLS)),
        title="Wells",
    )
    dataset = Dataset.objects.get(landscape=landscape)

    sign_in(page, editor.email)
    page.goto(dataset.get_absolute_url())
    page.get_by_role("link", name="Make a point map").click()
    form = page.locator("main form").first
    expect(form.get_by_label("Latitude column")).to_have_value("latitude")  # detected and pre-filled
    assert controls_without_name(page) == []
    form.get_by_label("Title").fill("Wells by kind")
    form.get_by_label("Colour the points by").select_option("kind")
    form.get_by_label("Point size (radius in pixels)").fill("10")
    form.get_by_role("button", name="Save the map").click()

    expect(page.get_by_role("heading", name="Wells by kind", level=1)).to_be_visible()
    point_map = PointMap.objects.get()
    assert page.url.endswith(point_map.get_absolute_url())
    markers = page.locator(".point-map path.leaflet-interactive")
    expect(markers).to_have_count(4)  # the row without a position is counted, not drawn
    expect(page.locator("#point-map-status")).to_contain_text("1")
    legend = page.locator("#point-map-legend li")
    expect(legend).to_have_count(3)
    expect(legend.first).to_contain_text("borehole (2)")
    markers.first.click(force=True)
    expect(page.locator(".leaflet-popup .point-map-popup")).to_contain_text(re.compile("Well|Spring"))
    page.screenshot(path=str(shots_dir / "point-map-phone.png"), full_page=True)
    assert not page.js_errors, page.js_errors
    assert controls_without_name(page) == []

    # Listed on the landscape's data page.
    page.goto(f"/landscapes/{landscape.slug}/data/")
    expect(page.get_by_role("link", name="Wells by kind")).to_be_visible()

    # The data is private: an anonymous visitor gets "not found", not the points.
    anonymous = new_page()
    response = anonymous.goto(point_map.get_absolute_url())
    assert response is not None and response.status == 404
