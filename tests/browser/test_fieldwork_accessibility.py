"""Every field data page at phone size: one heading, labelled controls, images with text, no sideways
scrolling, no script errors (the smoke rules of test_accessibility)."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.core.permissions import Role
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import JPEG, Collect, publish_tree_form, submission_xml

from .helpers import sign_in
from .test_accessibility import assert_basic_accessibility

pytestmark = pytest.mark.browser


def test_field_data_pages_at_phone_size(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    form = publish_tree_form(landscape, editor)
    _access, secret = services.collector_create(actor=editor, landscape=landscape, name="Village monitors")
    phone = Collect(Client(), f"/collect/{secret}/", {})
    assert (
        phone.submit(submission_xml(instance_id="uuid:a11y", photo="p.jpg"), {"p.jpg": JPEG}).status_code
        == 201
    )
    record = Submission.objects.get()

    sign_in(page, editor.email)
    base = f"/landscapes/{landscape.slug}/field-data/"
    for path in (
        base,
        f"{base}build/",
        f"{base}collectors/",
        f"{base}forms/{form.pk}/",
        f"{base}forms/{form.pk}/build/",
        f"{base}forms/{form.pk}/fill/",
        f"{base}forms/{form.pk}/records/",
        f"{base}forms/{form.pk}/records/{record.pk}/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_basic_accessibility(page)
