"""Zone colours by kind on the maps, and an indicator's optional place (point or area)."""

from __future__ import annotations

import json

import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.planning import selectors, services
from landmosaic.planning.zonemap import ZONE_COLOURS

from .conftest import API, INSIDE, POINT, client_for, make_goal, make_indicator, make_objective

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[36.05, -8.05], [36.1, -8.1], [36.1, -8.05], [36.05, -8.1], [36.05, -8.05]]],
}


def test_zones_carry_the_colour_of_their_kind_and_the_vision_page_has_a_legend(private_cast):
    cast = private_cast
    for name, kind in (("Forest", "natural"), ("Farms", "combined"), ("Town", "economic")):
        services.zone_save(actor=cast.editor, landscape=cast.landscape, name=name, kind=kind, geometry=INSIDE)
    zones = selectors.zone_list(actor=cast.viewer, landscape=cast.landscape)
    fills = {
        f["properties"]["kind"]: f["properties"]["fill"]
        for f in selectors.zones_geojson(zones, slug="x")["features"]
    }
    assert fills == ZONE_COLOURS and len(set(fills.values())) == 3
    html = client_for(cast.viewer).get(f"/landscapes/{cast.landscape.slug}/plan/vision/").content.decode()
    assert 'class="zone-legend"' in html and html.count('class="swatch zone-') == 3
    assert '"fill": "#009E73"' in html  # in the map's data


def test_an_indicator_may_have_a_point_or_an_area_inside_the_landscape(private_cast):
    cast = private_cast
    objective = make_objective(cast, make_goal(cast))
    point = make_indicator(cast, objective=objective, name="Spring flow", geometry=POINT)
    assert point.geometry["type"] == "Point"
    area = make_indicator(cast, objective=objective, name="Forest cover", geometry=INSIDE)
    assert area.geometry["type"] == "Polygon"
    with pytest.raises(ValidationFailed, match="outside the landscape") as info:
        make_indicator(
            cast, objective=objective, name="Far away", geometry={"type": "Point", "coordinates": [0, 0]}
        )
    assert "geometry" in info.value.details
    with pytest.raises(ValidationFailed) as info:
        make_indicator(cast, objective=objective, name="Bow tie", geometry=BOWTIE)
    assert "geometry" in info.value.details
    services.indicator_save(actor=cast.editor, landscape=cast.landscape, indicator=point, geometry=None)
    point.refresh_from_db()
    assert point.geometry is None


def test_indicator_place_on_the_form_the_page_the_api_and_the_export(private_cast):
    cast = private_cast
    objective = make_objective(cast, make_goal(cast))
    editor = client_for(cast.editor)
    response = editor.post(
        f"/landscapes/{cast.landscape.slug}/plan/indicators/new/",
        {
            "attached_to": f"objective:{objective.pk}",
            "name": "Spring flow",
            "unit": "l/s",
            "direction": "increase",
            "frequency": "yearly",
            "weight": 1,
            "longitude": 36.1,
            "latitude": -8.1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = editor.get(response["Location"]).content.decode()
    assert 'data-geojson="indicator-place"' in page and '"type": "Point"' in page
    half = editor.post(
        f"/landscapes/{cast.landscape.slug}/plan/indicators/new/",
        {
            "attached_to": f"objective:{objective.pk}",
            "name": "X",
            "unit": "x",
            "direction": "increase",
            "frequency": "yearly",
            "weight": 1,
            "longitude": 36.1,
        },
    )
    assert half.status_code == 400 and "Give both longitude and latitude." in half.content.decode()
    url = f"{API}/landscapes/{cast.landscape.slug}/plan/indicators"
    created = editor.post(
        url,
        {
            "objective_id": objective.pk,
            "name": "Cover",
            "unit": "ha",
            "direction": "increase",
            "frequency": "yearly",
            "geometry": INSIDE,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["geometry"]["type"] == "Polygon"
    outside = editor.post(
        url,
        {
            "objective_id": objective.pk,
            "name": "Far",
            "unit": "ha",
            "direction": "increase",
            "frequency": "yearly",
            "geometry": {"type": "Point", "coordinates": [0, 0]},
        },
        content_type="application/json",
    )
    assert outside.status_code == 400 and "geometry" in outside.json()["error"]["details"]
    data = json.loads(
        client_for(cast.viewer).get(f"/landscapes/{cast.landscape.slug}/plan/export.json").content
    )
    assert sorted(str((i["geometry"] or {}).get("type")) for i in data["indicators"]) == ["Point", "Polygon"]
