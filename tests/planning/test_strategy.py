"""Shared vision (3.1) and strategy (3.2): vision, image, zones on the map, goals, SMART objectives."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from landmosaic.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from landmosaic.planning import selectors, services
from landmosaic.planning.models import Goal, Zone

from .conftest import API, INSIDE, PEOPLE, client_for, make_goal, make_objective

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[36.05, -8.05], [36.1, -8.1], [36.1, -8.05], [36.05, -8.1], [36.05, -8.05]]],
}
FAR_AWAY = {"type": "Polygon", "coordinates": [[[10.0, 10.0], [10.1, 10.0], [10.1, 10.1], [10.0, 10.0]]]}


def _png(name="vision.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _status(cast, code):
    return selectors.plan_get(actor=cast.manager, landscape=cast.landscape).output(code).suggestion


def test_vision_is_agreed_by_a_manager_and_editing_the_words_reopens_it(private_cast):
    landscape = private_cast.landscape
    assert _status(private_cast, "3.1").status == "not_started"
    with pytest.raises(Forbidden):
        services.vision_save(actor=private_cast.member, landscape=landscape, statement="x", horizon_year=2050)
    with pytest.raises(ValidationFailed):
        services.vision_save(actor=private_cast.editor, landscape=landscape, statement="x", horizon_year=1900)
    services.vision_save(
        actor=private_cast.editor,
        landscape=landscape,
        statement="Forests and farms thrive",
        horizon_year=2050,
    )
    assert _status(private_cast, "3.1").status == "in_progress"
    with pytest.raises(Forbidden):
        services.vision_agree(actor=private_cast.editor, landscape=landscape)
    services.vision_agree(actor=private_cast.manager, landscape=landscape)
    assert _status(private_cast, "3.1").status == "complete"
    services.vision_save(
        actor=private_cast.editor, landscape=landscape, image=_png(), image_alt="Terraced hills"
    )
    assert _status(private_cast, "3.1").status == "complete"  # a new picture does not change the words
    vision = services.vision_save(actor=private_cast.editor, landscape=landscape, statement="Forests thrive")
    assert not vision.agreed and _status(private_cast, "3.1").status == "in_progress"


def test_vision_image_needs_alt_text_and_a_real_image(private_cast):
    landscape = private_cast.landscape
    services.vision_save(
        actor=private_cast.editor, landscape=landscape, statement="A vision", horizon_year=2045
    )
    with pytest.raises(ValidationFailed, match="Describe the image"):
        services.vision_save(actor=private_cast.editor, landscape=landscape, image=_png())
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationFailed, match="not an image"):
        services.vision_save(actor=private_cast.editor, landscape=landscape, image=fake, image_alt="x")


@pytest.mark.parametrize("person", PEOPLE)
def test_vision_image_is_served_through_a_permission_checked_view(private_cast, person):
    landscape = private_cast.landscape
    services.vision_save(
        actor=private_cast.editor,
        landscape=landscape,
        statement="A vision",
        horizon_year=2045,
        image=_png(),
        image_alt="Hills",
    )
    response = client_for(private_cast[person]).get(f"/landscapes/{landscape.slug}/plan/vision/image/")
    expected = 404 if person in ("anonymous", "outsider", "superuser") else 200
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/png" and "private" in response["Cache-Control"]


def test_zones_are_valid_polygons_inside_the_landscape(private_cast):
    landscape = private_cast.landscape
    zone = services.zone_save(
        actor=private_cast.editor, landscape=landscape, name="Upper forest", kind="natural", geometry=INSIDE
    )
    assert zone.area_ha > 0 and zone.geometry["type"] == "Polygon"
    with pytest.raises(ValidationFailed) as info:
        services.zone_save(
            actor=private_cast.editor, landscape=landscape, name="Bow", kind="natural", geometry=BOW_TIE
        )
    assert "geometry" in info.value.details and "cross" in info.value.message.lower()
    with pytest.raises(ValidationFailed, match="outside the landscape"):
        services.zone_save(
            actor=private_cast.editor, landscape=landscape, name="Far", kind="natural", geometry=FAR_AWAY
        )
    with pytest.raises(ValidationFailed, match="Draw an area"):
        services.zone_save(
            actor=private_cast.editor,
            landscape=landscape,
            name="Dot",
            kind="natural",
            geometry={"type": "Point", "coordinates": [36.1, -8.1]},
        )
    with pytest.raises(ValidationFailed, match="already has a zone"):
        services.zone_save(
            actor=private_cast.editor,
            landscape=landscape,
            name="upper FOREST",
            kind="combined",
            geometry=INSIDE,
        )
    with pytest.raises(ValidationFailed):
        services.zone_save(
            actor=private_cast.editor, landscape=landscape, name="Odd", kind="lunar", geometry=INSIDE
        )
    assert Zone.objects.count() == 1


def test_goals_objectives_and_the_3_2_rule(private_cast):
    landscape = private_cast.landscape
    zone = services.zone_save(
        actor=private_cast.editor, landscape=landscape, name="Farms", kind="combined", geometry=INSIDE
    )
    assert _status(private_cast, "3.2").status == "not_started"
    goals = [
        make_goal(private_cast, "Inspired people", "inspiration", "human_well_being"),
        make_goal(private_cast, "Fair livelihoods", "social", "human_well_being"),
        make_goal(private_cast, "Healthy forests", "natural", "ecosystems", zone_ids=[zone.pk]),
    ]
    assert list(goals[2].zones.all()) == [zone]
    assert _status(private_cast, "3.2").status == "in_progress"
    for goal in goals:
        make_objective(private_cast, goal)
    suggestion = _status(private_cast, "3.2")
    assert suggestion.status == "in_progress" and "3 of the 4 returns" in " ".join(suggestion.reasons)
    prosperous = make_goal(private_cast, "Prosperous farms", "financial", "production")
    assert _status(private_cast, "3.2").status == "in_progress"  # a goal without objective
    make_objective(
        private_cast, prosperous, what="Raise coffee income", how_much=20, unit="%", zone_id=zone.pk
    )
    assert _status(private_cast, "3.2").status == "complete"


def test_goal_and_objective_validation(private_cast, public_cast):
    landscape = private_cast.landscape
    with pytest.raises(ValidationFailed):
        make_goal(private_cast, return_kind="spiritual")
    with pytest.raises(ValidationFailed):
        make_goal(private_cast, pillar="finance")
    goal = make_goal(private_cast)
    with pytest.raises(ValidationFailed):
        make_objective(private_cast, goal, unit="")
    with pytest.raises(ValidationFailed):
        make_objective(private_cast, goal, how_much=float("inf"))
    other_goal = make_goal(public_cast)
    with pytest.raises(ValidationFailed, match="goal of this landscape"):
        services.objective_save(
            actor=private_cast.editor,
            landscape=landscape,
            goal_id=other_goal.pk,
            what="x",
            how_much=1,
            unit="ha",
            by_when=datetime.date(2030, 1, 1),
        )
    objective = make_objective(private_cast, goal)
    with pytest.raises(Conflict, match="objectives and indicators first"):
        services.goal_delete(actor=private_cast.editor, goal=goal)
    services.objective_delete(actor=private_cast.editor, objective=objective)
    services.goal_delete(actor=private_cast.editor, goal=goal)
    assert not Goal.objects.filter(landscape=landscape).exists()


def test_strategy_reads_follow_the_landscape(private_cast, public_cast):
    make_goal(public_cast)
    assert len(selectors.goal_list(actor=public_cast.anonymous, landscape=public_cast.landscape)) == 1
    goal = make_goal(private_cast)
    for person in ("anonymous", "outsider", "superuser"):
        with pytest.raises(NotFound):
            selectors.goal_list(actor=private_cast[person], landscape=private_cast.landscape)
        with pytest.raises(NotFound):
            selectors.goal_get(actor=private_cast[person], landscape=private_cast.landscape, goal_id=goal.pk)


# --- API and pages -----------------------------------------------------------------------------


def test_strategy_api(private_cast):
    base = f"{API}/landscapes/{private_cast.landscape.slug}/plan"
    editor = client_for(private_cast.editor)
    vision = editor.put(
        f"{base}/vision",
        data={"statement": "Thriving hills", "horizon_year": 2050},
        content_type="application/json",
    )
    assert vision.status_code == 200 and vision.json()["agreed"] is False
    assert editor.post(f"{base}/vision/agree").status_code == 403
    assert client_for(private_cast.manager).post(f"{base}/vision/agree").json()["agreed"] is True
    zone = editor.post(
        f"{base}/zones",
        data={"name": "Forest", "kind": "natural", "geometry": INSIDE},
        content_type="application/json",
    )
    assert zone.status_code == 201, zone.content
    bad = editor.post(
        f"{base}/zones",
        data={"name": "Bow", "kind": "natural", "geometry": BOW_TIE},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "geometry" in bad.json()["error"]["details"]
    goal = editor.post(
        f"{base}/goals",
        data={
            "title": "Forests",
            "return_kind": "natural",
            "pillar": "ecosystems",
            "zone_ids": [zone.json()["id"]],
        },
        content_type="application/json",
    )
    assert goal.status_code == 201 and goal.json()["zones"][0]["name"] == "Forest"
    objective = editor.post(
        f"{base}/objectives",
        data={
            "goal_id": goal.json()["id"],
            "what": "Restore",
            "how_much": 100,
            "unit": "ha",
            "by_when": "2030-01-01",
        },
        content_type="application/json",
    )
    assert objective.status_code == 201
    listed = client_for(private_cast.viewer).get(f"{base}/goals").json()
    assert listed[0]["objectives"][0]["what"] == "Restore"
    geo = client_for(private_cast.viewer).get(f"{base}/zones.geojson").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 1
    assert client_for(private_cast.outsider).get(f"{base}/goals").status_code == 404
    assert client_for(private_cast.member).post(
        f"{base}/goals", data={}, content_type="application/json"
    ).status_code in (
        403,
        422,
    )


def test_vision_image_api(private_cast):
    base = f"{API}/landscapes/{private_cast.landscape.slug}/plan/vision"
    editor = client_for(private_cast.editor)
    editor.put(base, data={"statement": "Hills", "horizon_year": 2050}, content_type="application/json")
    sent = editor.post(f"{base}/image", data={"file": _png("holiday.JPG"), "image_alt": "Terraces at dawn"})
    assert sent.status_code == 200, sent.content
    assert sent.json()["image_url"].endswith("/plan/vision/image/")
    assert selectors.vision_get(
        actor=private_cast.editor, landscape=private_cast.landscape
    ).image.name.endswith(".png")
    assert (
        client_for(private_cast.member)
        .post(f"{base}/image", data={"file": _png(), "image_alt": "x"})
        .status_code
        == 403
    )
    assert editor.delete(f"{base}/image").json()["image_url"] is None


def test_vision_and_zone_pages(private_cast):
    slug = private_cast.landscape.slug
    editor = client_for(private_cast.editor)
    assert editor.get(f"/landscapes/{slug}/plan/vision/").status_code == 200
    saved = editor.post(
        f"/landscapes/{slug}/plan/vision/edit/", {"statement": "Hills", "horizon_year": "2050"}
    )
    assert saved.status_code == 302
    drawn = editor.post(
        f"/landscapes/{slug}/plan/zones/new/",
        {
            "name": "Bow",
            "kind": "natural",
            "geometry": '{"type": "Polygon", "coordinates": '
            "[[[36.05, -8.05], [36.1, -8.1], [36.1, -8.05], [36.05, -8.1], [36.05, -8.05]]]}",
        },
    )
    assert drawn.status_code == 400 and "cross" in drawn.content.decode().lower()
    html = client_for(private_cast.viewer).get(f"/landscapes/{slug}/plan/vision/").content.decode()
    assert "Hills" in html and "2050" in html
