"""Journey: the web form reopens offline from the service worker's cache on a phone, keeps its queue
across pages, sends it exactly once when the network returns, and says when the form has changed.

Headless Chromium through Playwright: ``context.set_offline`` cuts the network for the pages and the
service worker alike, so the worker's own ``fetch`` fails and only its cache can answer.
"""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from playwright.sync_api import Page, expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import JPEG, publish_tree_form, tree_form_xlsx

from .helpers import sign_in, sign_out

pytestmark = pytest.mark.browser

QUEUED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('landmosaic-webform');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction('records').objectStore('records').getAll();
    request.onsuccess = () => resolve(request.result.map(r => [r.instanceID, r.files.length]).sort());
  };
})"""

# Keep the queued records (photos included) in the page, to put them back after they are sent: the
# same records sent again, as after an answer lost on the way back.
KEEP_QUEUE = """() => new Promise((resolve) => {
  const open = indexedDB.open('landmosaic-webform');
  open.onsuccess = () => {
    const request = open.result.transaction('records').objectStore('records').getAll();
    request.onsuccess = () => { window.keptRecords = request.result; resolve(request.result.length); };
  };
})"""
PUT_BACK = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('landmosaic-webform');
  open.onsuccess = () => {
    const tx = open.result.transaction('records', 'readwrite');
    window.keptRecords.forEach(r => tx.objectStore('records').put(r));
    tx.oncomplete = () => resolve(window.keptRecords.length);
    tx.onerror = () => reject(tx.error);
  };
})"""
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def fill_url(landscape, form) -> str:
    return f"/landscapes/{landscape.slug}/field-data/forms/{form.pk}/fill/"


def open_online(page: Page, url: str) -> None:
    """Open the fill page and wait until it is cached for offline use and the worker controls it.

    (A plain predicate: Playwright's wait_for_function treats a returned Promise as already true.)
    """
    page.goto(url)
    expect(page.locator("[data-webform]")).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("[data-webform-offline]")).to_have_text(
        "Ready to use offline: this page opens on this device without network."
    )
    page.wait_for_function("() => !!navigator.serviceWorker.controller", polling=100)


def reopen_offline(page: Page, url: str | None = None) -> None:
    """Reload (or go to ``url``) without network: the page must come from the worker's cache."""
    response = page.goto(url) if url else page.reload()
    assert response is not None and response.ok and response.from_service_worker
    expect(page.locator("[data-webform-form]")).to_be_visible()


