"""The map preview draws heavy layers simplified: above VERTEX_BUDGET vertices the geometries come back
with fewer vertices, but every feature is still there, in order, with its own attributes."""

from __future__ import annotations

import shapely
from django.test import Client

from landmosaic.datasets.exports import preview
from tests.datasets.builders import gpkg_bytes
from tests.datasets.conftest import created

VERTICES_EACH = 6_000


def rings(count: int) -> list:
    """Round fields of about VERTICES_EACH vertices each, side by side in longitude/latitude."""
    return [
        shapely.Point(36.0 + 0.05 * i, -8.0).buffer(0.02, quad_segs=VERTICES_EACH // 4) for i in range(count)
    ]


def ids(count: int) -> list[str]:
    return [f"F{i:03d}" for i in range(count)]


def vertices(collection: dict) -> int:
    return sum(
        int(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])))
        for f in collection["features"]
    )


def layer(tmp_path, count: int):
    path = tmp_path / "fields.gpkg"
    path.write_bytes(gpkg_bytes({"fields": (rings(count), {"field_id": ids(count)})}))
    return path


def test_a_layer_above_the_budget_is_simplified_keeping_every_feature(tmp_path):
    count = preview.VERTEX_BUDGET // VERTICES_EACH + 3  # 19 rings, about 114 000 vertices
    source = sum(int(shapely.get_num_coordinates(g)) for g in rings(count))
    assert source > preview.VERTEX_BUDGET
    collection = preview.features(layer(tmp_path, count), limit=1000)
    assert collection["simplified"] is True and collection["truncated"] is False
    assert collection["numberReturned"] == count
    assert [f["properties"]["field_id"] for f in collection["features"]] == [
        f"F{i:03d}" for i in range(count)
    ]
    assert vertices(collection) < source / 2
    for feature, ring in zip(collection["features"], rings(count), strict=True):
        shape = shapely.geometry.shape(feature["geometry"])
        # The tolerance is a thousandth of the layer's extent: each field keeps its shape to a few percent.
        assert shape.is_valid and abs(shape.area - ring.area) / ring.area < 0.05


def test_a_layer_within_the_budget_keeps_its_vertices(tmp_path):
    count = 3
    collection = preview.features(layer(tmp_path, count), limit=1000)
    assert collection["simplified"] is False
    assert vertices(collection) == sum(int(shapely.get_num_coordinates(g)) for g in rings(count))


def test_the_map_endpoint_serves_the_simplified_layer_with_all_features(private_cast, ingest):
    count = preview.VERTEX_BUDGET // VERTICES_EACH + 3
    data = gpkg_bytes({"fields": (rings(count), {"field_id": ids(count)})})
    dataset = created(ingest(private_cast.landscape, private_cast.editor, data, "fields.gpkg"))[0]
    client = Client()
    client.force_login(private_cast.viewer)
    body = client.get(f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/features.geojson").json()
    assert body["simplified"] is True and body["numberReturned"] == count == body["numberMatched"]
    assert [f["properties"]["field_id"] for f in body["features"]] == ids(count)
    assert vertices(body) < preview.VERTEX_BUDGET
