"""Point maps ("data maps"): configuring one from a table or point layer, its colours and legend, and
who sees it (never more than its dataset allows)."""

from __future__ import annotations

import pytest

from landmosaic.core.errors import Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets import services as dataset_services
from landmosaic.maps import selectors, services, styling
from landmosaic.maps.models import PointMap
from tests.datasets.builders import csv_bytes
from tests.datasets.conftest import created, ingest, media  # noqa: F401 - fixtures used here
from tests.factories import LandscapeFactory, member

PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]
MEMBERS = ("viewer", "member", "editor", "manager")

# Field points: positions in latitude/longitude (the commons makes them a point layer), a category,
# a number, and one row without a position.
WELLS = [
    ["name", "latitude", "longitude", "kind", "depth_m"],
    ["Well A", "-4.10", "36.10", "borehole", "40"],
    ["Well B", "-4.20", "36.20", "hand dug", "8"],
    ["Well C", "-4.15", "36.05", "borehole", "55"],
    ["Spring", "-4.12", "36.30", "spring", ""],
    ["Lost", "", "", "borehole", "12"],
]
# A table whose coordinates the commons does not recognise by name: the editor picks the columns.
SURVEY = [
    ["site", "norte", "este", "score"],
    ["S1", "-3.5", "35.1", "1"],
    ["S2", "-3.6", "35.2", "2"],
    ["S3", "north", "35.3", "3"],
]


@pytest.fixture
def wells(private_cast, ingest):  # noqa: F811 - the fixture imported above
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(WELLS), "wells.csv"))
    return dataset


@pytest.fixture
def survey(private_cast, ingest):  # noqa: F811
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, csv_bytes(SURVEY), "survey.csv"))
    return dataset


def make_map(cast, dataset, **settings):
    values = {"title": "Wells by kind", "colour_field": "kind", "popup_fields": ["name", "depth_m"]}
    return services.point_map_create(actor=cast.editor, dataset=dataset, **{**values, **settings})


def test_a_point_layer_from_a_spreadsheet_is_prefilled_with_its_detected_columns(private_cast, wells):
    source = selectors.point_source_for_new_map(actor=private_cast.editor, dataset=wells)
    assert (wells.kind, source["has_points"]) == ("vector", True)
    assert (source["latitude"], source["longitude"]) == ("latitude", "longitude")


def test_a_map_colours_by_category_with_a_legend_and_shows_the_popup_fields(private_cast, wells):
    point_map = make_map(private_cast, wells, latitude_field="latitude", longitude_field="longitude")
    assert point_map.colour_mode == PointMap.ColourMode.CATEGORIES  # chosen from the text column
    data = selectors.point_map_data(actor=private_cast.viewer, point_map=point_map)
    assert data["type"] == "FeatureCollection" and data["numberReturned"] == 4
    assert data["skipped"] == 1 and data["truncated"] is False
    legend = {entry["label"]: entry["count"] for entry in data["legend"]}
    assert legend == {"borehole": 2, "hand dug": 1, "spring": 1}
    well_a = data["features"][0]
    assert well_a["geometry"] == {"type": "Point", "coordinates": [36.1, -4.1]}
    assert well_a["properties"] == {"name": "Well A", "depth_m": 40}
    assert data["legend"][well_a["class"]]["label"] == "borehole"
    assert data["style"]["radius"] == 6


def test_numbers_are_graduated_and_rows_without_a_value_have_their_own_class(private_cast, wells):
    point_map = make_map(private_cast, wells, colour_field="depth_m")
    assert point_map.colour_mode == PointMap.ColourMode.GRADUATED
    data = selectors.point_map_data(actor=private_cast.editor, point_map=point_map)
    labels = [entry["label"] for entry in data["legend"]]
    assert labels[-1] == "No value" and len(labels) >= 3
    assert labels[0].startswith("8") and labels[-2].endswith("55")
    spring = next(f for f in data["features"] if f["properties"]["name"] == "Spring")
    assert spring["class"] == len(labels) - 1