def test_the_fill_page_reopens_offline_and_its_queue_is_sent_exactly_once(page, live_server, shots_dir):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    collector = member(landscape, Role.MEMBER)
    form = publish_tree_form(landscape, editor)
    url = fill_url(landscape, form)
    context = page.context

    sign_in(page, collector.email)
    open_online(page, url)

    context.set_offline(True)
    reopen_offline(page)
    reopen_offline(page, url)
    expect(page.get_by_role("heading", name="Tree survey")).to_be_visible()
    # The assets came from the cache too: the script runs and shows the (empty) queue.
    expect(page.locator("[data-webform]")).to_have_attribute("data-waiting", "0")
    expect(page.locator("[data-webform]")).to_have_attribute("data-offline-ready", "true")

    page.get_by_label("Species").fill("Baobab")
    page.get_by_label("How many?").fill("4")
    page.get_by_label("Good").check()
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "tree.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("[data-webform-count]")).to_have_text("1 record waiting to be sent.")
    page.get_by_label("Species").fill("Tamarind")
    page.get_by_label("Poor").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("[data-webform-count]")).to_have_text("2 records waiting to be sent.")
    items = page.locator("[data-webform-queue] li")
    expect(items).to_have_count(2)
    # Each waiting record is told apart by its first text answer, and says whether it holds a photo.
    expect(items.first).to_contain_text(re.compile(r"^Baobab Filled in at .+ · 1 photo$"))
    expect(items.nth(1)).to_contain_text(re.compile(r"^Tamarind Filled in at [^·]+$"))
    queued = page.evaluate(QUEUED)
    assert sorted(files for _id, files in queued) == [0, 1]
    # Readable on a 390 px phone with the queue showing: nothing wider than the screen.
    assert page.viewport_size == {"width": 390, "height": 844}
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=shots_dir / "webform-offline-queue.png", full_page=True)

    # Closed and opened again, still offline: the queue is still on the device.
    page.close()
    again = context.new_page()
    again.js_errors = []
    again.on("pageerror", lambda exc: again.js_errors.append(str(exc)))
    reopen_offline(again, url)
    expect(again.locator("[data-webform-status]")).to_have_text(
        "No network: the records stay on this device until it returns."
    )
    expect(again.locator("[data-webform-count]")).to_have_text("2 records waiting to be sent.")
    expect(again.locator("[data-webform-queue] li")).to_have_count(2)
    assert again.evaluate(QUEUED) == queued
    # A second tab on the same queue: both hear the network come back, the records arrive once.
    other = context.new_page()
    reopen_offline(other, url)
    expect(other.locator("[data-webform-count]")).to_have_text("2 records waiting to be sent.")
    assert again.evaluate(KEEP_QUEUE) == 2
    assert not Submission.objects.exists()
    posts = []
    context.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    context.set_offline(False)
    for tab in (again, other):
        expect(tab.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
        expect(tab.locator("[data-webform-status]")).to_have_text("All records are sent.")
    assert again.evaluate(QUEUED) == []
    # One tab sent, the other waited for it (Web Locks) and found nothing left to send.
    assert posts == [f"{live_server.url}{url}submit/"] * 2
    records = Submission.objects.order_by("instance_id")
    assert [[r.instance_id, r.attachments.count()] for r in records] == queued
    assert {r.data["species"] for r in records} == {"Baobab", "Tamarind"}
    assert {r.submitted_by for r in records} == {collector}

    # The same records sent a second time (an answer lost on the way back): received, not doubled.
    assert again.evaluate(PUT_BACK) == 2
    again.get_by_role("button", name="Send now").click()
    expect(again.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    expect(again.locator("[data-webform-status]")).to_have_text("All records are sent.")
    assert again.evaluate(QUEUED) == []
    assert Submission.objects.count() == 2
    assert again.js_errors == []


def test_a_form_changed_since_the_page_was_cached_says_so_once_online(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    collector = member(landscape, Role.MEMBER)
    form = publish_tree_form(landscape, editor)
    url = fill_url(landscape, form)
    context = page.context
    newer = page.locator("[data-webform-newer]")

    sign_in(page, collector.email)
    open_online(page, url)
    expect(page.get_by_text("Version 2024050101")).to_be_visible()
    expect(newer).to_be_hidden()

    services.form_upload(
        actor=editor,
        landscape=landscape,
        data=tree_form_xlsx(version="2024060101"),
        filename="trees.xlsx",
        form=form,
    )
    services.form_publish(actor=editor, form=form)

    # Offline, the cached page is all there is: the old version, nothing to compare with yet.
    context.set_offline(True)
    reopen_offline(page)
    expect(page.get_by_text("Version 2024050101")).to_be_visible()
    expect(newer).to_be_hidden()

    # The network returns: the page learns of the newer version and says so.
    context.set_offline(False)
    expect(newer).to_be_visible()
    expect(newer).to_contain_text("A newer version of this form is available.")
    expect(page.locator("[data-webform]")).to_have_attribute("data-newer-version", "2024060101")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    newer.get_by_role("link", name="Load the newer version").click()
    expect(page.get_by_text("Version 2024060101")).to_be_visible()
    expect(page.locator("[data-webform]")).to_have_attribute("data-version", "2024060101")
    expect(newer).to_be_hidden()
    expect(page.locator("[data-webform]")).to_have_attribute("data-offline-ready", "true")

    # And the cache now holds the new version: reopening offline shows it, not the old one.
    context.set_offline(True)
    reopen_offline(page)
    expect(page.get_by_text(re.compile(r"^Version 2024060101$"))).to_be_visible()
    expect(page.locator("[data-webform-closed]")).to_be_hidden()

    # Closed while the page was away from the network: said as soon as it is back.
    services.form_unpublish(actor=editor, form=form)
    context.set_offline(False)
    expect(page.locator("[data-webform-closed]")).to_contain_text(
        "This form is no longer open for new records."
    )
    expect(newer).to_be_hidden()
    assert page.js_errors == []


def test_a_page_cached_before_signing_in_again_still_sends(page, live_server):
    """Signing in again replaces the CSRF secret: the cached page's token is stale, the cookie's is not."""
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    collector = member(landscape, Role.MEMBER)
    form = publish_tree_form(landscape, editor)
    url = fill_url(landscape, form)
    context = page.context

    sign_in(page, collector.email)
    open_online(page, url)
    cookie = next(c for c in context.cookies() if c["name"] == "csrftoken")["value"]
    sign_out(page)
    sign_in(page, collector.email)
    assert next(c for c in context.cookies() if c["name"] == "csrftoken")["value"] != cookie

    context.set_offline(True)
    reopen_offline(page, url)
    # The page from the cache carries a token of the secret before the sign-in.
    assert _unmask_cipher_token(page.locator("meta[name=csrf-token]").get_attribute("content")) == cookie
    page.get_by_label("Species").fill("Baobab")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("[data-webform-count]")).to_have_text("1 record waiting to be sent.")

    context.set_offline(False)
    expect(page.locator("[data-webform-status]")).to_have_text("All records are sent.")
    assert Submission.objects.get().data["species"] == "Baobab"
    assert page.js_errors == []


def click_and_expect_status(page: Page, button: str, text: str) -> None:
    """Click, then wait for the status the click ends with (cleared first: the text may be there already)."""
    page.locator("[data-webform-status]").evaluate("el => { el.textContent = ''; }")
    page.get_by_role("button", name=button).click()
    expect(page.locator("[data-webform-status]")).to_have_text(text)


def test_a_shared_phone_sends_each_persons_records_only_while_that_person_is_signed_in(
    page, live_server, shots_dir
):
    """A queues records offline and signs out; B signs in on the same phone: A's records stay queued
    (only counted, their answers not shown) while B's own are sent; A signs in again: sent once, as A's."""
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    first = member(landscape, Role.MEMBER, name="Amina Mollel")
    second = member(landscape, Role.MEMBER, name="Baraka Lema")
    form = publish_tree_form(landscape, editor)
    url = fill_url(landscape, form)
    context = page.context
    webform = page.locator("[data-webform]")
    others = page.locator("[data-webform-others] li")
    posts = []
    context.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/fill/" in r.url else None)

    sign_in(page, first.email)
    open_online(page, url)
    context.set_offline(True)
    reopen_offline(page)
    # One at a time: the page clears the form once a record is stored, which must not eat the next one.
    for count, species in enumerate(("Baobab", "Tamarind"), start=1):
        page.get_by_label("Species").fill(species)
        page.get_by_role("button", name="Save the record").click()
        waiting = re.compile(rf"^{count} records? waiting to be sent\.$")
        expect(page.locator("[data-webform-count]")).to_have_text(waiting)
    expect(page.locator("[data-webform-count]")).to_have_text("2 records waiting to be sent.")
    # Away from the fill page before the network returns, so nothing is sent while A is signed in.
    page.goto("about:blank")
    context.set_offline(False)
    page.goto("/")
    sign_out(page)

    sign_in(page, second.email)
    page.goto(url)
    expect(page.locator("[data-webform-who]")).to_have_text("You fill in as Baraka Lema.")
    expect(others).to_have_count(1)
    expect(others).to_have_text("2 records waiting for Amina Mollel to sign in.")
    expect(webform).to_have_attribute("data-waiting-others", "2")
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    expect(page.locator("[data-webform-queue] li")).to_have_count(0)
    assert len(page.evaluate(QUEUED)) == 2
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=shots_dir / "webform-shared-phone.png", full_page=True)

    # B's own record goes out at once, under B; A's stay, however often B sends.
    page.get_by_label("Species").fill("Mango")
    click_and_expect_status(page, "Save the record", "All your records are sent.")
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    assert Submission.objects.count() == 1
    click_and_expect_status(page, "Send now", "All your records are sent.")
    expect(others).to_have_text("2 records waiting for Amina Mollel to sign in.")
    assert [(r.data["species"], r.submitted_by) for r in Submission.objects.all()] == [("Mango", second)]
    assert posts == [f"{live_server.url}{url}submit/"]
    assert len(page.evaluate(QUEUED)) == 2

    page.goto("/")
    sign_out(page)
    sign_in(page, first.email)
    page.goto(url)
    expect(page.locator("[data-webform-status]")).to_have_text("All records are sent.")
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    expect(others).to_have_count(0)
    expect(webform).to_have_attribute("data-waiting-others", "0")
    assert page.evaluate(QUEUED) == []
    records = Submission.objects.order_by("received_at", "pk")
    assert [(r.data["species"], r.submitted_by) for r in records] == [
        ("Mango", second),
        ("Baobab", first),
        ("Tamarind", first),
    ]
    assert {r.username for r in records if r.submitted_by == first} == {"Amina Mollel"}
    assert posts == [f"{live_server.url}{url}submit/"] * 3
    assert page.js_errors == []


def test_a_page_left_open_asks_who_is_signed_in_before_sending(page, live_server):
    """A's page stays open while B signs in in another tab: "Send now" in A's page first asks the server
    who is signed in, keeps A's record for A, and saves what is filled in next as B's."""
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    first = member(landscape, Role.MEMBER, name="Amina Mollel")
    second = member(landscape, Role.MEMBER, name="Baraka Lema")
    form = publish_tree_form(landscape, editor)
    url = fill_url(landscape, form)
    context = page.context
    submit = f"{live_server.url}{url}submit/"
    posts = []
    context.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url == submit else None)

    sign_in(page, first.email)
    open_online(page, url)
    # The record's sending fails on the way (a weak network): it stays queued as A's.
    context.route(submit, lambda route: route.abort())
    page.get_by_label("Species").fill("Baobab")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("[data-webform-status]")).to_have_text(
        "No network: the records stay on this device until it returns."
    )
    expect(page.locator("[data-webform-count]")).to_have_text("1 record waiting to be sent.")
    context.unroute(submit)

    other = context.new_page()
    other.goto("/")
    sign_out(other)
    sign_in(other, second.email)
    other.close()
    posts.clear()

    click_and_expect_status(page, "Send now", "All your records are sent.")
    expect(page.locator("[data-webform]")).to_have_attribute("data-signed-in", str(second.pk))
    expect(page.locator("[data-webform-who]")).to_have_text("You fill in as Baraka Lema.")
    expect(page.locator("[data-webform-others] li")).to_have_text(
        "1 record waiting for Amina Mollel to sign in."
    )
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    assert posts == []
    assert not Submission.objects.exists()

    # What is filled in now on this page is B's, and goes out under B.
    page.get_by_label("Species").fill("Mango")
    click_and_expect_status(page, "Save the record", "All your records are sent.")
    expect(page.locator("[data-webform-count]")).to_have_text("No records waiting to be sent.")
    expect(page.locator("[data-webform-others] li")).to_have_text(
        "1 record waiting for Amina Mollel to sign in."
    )
    assert [(r.data["species"], r.submitted_by) for r in Submission.objects.all()] == [("Mango", second)]
    assert posts == [submit]
    assert page.js_errors == []
