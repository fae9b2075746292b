"""The demo's field data, as a newcomer sees it: a published tree-planting survey with three dozen
records with photos, on the monitoring page's map and in the form's dataset, inside the valley."""

from __future__ import annotations

import io
from io import StringIO

import pyogrio.raw
import pytest
import shapely
from django.core.management import call_command
from django.test import Client
from PIL import Image
from shapely.geometry import shape

from landmosaic.accounts.models import User
from landmosaic.datasets.models import Dataset
from landmosaic.fieldwork.models import Attachment, Form
from landmosaic.landscapes.models import Landscape


@pytest.fixture
def valley(settings, tmp_path) -> Landscape:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    return Landscape.objects.get(slug="kilombero-valley")


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_demo_records_are_on_the_monitoring_map_and_in_the_forms_dataset(valley, tmp_path):
    boundary = shape(valley.boundary_geojson)
    form = Form.objects.get(landscape=valley)
    assert form.is_published and form.title == "Tree planting survey" and form.method
    member = signed_in("member@demo.landmosaic.org")

    # The monitoring page: counts, per day, per collector, and the map whose layer it names.
    page = member.get(f"{form.get_absolute_url()}records/")
    assert page.status_code == 200
    monitoring = page.context["monitoring"]
    assert (monitoring.total, monitoring.approved, monitoring.rejected, monitoring.pending) == (36, 22, 3, 11)
    assert monitoring.outside == 0 and len(monitoring.per_day) == 36
    assert monitoring.per_collector == [("Mngeta nursery group", 36)]
    map_url = f"{form.get_absolute_url()}records.geojson"
    assert f'data-geojson-url="{map_url}"' in page.content.decode()
    layer = member.get(map_url)
    assert layer.status_code == 200 and layer["Content-Type"] == "application/geo+json"
    points = [f["geometry"]["coordinates"] for f in layer.json()["features"]]
    assert len(points) == 36 and len({tuple(p) for p in points}) == 36
    assert all(boundary.contains(shapely.Point(p)) for p in points)
    # The map's points open their records, which show their photo.
    record = member.get(layer.json()["features"][0]["properties"]["url"])
    assert record.status_code == 200 and "/attachments/" in record.content.decode()

    # Every record has its photo, a real JPEG.
    attachments = Attachment.objects.filter(submission__form=form)
    assert attachments.count() == 36
    assert set(attachments.values_list("submission", flat=True)) == set(
        form.submissions.values_list("pk", flat=True)
    )
    with attachments.first().file.open("rb") as photo:
        assert Image.open(io.BytesIO(photo.read())).format == "JPEG"

    # The form's dataset in the commons: 36 point rows inside the valley, each with its photo address.
    dataset = Dataset.objects.select_related("current_version").get(pk=form.dataset_id)
    version = dataset.current_version
    assert (dataset.kind, version.row_count, version.geometry_type) == ("vector", 36, "Point")
    meta, _fids, geometries, arrays = pyogrio.raw.read(str(tmp_path / version.normalised_path))
    columns = dict(zip(meta["fields"].tolist(), arrays, strict=True))
    located = shapely.from_wkb(geometries)
    assert len(located) == 36 and all(boundary.contains(p) for p in located)
    assert all(url and "/attachments/" in url for url in columns["_photo_url"])
    assert sorted(set(columns["_review_status"])) == ["approved", "pending", "rejected"]
    assert set(columns["_collector"]) == {"Mngeta nursery group"}
    west, south, east, north = dataset.bbox
    assert valley.bbox_west <= west <= east <= valley.bbox_east
    assert valley.bbox_south <= south <= north <= valley.bbox_north
    assert member.get(dataset.get_absolute_url()).status_code == 200
