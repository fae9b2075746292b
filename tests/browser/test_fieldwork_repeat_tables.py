"""Journey: a member follows a form's records to the table of one of its repeat groups in the data
commons, sees its entries on a map, and goes back to the records."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork import services
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import collect_with_token, xlsx
from tests.fieldwork.test_commons_repeats import SETTINGS, SURVEY, record_xml

from .helpers import sign_in

pytestmark = pytest.mark.browser


def test_a_member_opens_a_repeat_groups_table_from_the_records(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    landscape = LandscapeFactory(visibility="private")
    editor, viewer = member(landscape, Role.EDITOR), member(landscape, Role.VIEWER)
    form, _version, _created = services.form_upload(
        actor=editor,
        landscape=landscape,
        data=xlsx(survey=SURVEY, choices=[], settings=SETTINGS),
        filename="p.xlsx",
    )
    services.form_publish(actor=editor, form=form)
    collect, _access, _secret = collect_with_token(landscape, editor)
    assert collect.submit(record_xml("uuid:plot-1")).status_code == 201

    sign_in(page, viewer.email)
    page.goto(f"/landscapes/{landscape.slug}/field-data/forms/{form.pk}/records/")
    page.get_by_role("link", name="Plot survey — Trees").click()
    expect(page.get_by_role("heading", name="Plot survey — Trees", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Field records and their repeat groups")).to_be_visible()
    # Its two entries are points on the map.
    expect(page.locator(".leaflet-container path.leaflet-interactive")).to_have_count(2)
    panel = page.locator('section[aria-labelledby="field-tables-title"]')
    panel.get_by_role("link", name="Plot survey", exact=True).click()
    expect(page.get_by_role("heading", name="Plot survey", level=1)).to_be_visible()
    page.get_by_role("link", name="The form's records in field data").click()
    expect(page.get_by_role("heading", name="Records of Plot survey", level=1)).to_be_visible()
    assert page.js_errors == []
