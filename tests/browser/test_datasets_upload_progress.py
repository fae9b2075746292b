"""The upload page sends each file by itself and shows its progress while the bytes go out: a bar
with the percentage and "x MB of y MB", a Cancel button (nothing stored), Try again after a lost
connection, the server's reason when it refuses a file, and the link to each file's job. Without
JavaScript the plain form post still works.

Chromium's network emulation slows the upload (DevTools ``Network.emulateNetworkConditions``) so
that the progress between 0 and 100 can be seen, as on a phone on a weak network."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from landmosaic.core.models import Job
from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets.models import Dataset
from tests.browser.conftest import PHONE
from tests.browser.helpers import sign_in
from tests.datasets.builders import points_csv
from tests.datasets.test_raster import classes_array, tiff_bytes
from tests.factories import LandscapeFactory, member

pytestmark = pytest.mark.browser

MB = 1024 * 1024

# Every value a progress bar of the upload list takes, with its label and the text beside it,
# reported to the test as it happens (the page moves on to the jobs' page once all are sent).
RECORD_PROGRESS = """
new MutationObserver(() => {
  document.querySelectorAll('#upload-files progress').forEach(bar => {
    const row = bar.closest('li');
    window.lmProgress(bar.getAttribute('aria-label'), Number(bar.value),
                      row.querySelector('.progress-label').textContent);
  });
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['value']});
"""


def big_geotiff() -> bytes:
    data = tiff_bytes(classes_array((1750, 1800)))  # uncompressed: about 3 MB
    assert 3 * MB <= len(data) < 4 * MB
    return data


def throttle(page, *, bytes_per_second: int) -> None:
    """Slow the page's uploads as a weak mobile network would (downloads stay as they are)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": bytes_per_second},
    )
    return cdp


@pytest.fixture
def upload_page(page):
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    sign_in(page, editor.email)
    page.landscape = landscape
    return page


def open_upload(page) -> None:
    page.goto(f"/landscapes/{page.landscape.slug}/data/upload/")


def choose(page, files: list[tuple[str, str, bytes]]) -> None:
    page.locator("input[type=file]").set_input_files(
        [{"name": name, "mimeType": kind, "buffer": data} for name, kind, data in files]
    )
    page.locator("main form").get_by_role("button", name="Upload").click()


def row(page, name: str):
    return page.locator("#upload-files li", has_text=name)


