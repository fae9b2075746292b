"""Journey: a member fills the web form offline on a phone; the record waits, then arrives once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork.models import Submission
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import JPEG, publish_tree_form

from .helpers import sign_in

pytestmark = pytest.mark.browser

COUNT_IN_INDEXEDDB = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('landmosaic-webform');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction('records').objectStore('records').getAll();
    request.onsuccess = () => resolve(request.result.map(r => [r.instanceID, r.files.length]));
  };
})"""


def test_a_record_filled_offline_is_queued_then_sent_exactly_once(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    collector = member(landscape, Role.MEMBER)
    form = publish_tree_form(landscape, editor)

    sign_in(page, collector.email)
    page.goto(f"/landscapes/{landscape.slug}/field-data/forms/{form.pk}/")
    page.get_by_role("link", name="Fill in on this device").click()
    queue = page.locator("[data-webform]")
    expect(queue).to_have_attribute("data-waiting", "0")
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")

    # The page is in the service worker's cache before the network goes (reopening it offline is
    # test_fieldwork_offline.py's journey).
    expect(queue).to_have_attribute("data-offline-ready", "true")
    page.context.set_offline(True)
    page.get_by_label("Species").fill("Baobab")
    page.get_by_label("How many?").fill("4")
    page.get_by_label("Good").check()
    page.get_by_label("Latitude").fill("-8.1")
    page.get_by_label("Longitude").fill("36.1")
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "tree.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    page.get_by_role("button", name="Save the record").click()

    expect(page.locator("[data-webform-count]")).to_have_text("1 record waiting to be sent.")
    expect(queue).to_have_attribute("data-waiting", "1")
    stored = page.evaluate(COUNT_IN_INDEXEDDB)
    assert len(stored) == 1 and stored[0][0].startswith("uuid:") and stored[0][1] == 1
    instance_id = stored[0][0]
    assert not Submission.objects.exists()

    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    expect(page.locator("[data-webform-status]")).to_have_text("All records are sent.")
    assert page.evaluate(COUNT_IN_INDEXEDDB) == []

    # Sending again (as a second tap or the "online" event would) changes nothing.
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("[data-webform-status]")).to_have_text("All records are sent.")
    record = Submission.objects.get()
    assert record.instance_id == instance_id
    assert record.submitted_by == collector
    assert record.data["species"] == "Baobab" and record.data["count"] == "4"
    assert (record.lon, record.lat) == (36.1, -8.1)
    assert record.attachments.count() == 1
    assert page.js_errors == []
