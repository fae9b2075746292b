"""Searching a landscape's data by keyword, in the API (?search=) and on the data page (?q=): a word
found only among a dataset's keywords finds it, whatever its case or accents; others stay out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from landmosaic.datasets import services
from tests.datasets.builders import csv_bytes
from tests.datasets.conftest import created

API = "/api/v1"


@pytest.fixture
def catalogue(private_cast, ingest):
    """Three tables whose titles and descriptions never name what their keywords say."""

    def table(title: str, keywords: list[str]):
        data = csv_bytes([["n"], [1]])
        job = ingest(
            private_cast.landscape, private_cast.editor, data, "t.csv", title=title, keywords=keywords
        )
        return created(job)[0]

    return {
        "a": table("Table A", ["groundwater", "boreholes"]),
        "b": table("Table B", ["Água potável", "saúde"]),
        "c": table("Table C", ["land cover"]),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "word,titles",
    [
        ("groundwater", {"Table A"}),
        ("BOREHOLE", {"Table A"}),
        ("land cover", {"Table C"}),
        ("potável", {"Table B"}),
        ("Água", {"Table B"}),
        ("saúde", {"Table B"}),
        ("rainfall", set()),
    ],
)
def test_api_search_finds_datasets_by_keyword(private_cast, catalogue, word, titles):
    response = client_for(private_cast.viewer).get(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets", {"search": word}
    )
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["items"]} == titles


@pytest.mark.parametrize("word,titles", [("boreholes", ["Table A"]), ("potável", ["Table B"]), ("none", [])])
def test_data_page_search_finds_datasets_by_keyword(private_cast, catalogue, word, titles):
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{private_cast.landscape.slug}/data/", {"q": word})
        .content.decode()
    )
    for title in ("Table A", "Table B", "Table C"):
        assert (title in html) == (title in titles), title
    if not titles:
        assert "No dataset matches" in html


def test_search_shows_no_dataset_the_caller_may_not_see(public_cast, ingest):
    data = csv_bytes([["n"], [1]])
    hidden = created(
        ingest(
            public_cast.landscape, public_cast.editor, data, "h.csv", title="Hidden", keywords=["groundwater"]
        )
    )[0]
    shown = created(
        ingest(
            public_cast.landscape, public_cast.editor, data, "s.csv", title="Shown", keywords=["groundwater"]
        )
    )[0]
    services.dataset_set_sharing(actor=public_cast.manager, dataset=shown, visibility="public")
    assert hidden.visibility == "private"
    url = f"{API}/landscapes/{public_cast.landscape.slug}/datasets"
    assert [i["title"] for i in Client().get(url, {"search": "groundwater"}).json()["items"]] == ["Shown"]
    member = client_for(public_cast.viewer).get(url, {"search": "groundwater"}).json()["items"]
    assert {i["title"] for i in member} == {"Hidden", "Shown"}


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's LIKE folds the case of ASCII letters only: “água” does not find “Água” there",
)
def test_search_folds_the_case_of_accented_letters(private_cast, catalogue):
    response = client_for(private_cast.viewer).get(
        f"{API}/landscapes/{private_cast.landscape.slug}/datasets", {"search": "água"}
    )
    assert [item["title"] for item in response.json()["items"]] == ["Table B"]
