"""Catalogue metadata: the DCAT feed of public datasets and schema.org JSON-LD in public pages."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from landmosaic.datasets import services
from landmosaic.datasets.catalogue import jsonld_text
from tests.datasets.builders import csv_bytes, points_csv
from tests.datasets.conftest import created

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make(ingest):
    def make(cast, title: str, data: bytes = b"", filename: str = "wells.csv", **sharing):
        [dataset] = created(
            ingest(
                cast.landscape,
                cast.editor,
                data or points_csv(),
                filename,
                title=title,
                keywords=["water", "wells"],
                themes=["2.1"],
                license="ODbL-1.0",
            )
        )
        if sharing:
            services.dataset_set_sharing(actor=cast.manager, dataset=dataset, **sharing)
        dataset.refresh_from_db()
        return dataset

    return make


def catalog(query: str = "") -> dict:
    response = Client().get(f"/catalog.jsonld{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def titles(document: dict) -> list[str]:
    return [d["dct:title"] for d in document["dcat:dataset"]]


def test_the_dcat_feed_lists_public_datasets_only(private_cast, public_cast, make):
    make(public_cast, "Public wells", visibility="public")
    make(private_cast, "Private wells")
    make(public_cast, "Restricted wells", visibility="public", restricted=True)
    make(private_cast, "Partner wells", visibility="shared", landscapes=[public_cast.landscape.slug])
    document = catalog()
    assert (
        "dcat:Catalog" in document["@type"] and document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    )
    assert titles(document) == ["Public wells"] and document["hydra:totalItems"] == 1
    text = json.dumps(document)
    for hidden in ("Private wells", "Restricted wells", "Partner wells"):
        assert hidden not in text


def test_a_dcat_dataset_carries_the_standard_metadata(public_cast, make):
    dataset = make(public_cast, "Public wells", visibility="public")
    [entry] = catalog()["dcat:dataset"]
    page = f"http://testserver{dataset.get_absolute_url()}"
    assert entry["@type"] == "dcat:Dataset" and entry["@id"] == page
    assert entry["dcat:landingPage"] == {"@id": page}
    assert entry["dcat:keyword"] == ["water", "wells"]
    assert entry["dcat:theme"][0]["skos:notation"] == "2.1" and entry["dcat:theme"][0]["skos:prefLabel"]
    assert entry["dct:license"]["@id"] == "https://spdx.org/licenses/ODbL-1.0"
    assert entry["dct:publisher"]["foaf:name"] == public_cast.landscape.name
    assert entry["dct:spatial"]["dcat:bbox"]["@type"] == "gsp:wktLiteral"
    assert (
        entry["dct:spatial"]["dcat:bbox"]["@value"]
        == "POLYGON((36.05 -8.2, 36.2 -8.2, 36.2 -8.1, 36.05 -8.1, 36.05 -8.2))"
    )
    assert entry["dct:temporal"]["dcat:startDate"]["@value"] == "2023-01-05"
    assert entry["dct:temporal"]["dcat:endDate"]["@value"] == "2023-03-01"
    assert entry["dct:issued"]["@type"] == "xsd:dateTime" and entry["dct:modified"]["@value"]
    formats = {d.get("dct:format"): d for d in entry["dcat:distribution"]}
    assert {"original", "gpkg", "geojson", "csv", "shp", "kml"} <= set(formats)
    geojson = formats["geojson"]
    assert (
        geojson["dcat:mediaType"]["@id"]
        == "https://www.iana.org/assignments/media-types/application/geo+json"
    )
    assert geojson["dcat:downloadURL"]["@id"].endswith("/versions/1/download/geojson/")
    assert geojson["dcat:accessURL"] == {"@id": page}
    # Anyone may actually fetch what is listed.
    assert (
        Client().get(geojson["dcat:downloadURL"]["@id"].removeprefix("http://testserver")).status_code == 200
    )
    ogc = formats[None]
    assert ogc["dct:conformsTo"]["@id"].startswith("http://www.opengis.net/spec/ogcapi-features-1/")
    assert Client().get(ogc["dcat:accessURL"]["@id"].removeprefix("http://testserver")).status_code == 200


def test_downloads_for_members_only_are_not_listed(public_cast, make):
    make(public_cast, "Public wells", visibility="public", download_access="members")
    [entry] = catalog()["dcat:dataset"]
    assert [d.get("dct:format") for d in entry["dcat:distribution"]] == [None]  # the OGC API only


def test_the_feed_is_paginated_with_hydra_links(public_cast, make, ingest):
    for i in range(3):
        make(
            public_cast, f"Table {i}", csv_bytes([["crop"], [f"maize {i}"]]), f"t{i}.csv", visibility="public"
        )
    first = catalog("?limit=2")
    assert len(first["dcat:dataset"]) == 2 and first["hydra:totalItems"] == 3
    view = first["hydra:view"]
    assert view["hydra:next"].endswith("/catalog.jsonld?page=2&limit=2") and "hydra:previous" not in view
    second = catalog("?page=2&limit=2")
    assert len(second["dcat:dataset"]) == 1 and "hydra:next" not in second["hydra:view"]
    assert set(titles(first)) | set(titles(second)) == {"Table 0", "Table 1", "Table 2"}
    for bad in ("?page=0", "?page=x", "?limit=501", "?limit=0", "?sort=title"):
        assert Client().get(f"/catalog.jsonld{bad}").status_code == 400, bad


def test_schema_org_json_ld_in_public_pages_only(private_cast, public_cast, make):
    public = make(public_cast, "Public wells", visibility="public")
    private = make(private_cast, "Private wells")
    html = Client().get(public.get_absolute_url()).content.decode()
    [script] = SCRIPT.findall(html)
    data = json.loads(script)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "Dataset"
    assert data["name"] == "Public wells" and data["url"] == f"http://testserver{public.get_absolute_url()}"
    assert data["license"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert data["temporalCoverage"] == "2023-01-05/2023-03-01"
    assert data["spatialCoverage"]["geo"]["box"] == "-8.2 36.05 -8.1 36.2"  # south west north east
    assert data["creator"]["name"] == public_cast.landscape.name
    assert {"application/geo+json", "text/csv"} <= {d["encodingFormat"] for d in data["distribution"]}
    assert data["includedInDataCatalog"]["url"] == "http://testserver/catalog.jsonld"
    # Members see the private page, but it carries no JSON-LD; nor does a restricted public one.
    page = signed_in(private_cast.viewer).get(private.get_absolute_url())
    assert page.status_code == 200 and "application/ld+json" not in page.content.decode()
    restricted = make(public_cast, "Sensitive sites", visibility="public", restricted=True)
    page = signed_in(public_cast.manager).get(restricted.get_absolute_url())
    assert page.status_code == 200 and "application/ld+json" not in page.content.decode()


def test_json_ld_cannot_close_its_script_element(public_cast, make):
    title = "Wells </script><script>alert(1)</script> & <!-- more"
    dataset = make(public_cast, title, visibility="public")
    html = Client().get(dataset.get_absolute_url()).content.decode()
    [script] = SCRIPT.findall(html)
    assert "<" not in script and ">" not in script and "&" not in script
    assert "\\u003C/script\\u003E" in script
    assert json.loads(script)["name"] == title
    assert "<script>alert(1)</script>" not in html
    assert jsonld_text({"a": "<>&"}) == '{"a": "\\u003C\\u003E\\u0026"}'


def test_the_feed_costs_a_constant_number_of_queries(public_cast, make, django_assert_max_num_queries):
    make(public_cast, "Public wells", visibility="public")
    with CaptureQueriesContext(connection) as one:
        catalog()
    for i in range(3):
        make(public_cast, f"More wells {i}", visibility="public")
    with django_assert_max_num_queries(len(one)):
        assert len(catalog()["dcat:dataset"]) == 4
