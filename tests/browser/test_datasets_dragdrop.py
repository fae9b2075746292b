"""A file dropped on the upload page (a drop event carrying a DataTransfer with a File, as a browser
makes when a file is dragged from the desktop) is listed, sent with its own progress bar, and ends as
a dataset, reached from the progress page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets.models import Dataset
from tests.browser.helpers import sign_in
from tests.factories import LandscapeFactory, member

pytestmark = pytest.mark.browser

WELLS = "name,latitude,longitude\\nWell 1,-8.1,36.1\\nWell 2,-8.2,36.2\\n"

# Records what upload.js shows for each file while it is sent: the page leaves for the jobs' progress
# as soon as all files have arrived, so the rows are reported as they change rather than read after.
WATCH_ROWS = """() => {
    const list = document.getElementById('upload-files');
    new MutationObserver(() => {
        list.querySelectorAll('.upload-row').forEach(row => {
            const bar = row.querySelector('progress');
            window.reportRow(row.querySelector('.upload-name').textContent, bar ? bar.max : null,
                             bar ? bar.value : null, row.getAttribute('data-state'));
        });
    }).observe(list, {childList: true, subtree: true, attributes: true, characterData: true});
}"""


def test_a_dropped_file_is_sent_with_its_progress_bar_and_becomes_a_dataset(page):
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/data/upload/")
    seen: list[tuple[str, float | None, float | None, str | None]] = []
    page.expose_function(
        "reportRow", lambda name, maximum, value, state: seen.append((name, maximum, value, state))
    )
    page.evaluate(WATCH_ROWS)

    expect(page.get_by_text("You can also drop files here.")).to_be_visible()
    page.locator("main form").evaluate(
        f"""form => {{
            const data = new DataTransfer();
            data.items.add(new File(["{WELLS}"], 'wells.csv', {{type: 'text/csv'}}));
            const options = {{dataTransfer: data, bubbles: true, cancelable: true}};
            form.dispatchEvent(new DragEvent('drop', options));
        }}"""
    )
    expect(page.locator("#upload-files li")).to_have_text([re.compile(r"^wells\.csv \(")])
    assert page.locator("input[type=file]").evaluate("input => input.files[0].name") == "wells.csv"

    page.locator("main form").get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)

    rows = [row for row in seen if row[0].startswith("wells.csv")]
    assert rows, "the dropped file was never shown as a row being sent"
    assert all(maximum == 100 for _name, maximum, _value, _state in rows)  # each with its progress bar
    assert rows[-1][2] == 100 and rows[-1][3] == "accepted"
    dataset = Dataset.objects.get(landscape=landscape)
    assert (dataset.title, dataset.kind, dataset.current_version.row_count) == ("wells", "vector", 2)
    page.get_by_role("link", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("wells")
    assert page.js_errors == []