def test_each_file_shows_its_progress_while_sent_then_its_job(upload_page, shots_dir):
    page = upload_page
    seen: dict[str, list[tuple[int, str]]] = {}
    page.expose_function(
        "lmProgress", lambda label, value, text: seen.setdefault(label, []).append((value, text))
    )
    page.add_init_script(RECORD_PROGRESS)
    open_upload(page)
    throttle(page, bytes_per_second=MB)  # the GeoTIFF takes about 3 s
    choose(page, [("wells.csv", "text/csv", points_csv()), ("landcover.tif", "image/tiff", big_geotiff())])

    # While the GeoTIFF is sent: its bar is named, its status is announced, and the CSV before it
    # was received and links to its job.
    tif = row(page, "landcover.tif")
    expect(page.get_by_role("progressbar", name="Sending landcover.tif")).to_be_visible()
    expect(tif.get_by_role("status")).to_have_attribute("aria-live", "polite")
    expect(tif.get_by_role("button", name="Cancel")).to_be_visible()
    wells = row(page, "wells.csv")
    expect(wells.get_by_role("status")).to_have_text("Received. It is being checked and archived.")
    wells_job = wells.get_by_role("link", name="Follow its progress").get_attribute("href")
    assert re.search(r"/data/upload/progress/\?job=[0-9a-f-]{36}$", wells_job)
    page.screenshot(path=str(shots_dir / "datasets-upload-progress-phone.png"), full_page=True)

    # Once both are received, the page of their jobs, as after the plain form post.
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=60_000)
    tif_values = [value for value, _ in seen["Sending landcover.tif"]]
    assert tif_values[-1] == 100
    assert any(0 < value < 100 for value in tif_values), tif_values
    assert tif_values == sorted(tif_values)  # never goes back
    texts = [text for _, text in seen["Sending landcover.tif"]]
    assert any(re.fullmatch(r"\d{1,2}% · [0-9.]+ MB of 3(\.\d)? MB", text) for text in texts), texts
    assert re.fullmatch(r"100% · 3(\.\d)? MB of 3(\.\d)? MB", texts[-1])
    assert [value for value, _ in seen["Sending wells.csv"]][-1] == 100

    # Both are ingested: each one's job opens its dataset, the CSV's also from its own link.
    for name in ("wells.csv", "landcover.tif"):
        expect(
            page.locator("section", has_text=name).get_by_role("link", name=re.compile("^Open"))
        ).to_be_visible(timeout=30_000)
    page.goto(wells_job)
    page.get_by_role("link", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", name="wells", exact=False).first).to_be_visible()
    assert Dataset.objects.filter(landscape=page.landscape).count() == 2
    assert page.js_errors == []


def test_cancel_stores_nothing_and_try_again_sends_the_file(upload_page):
    page = upload_page
    open_upload(page)
    cdp = throttle(page, bytes_per_second=100 * 1024)  # about 30 s for the GeoTIFF
    choose(page, [("landcover.tif", "image/tiff", big_geotiff())])
    tif = row(page, "landcover.tif")
    page.wait_for_function("() => document.querySelector('#upload-files progress').value >= 2")
    tif.get_by_role("button", name="Cancel").click()
    expect(tif.get_by_role("status")).to_have_text("landcover.tif: cancelled; nothing was stored.")
    expect(tif.get_by_role("button", name="Cancel")).to_be_hidden()
    expect(tif.get_by_role("button", name="Try again")).to_be_focused()
    expect(page.locator("main form").get_by_role("button", name="Upload")).to_be_enabled()

    # Sent again at full speed: exactly one dataset and one job, so the cancelled request left none.
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    tif.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    assert Dataset.objects.filter(landscape=page.landscape).count() == 1
    assert Job.objects.count() == 1
    assert page.js_errors == []


def test_a_lost_connection_says_so_and_try_again_sends_the_file(upload_page):
    page = upload_page
    open_upload(page)
    page.context.set_offline(True)
    choose(page, [("wells.csv", "text/csv", points_csv())])
    wells = row(page, "wells.csv")
    expect(wells.get_by_role("status")).to_have_text(
        "The connection was lost while sending wells.csv. Check the connection, then try again."
    )
    assert not Job.objects.exists()
    page.context.set_offline(False)
    wells.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    assert Dataset.objects.filter(landscape=page.landscape).count() == 1


def test_a_refused_file_shows_the_servers_reason_and_the_others_go_on(upload_page):
    page = upload_page
    open_upload(page)
    choose(page, [("empty.csv", "text/csv", b""), ("wells.csv", "text/csv", points_csv())])
    empty = row(page, "empty.csv")
    expect(empty.get_by_role("status")).to_have_text(
        "empty.csv was not accepted: Files: The submitted file is empty."
    )
    expect(row(page, "wells.csv").get_by_role("link", name="Follow its progress")).to_be_visible(
        timeout=30_000
    )
    expect(empty.get_by_role("button", name="Try again")).to_be_hidden()  # the same file would fail again
    summary = page.locator("#upload-summary")
    expect(summary).to_have_text("1 of the 2 files were received. Follow the files received")
    expect(page).to_have_url(re.compile(r"/data/upload/$"))  # stays: one file needs the person

    # Upload again does not send the received file twice: a new choice is needed.
    page.locator("main form").get_by_role("button", name="Upload").click()
    assert page.locator("input[type=file]").evaluate("input => input.files.length") == 0
    summary.get_by_role("link", name="Follow the files received").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible()
    expect(page.locator("section")).to_have_count(1)
    assert Dataset.objects.filter(landscape=page.landscape).count() == 1
    assert page.js_errors == []


def test_without_javascript_the_form_posts_as_before(browser, live_server):
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **PHONE)
    try:
        page = context.new_page()
        sign_in(page, editor.email)
        page.goto(f"/landscapes/{landscape.slug}/data/upload/")
        choose(page, [("wells.csv", "text/csv", points_csv()), ("farms.csv", "text/csv", points_csv())])
        expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=30_000)
        expect(page.locator("section progress")).to_have_count(2)
        assert Dataset.objects.filter(landscape=landscape).count() == 2
    finally:
        context.close()


def test_try_again_after_a_lost_answer_makes_no_second_dataset(upload_page):
    """The file arrives and its job starts, but the answer is lost on the way back (a phone leaving
    the network): Try again sends the same Idempotency-Key, and the server answers the first job."""
    page = upload_page
    keys: list[str] = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            assert route.fetch().status == 201  # the server received it and started its job
            route.abort("connectionfailed")
        else:
            route.continue_()

    page.route(re.compile(r"/data/upload/$"), lose_the_first_answer)
    open_upload(page)
    choose(page, [("wells.csv", "text/csv", points_csv())])
    wells = row(page, "wells.csv")
    expect(wells.get_by_role("status")).to_have_text(
        "The connection was lost while sending wells.csv. Check the connection, then try again."
    )
    assert Job.objects.count() == 1
    wells.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    assert len(keys) == 2 and keys[0] == keys[1] and re.fullmatch(r"[0-9a-f-]{32,36}", keys[0])
    assert Job.objects.count() == 1
    assert Dataset.objects.filter(landscape=page.landscape).count() == 1
    assert page.js_errors == []
