"""The upload page checks the files' sizes before sending anything: a file over the limit for one
file, or files over the limit for one upload together, are named with their size and the limit,
and the form is not sent; files that fit go through. Files can also be dropped on the form."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from landmosaic.core.models import Job
from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets.models import Dataset
from tests.browser.helpers import sign_in
from tests.datasets.builders import points_csv
from tests.factories import LandscapeFactory, member

pytestmark = pytest.mark.browser

MB = 1024 * 1024


def csv_of(size: int) -> bytes:
    return (b"a,b\n" + b"1,2\n" * (size // 4))[:size]


@override_settings(DATASET_MAX_UPLOAD_BYTES=2 * MB)
def test_sizes_are_checked_before_sending(page):
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/data/upload/")
    files = page.locator("input[type=file]")
    check = page.locator("#upload-check")
    upload = page.locator("main form").get_by_role("button", name="Upload")

    files.set_input_files([{"name": "survey.csv", "mimeType": "text/csv", "buffer": csv_of(MB * 5 // 2)}])
    expect(check).to_have_text(
        "survey.csv is 2.5 MB, more than the 2 MB allowed for one file. Choose a smaller file, or split it."
    )
    upload.click()
    expect(page).to_have_url(re.compile(r"/data/upload/$"))

    files.set_input_files(
        [{"name": f"part-{n}.csv", "mimeType": "text/csv", "buffer": csv_of(MB * 3 // 4)} for n in range(3)]
    )
    expect(page.locator("#upload-files li")).to_have_text(
        ["part-0.csv (0.75 MB)", "part-1.csv (0.75 MB)", "part-2.csv (0.75 MB)"]
    )
    expect(check).to_have_text(
        "The 3 files chosen are 2.3 MB together, more than the 2 MB one upload may carry. "
        "Upload them in several goes."
    )
    upload.click()
    expect(page).to_have_url(re.compile(r"/data/upload/$"))
    assert not Job.objects.exists()

    # Files dropped on the form are taken as if chosen, and checked the same way.
    expect(page.get_by_text("You can also drop files here.")).to_be_visible()
    page.locator("main form").evaluate(
        """form => {
            const data = new DataTransfer();
            data.items.add(new File(['x'.repeat(3 * 1024 * 1024)], 'dropped.csv', {type: 'text/csv'}));
            form.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(page.locator("#upload-files li")).to_have_text(["dropped.csv (3 MB)"])
    expect(check).to_have_text(
        "dropped.csv is 3 MB, more than the 2 MB allowed for one file. Choose a smaller file, or split it."
    )

    files.set_input_files([{"name": "wells.csv", "mimeType": "text/csv", "buffer": points_csv()}])
    expect(check).to_be_hidden()
    upload.click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    assert Dataset.objects.filter(landscape=landscape).count() == 1
    assert page.js_errors == []