def test_a_table_is_mapped_from_the_columns_the_editor_chooses(private_cast, survey):
    assert survey.kind == "table"
    with pytest.raises(ValidationFailed) as info:
        make_map(private_cast, survey, colour_field="", popup_fields=["site"])
    assert "latitude_field" in info.value.details  # a table has no positions of its own
    point_map = make_map(
        private_cast,
        survey,
        latitude_field="norte",
        longitude_field="este",
        colour_field="",
        popup_fields=["site"],
    )
    data = selectors.point_map_data(actor=private_cast.editor, point_map=point_map)
    assert [f["properties"]["site"] for f in data["features"]] == ["S1", "S2"]
    assert data["skipped"] == 1  # "north" is not a number: counted, not fatal
    assert [e["label"] for e in data["legend"]] == ["All points"]


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"title": " "}, "title"),
        ({"latitude_field": "latitude"}, "latitude_field"),
        ({"latitude_field": "nope", "longitude_field": "longitude"}, "latitude_field"),
        ({"latitude_field": "latitude", "longitude_field": "latitude"}, "longitude_field"),
        ({"colour_field": "missing"}, "colour_field"),
        ({"colour_field": "kind", "colour_mode": "graduated"}, "colour_mode"),
        ({"point_size": 50}, "point_size"),
        ({"popup_fields": ["name", "password"]}, "popup_fields"),
        ({"visibility": "everyone"}, "visibility"),
        ({"visibility": "shared"}, "landscapes"),
    ],
)
def test_bad_settings_are_refused_with_the_field_and_nothing_is_stored(private_cast, wells, config, field):
    with pytest.raises(ValidationFailed) as info:
        make_map(private_cast, wells, **config)
    assert field in info.value.details, info.value.details
    assert not PointMap.objects.exists()


def test_only_tables_and_point_layers_can_be_mapped(private_cast, ingest):  # noqa: F811
    polygons = csv_bytes([["name", "wkt"], ["Field", "POLYGON((36 -4, 36.1 -4, 36.1 -3.9, 36 -4))"]])
    [fields] = created(ingest(private_cast.landscape, private_cast.editor, polygons, "fields.csv"))
    with pytest.raises(ValidationFailed):
        make_map(private_cast, fields, colour_field="")


def test_only_editors_of_the_landscape_make_maps(private_cast, wells):
    for person in ("viewer", "member"):
        with pytest.raises(Forbidden):
            services.point_map_create(actor=private_cast[person], dataset=wells, title="Mine")
    with pytest.raises(NotFound):
        services.point_map_create(actor=private_cast.outsider, dataset=wells, title="Mine")
    assert not PointMap.objects.exists()


def test_changes_and_deletion_are_audited(private_cast, wells):
    point_map = make_map(private_cast, wells)
    services.point_map_update(actor=private_cast.editor, point_map=point_map, point_size=10, colour_field="")
    point_map.refresh_from_db()
    assert (point_map.point_size, point_map.colour_mode) == (10, PointMap.ColourMode.SINGLE)
    with pytest.raises(Forbidden):
        services.point_map_update(actor=private_cast.member, point_map=point_map, title="Mine")
    services.point_map_delete(actor=private_cast.editor, point_map=point_map)
    actions = list(AuditEvent.objects.filter(object_type="point_map").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]
    assert wells.__class__.objects.filter(pk=wells.pk).exists()  # the data stays


# --- Who sees a map --------------------------------------------------------------------------


def visible_to(cast, point_map) -> dict[str, bool]:
    seen = {}
    for person in PEOPLE:
        try:
            selectors.point_map_get(actor=cast[person], pk=point_map.pk)
            data = selectors.point_map_data(actor=cast[person], point_map=point_map)
            assert data["numberReturned"] == 4
            seen[person] = True
        except NotFound:
            seen[person] = False
        listed = selectors.point_map_list(actor=cast[person], dataset=point_map.dataset).filter(
            pk=point_map.pk
        )
        assert listed.exists() == seen[person], person
    return seen


def test_a_private_map_is_for_the_landscapes_members(private_cast, wells):
    seen = visible_to(private_cast, make_map(private_cast, wells))
    assert {p for p, yes in seen.items() if yes} == set(MEMBERS)


