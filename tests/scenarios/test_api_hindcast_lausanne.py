"""A hindcast on the real Lausanne 250 m pair, all through the API: uploads, set, hindcast, figures.

Lausanne has two dates only (2006, 2012), so no real map is left to check a projection against: the
"2018" map here is *constructed* from the 2012 one (documented below). The test is of the platform, end
to end on a real grid, CRS and 21-class legend, and of the figures' consistency, not of the model's skill.
"""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.scenarios.conftest import LAUSANNE, client_for

pytestmark = pytest.mark.skipif(not LAUSANNE.exists(), reason=f"real Lausanne maps not found at {LAUSANNE}")

API = "/api/v1"
NODATA = 255


def constructed_2018() -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """The 2012 map where a seeded half of the cells of the commonest 2006-2012 change's source class
    (12 -> 7) next to that change's target class turns into it: the trend goes on. Written on the 2012
    map's very grid, so the three maps line up cell for cell."""
    with rasterio.open(LAUSANNE / "ls250_06.tif") as source:
        first = source.read(1)
    with rasterio.open(LAUSANNE / "ls250_12.tif") as source:
        second, profile = source.read(1), source.profile
    near_target = np.zeros(second.shape, dtype=bool)
    target = second == 7
    near_target[1:] |= target[:-1]
    near_target[:-1] |= target[1:]
    near_target[:, 1:] |= target[:, :-1]
    near_target[:, :-1] |= target[:, 1:]
    chosen = (second == 12) & near_target & (np.random.default_rng(2018).random(second.shape) < 0.5)
    later = second.copy()
    later[chosen] = 7
    with rasterio.MemoryFile() as memory:
        with memory.open(**profile) as dst:
            dst.write(later, 1)
        return memory.read(), first, second, later


def upload(client, slug: str, data: bytes, filename: str, capture) -> int:
    with capture(execute=True):
        response = client.post(
            f"{API}/landscapes/{slug}/datasets",
            {"file": SimpleUploadedFile(filename, data), "title": filename},
        )
    assert response.status_code == 202, response.content
    job = client.get(response.json()["job"]["url"]).json()
    assert job["status"] == "succeeded", job
    return job["result"]["links"][0]["id"]


def test_a_lausanne_hindcast_through_the_api_gives_consistent_figures(
    private_cast, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    editor, slug = client_for(private_cast.editor), private_cast.landscape.slug
    later_bytes, first, second, later = constructed_2018()
    ids = [
        upload(editor, slug, (LAUSANNE / "ls250_06.tif").read_bytes(), "ls250_06.tif", capture),
        upload(editor, slug, (LAUSANNE / "ls250_12.tif").read_bytes(), "ls250_12.tif", capture),
        upload(editor, slug, later_bytes, "ls250_18_constructed.tif", capture),
    ]
    response = editor.post(
        f"{API}/landscapes/{slug}/scenario-sets",
        {"title": "Lausanne 250 m", "first_dataset_id": ids[0], "first_year": 2006,
         "second_dataset_id": ids[1], "second_year": 2012},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    set_id = response.json()["id"]
    assert response.json()["warnings"] == []  # one grid: nothing resampled

    with capture(execute=True):
        response = editor.post(
            f"{API}/scenario-sets/{set_id}/hindcasts",
            {"later_dataset_id": ids[2], "later_year": 2018},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    body = client_for(private_cast.viewer).get(response.json()["hindcast"]["url"]).json()
    assert body["status"] == "succeeded", body["error"]
    assert body["calibration_years"] == [2006, 2012] and body["later_map"]["year"] == 2018

    valid = (first != NODATA) & (second != NODATA) & (later != NODATA)
    observed_change = int(np.count_nonzero((later != second) & valid))
    assert observed_change > 0
    model, null = body["model"], body["null_model"]
    # Every observed change is a hit, a miss or a wrong hit, for either model.
    for figures in (model, null):
        assert figures["hits"] + figures["misses"] + figures["wrong_hits"] == observed_change
        counted = figures["hits"] + figures["misses"] + figures["wrong_hits"] + figures["false_alarms"]
        assert figures["figure_of_merit"] == pytest.approx(figures["hits"] / counted, abs=1e-6)
        assert 0 <= figures["figure_of_merit"] <= 1
        assert 0 <= figures["quantity_disagreement"] + figures["allocation_disagreement"] <= 1
    # The no-change model changes nothing: no hits, no false alarms, a Figure of Merit of 0.
    assert (null["hits"], null["wrong_hits"], null["false_alarms"], null["figure_of_merit"]) == (0, 0, 0, 0.0)
    assert null["misses"] == observed_change
    # Its disagreement is all the observed change, as a share of the valid cells.
    total = null["quantity_disagreement"] + null["allocation_disagreement"]
    assert total == pytest.approx(observed_change / int(valid.sum()), abs=1e-5)
