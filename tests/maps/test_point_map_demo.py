"""The demo valley has a public point map of its water points that anyone can open."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from landmosaic.maps.models import PointMap


@pytest.mark.django_db
def test_the_demo_has_a_public_point_map_of_the_water_points(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    point_map = PointMap.objects.get()
    assert (point_map.title, point_map.visibility, point_map.colour_mode) == (
        "Water points by state",
        "public",
        "categories",
    )
    anonymous = Client()
    assert anonymous.get(point_map.get_absolute_url()).status_code == 200
    data = anonymous.get(f"{point_map.get_absolute_url()}data.geojson").json()
    assert data["numberReturned"] == 120 and len(data["legend"]) >= 2
    assert b"Water points by state" in anonymous.get(point_map.dataset.get_absolute_url()).content