def test_a_public_map_of_a_private_dataset_shows_nothing_to_outsiders(private_cast, wells):
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    seen = visible_to(private_cast, point_map)
    assert {p for p, yes in seen.items() if yes} == set(MEMBERS)  # no leak through the map


def test_a_public_map_of_a_public_dataset_is_for_everyone(private_cast, wells):
    dataset_services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="public")
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    assert all(visible_to(private_cast, point_map).values())


def test_a_private_map_of_a_public_dataset_stays_private(private_cast, wells):
    dataset_services.dataset_set_sharing(actor=private_cast.manager, dataset=wells, visibility="public")
    seen = visible_to(private_cast, make_map(private_cast, wells))
    assert {p for p, yes in seen.items() if yes} == set(MEMBERS)


def test_a_map_of_a_restricted_dataset_is_for_its_managers_only(private_cast, wells):
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    dataset_services.dataset_set_sharing(
        actor=private_cast.manager, dataset=wells, visibility="public", restricted=True
    )
    seen = visible_to(private_cast, point_map)
    assert {p for p, yes in seen.items() if yes} == {"manager"}


def test_a_shared_map_reaches_the_named_landscape_only_if_the_dataset_does(private_cast, wells):
    other_landscape = LandscapeFactory()
    partner = member(other_landscape, Role.VIEWER)
    point_map = make_map(private_cast, wells, visibility=Visibility.SHARED, landscapes=[other_landscape.slug])
    with pytest.raises(NotFound):  # the dataset itself is private to its landscape
        selectors.point_map_get(actor=partner, pk=point_map.pk)
    dataset_services.dataset_set_sharing(
        actor=private_cast.manager, dataset=wells, visibility="shared", landscapes=[other_landscape.slug]
    )
    assert selectors.point_map_get(actor=partner, pk=point_map.pk) == point_map
    assert selectors.point_map_data(actor=partner, point_map=point_map)["numberReturned"] == 4


def test_viewers_who_may_not_download_see_no_more_points_than_the_preview(private_cast, wells, settings):
    settings.DATASET_MAP_MAX_FEATURES = 2
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    dataset_services.dataset_set_sharing(
        actor=private_cast.manager, dataset=wells, visibility="public", download_access="members"
    )
    outsider = selectors.point_map_data(actor=private_cast.outsider, point_map=point_map)
    assert outsider["numberReturned"] == 2 and outsider["truncated"] is True
    assert selectors.point_map_data(actor=private_cast.viewer, point_map=point_map)["numberReturned"] == 4


# --- Colours (pure) --------------------------------------------------------------------------


def test_categories_beyond_the_palette_are_grouped_as_other():
    values = [f"v{i}" for i in range(12)] + ["v0", None]
    styled = styling.categories(values)
    kinds = [e.kind for e in styled.legend]
    assert kinds.count("value") == len(styling.CATEGORICAL) - 1
    assert kinds[-2:] == ["other", "missing"]
    assert styled.legend[0].label == "v0" and styled.legend[0].count == 2
    assert sum(e.count for e in styled.legend) == len(values)
    assert styled.classes[-1] == len(styled.legend) - 1


def test_graduated_colours_handle_a_constant_column():
    styled = styling.graduated([3, 3, 3])
    assert [(e.kind, e.count) for e in styled.legend] == [("range", 3)]
    assert styled.classes == [0, 0, 0]


def test_a_person_granted_a_restricted_dataset_sees_its_public_map(private_cast, wells):
    point_map = make_map(private_cast, wells, visibility=Visibility.PUBLIC)
    dataset_services.dataset_set_sharing(
        actor=private_cast.manager, dataset=wells, visibility="private", restricted=True
    )
    with pytest.raises(NotFound):
        selectors.point_map_get(actor=private_cast.outsider, pk=point_map.pk)
    dataset_services.dataset_grant(
        actor=private_cast.manager, dataset=wells, email=private_cast.outsider.email
    )
    assert selectors.point_map_get(actor=private_cast.outsider, pk=point_map.pk) == point_map
    listed = selectors.point_map_list(actor=private_cast.outsider, landscape=private_cast.landscape)
    assert list(listed) == [point_map]
