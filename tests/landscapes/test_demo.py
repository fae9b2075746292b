"""The demo that `make run` loads: only into an empty database, with a member in every role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.models import Job
from landmosaic.datasets.models import Dataset
from landmosaic.datasets.selectors import dataset_list
from landmosaic.fieldwork.models import Attachment, Form
from landmosaic.landscapes.models import Landscape
from tests.factories import UserFactory

# The scenarios demo (tested in tests/scenarios/test_demo.py): two land-cover maps and two runs' results.
SCENARIO_DATASETS = {
    "Land cover 2015 (WorldCover classes)": ("raster", None),
    "Land cover 2020 (WorldCover classes)": ("raster", None),
    "Distance to the river and towns (m)": ("raster", None),
    **{
        f"{name} (Kilombero land use 2015-2020): {what}": (kind, rows)
        for name in ("Business as usual", "Restore the escarpment")
        for what, kind, rows in (
            ("land cover 2021–2040", "raster", None),
            ("indicators 2020–2040", "table", 21),
        )
    },
}


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once_with_every_role_and_lists_the_sign_ins():
    first = run()
    assert "Demo landscapes loaded" in first and "manager@demo.landmosaic.org" in first
    valley = Landscape.objects.get(slug="kilombero-valley")
    assert valley.boundary_kind == "polygon" and valley.area_ha > 100_000
    assert valley.partnership.organisations.count() == 4
    roles = sorted(valley.memberships.values_list("role", flat=True))
    assert roles == ["editor", "manager", "member", "viewer"]
    assert Landscape.objects.filter(visibility="private").exists()
    second = run()
    assert "loaded" not in second and "manager@demo.landmosaic.org" in second
    assert Landscape.objects.count() == 3


@pytest.mark.django_db
def test_demo_is_not_loaded_into_a_database_with_content():
    UserFactory()
    assert "not loaded" in run()
    assert not Landscape.objects.exists()


@pytest.mark.django_db
def test_demo_outsider_cannot_see_the_private_landscape():
    run()
    outsider = User.objects.get(email="outsider@demo.landmosaic.org")
    private = Landscape.objects.get(visibility="private")
    assert not permissions.can(outsider, "view", private)


@pytest.mark.django_db
def test_demo_valley_has_a_data_commons_and_a_field_form(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run()
    valley = Landscape.objects.get(slug="kilombero-valley")
    datasets = {
        d.title: d for d in Dataset.objects.filter(landscape=valley).select_related("current_version")
    }
    kinds = {title: (d.kind, d.visibility, d.current_version.row_count) for title, d in datasets.items()}
    assert kinds == {
        "Water points": ("vector", "public", 120),
        "Management zones": ("vector", "private", 6),
        "Land cover 2024": ("raster", "public", None),
        "Monthly rainfall": ("table", "public", 72),
        "Tree planting survey": ("vector", "private", 36),
        **{title: (kind, "public", rows) for title, (kind, rows) in SCENARIO_DATASETS.items()},
    }
    assert datasets["Management zones"].current_version.geometry_type in ("Polygon", "MultiPolygon")
    raster = datasets["Land cover 2024"].current_version
    assert raster.normalised_format == "cog" and raster.details["statistics"]["kind"] == "categorical"
    assert (tmp_path / raster.storage_prefix / "quicklook.png").exists()
    # Every generated point lies inside the valley's boundary.
    west, south, east, north = valley.bbox_west, valley.bbox_south, valley.bbox_east, valley.bbox_north
    lon_w, lat_s, lon_e, lat_n = datasets["Water points"].bbox
    assert west <= lon_w < lon_e <= east and south <= lat_s < lat_n <= north
    form = Form.objects.get(landscape=valley)
    assert (
        form.is_published
        and form.submissions.count() == 36
        and form.dataset_id == datasets["Tree planting survey"].pk
    )
    assert Attachment.objects.filter(submission__form=form).count() == 36
    assert form.submissions.filter(review_status="approved").count() == 22
    assert not Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.FAILED]).exists()


@pytest.mark.django_db
def test_demo_datasets_follow_the_permission_model(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run()
    valley = Landscape.objects.get(slug="kilombero-valley")
    outsider = User.objects.get(email="outsider@demo.landmosaic.org")
    viewer = User.objects.get(email="viewer@demo.landmosaic.org")
    public = {d.title for d in dataset_list(actor=AnonymousUser(), landscape=valley)}
    assert public == {"Water points", "Land cover 2024", "Monthly rainfall", *SCENARIO_DATASETS}
    assert {d.title for d in dataset_list(actor=outsider, landscape=valley)} == public
    assert len(dataset_list(actor=viewer, landscape=valley)) == 5 + len(SCENARIO_DATASETS)
    raster = Dataset.objects.get(title="Land cover 2024")
    page = Client().get(raster.get_absolute_url())
    assert page.status_code == 200 and b"data-image-url" in page.content
