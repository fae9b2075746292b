"""OGC API - Features under /ogc/: documents, links, paging, filters, errors and who sees what."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
import shapely
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from landmosaic.accounts.services import token_create
from landmosaic.core.models import AuditEvent
from landmosaic.datasets import selectors, services, storage
from landmosaic.datasets.ogc import gpkg
from tests.datasets.builders import csv_bytes, gpkg_bytes, points_csv
from tests.datasets.conftest import created

OGC = "/ogc"
PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]
MEMBERS = ("viewer", "member", "editor", "manager")
N = 30


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def bearer(user) -> dict[str, str]:
    _token, secret = token_create(user=user, name="gis")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def rows(n: int = N) -> bytes:
    """n points on a diagonal, one a day in January 2023; every third one a well."""
    data = [["name", "latitude", "longitude", "date", "kind", "count"]]
    for i in range(n):
        data.append(
            [
                f"P{i}",
                f"{-8.0 - i * 0.01:.2f}",
                f"{36.0 + i * 0.01:.2f}",
                f"2023-01-{i + 1:02d}",
                "well" if i % 3 == 0 else "farm",
                i,
            ]
        )
    return csv_bytes(data)


def cid(dataset) -> str:
    return f"{dataset.landscape.slug}.{dataset.slug}"


def links(document, rel: str) -> list[dict]:
    return [x for x in document["links"] if x["rel"] == rel]


def href(document, rel: str, media_type: str | None = None) -> str:
    found = [x for x in links(document, rel) if media_type is None or x["type"] == media_type]
    assert len(found) == 1, (rel, media_type, document["links"])
    return found[0]["href"]


def local(url: str) -> str:
    """An absolute link as the test client takes it."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def make_layer(ingest):
    def make(cast, data: bytes = b"", filename: str = "points.csv", title: str = "", **sharing):
        [dataset] = created(ingest(cast.landscape, cast.editor, data or rows(), filename, title=title))
        if sharing:
            services.dataset_set_sharing(actor=cast.manager, dataset=dataset, **sharing)
        return selectors.dataset_get(actor=cast.manager, pk=dataset.pk)

    return make


@pytest.fixture
def public_layer(public_cast, make_layer):
    return make_layer(public_cast, visibility="public")


@pytest.fixture
def private_layer(private_cast, make_layer):
    return make_layer(private_cast, title="Secret springs")


def items(client: Client, dataset, query: str = "", **headers):
    response = client.get(f"{OGC}/collections/{cid(dataset)}/items{query}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


# --- Documents and links ---------------------------------------------------------------------


def test_landing_page_links_everything_gdal_and_qgis_follow(db):
    response = Client().get(f"{OGC}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert document["title"]
    assert href(document, "self", "application/json").endswith("/ogc/?f=json")
    assert href(document, "alternate", "text/html").endswith("/ogc/?f=html")
    assert href(document, "service-desc", "application/vnd.oai.openapi+json;version=3.0").startswith(
        "http://"
    )
    assert href(document, "service-doc", "text/html").endswith("/ogc/api?f=html")
    assert href(document, "conformance", "application/json").endswith("/ogc/conformance?f=json")
    assert href(document, "data", "application/json").endswith("/ogc/collections?f=json")
    for link in document["links"]:
        assert Client().get(local(link["href"])).status_code == 200, link


def test_conformance_declares_core_geojson_html_and_openapi(db):
    document = Client().get(f"{OGC}/conformance").json()
    assert set(document["conformsTo"]) == {
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    }


def test_openapi_document_describes_the_paths_and_each_collections_filters(public_layer, private_layer):
    response = Client().get(f"{OGC}/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = response.json()
    assert document["openapi"].startswith("3.0")
    for path in (
        "/",
        "/conformance",
        "/api",
        "/collections",
        "/collections/{collectionId}",
        "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}",
    ):
        assert path in document["paths"], path
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 10_000, 10)
    own = document["paths"][f"/collections/{cid(public_layer)}/items"]["get"]["parameters"]
    names = {p.get("name") for p in own}
    assert {"name", "kind", "count", "date"} <= names
    # Someone else's private layer is not even named.
    assert f"/collections/{cid(private_layer)}/items" not in document["paths"]
    assert cid(private_layer) not in response.content.decode()


def test_collections_list_public_vector_datasets_with_extent_and_links(public_layer, private_layer, ingest):
    # A table is no collection.
    created(
        ingest(public_layer.landscape, public_layer.created_by, csv_bytes([["crop"], ["maize"]]), "crops.csv")
    )
    document = Client().get(f"{OGC}/collections").json()
    assert href(document, "self", "application/json").endswith("/ogc/collections?f=json")
    assert [c["id"] for c in document["collections"]] == [cid(public_layer)]
    [entry] = document["collections"]
    assert entry["title"] == public_layer.title and entry["itemType"] == "feature"
    assert entry["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
    assert entry["extent"]["spatial"]["bbox"] == [[36.0, -8.29, 36.29, -8.0]]
    assert entry["extent"]["spatial"]["crs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert entry["extent"]["temporal"]["interval"] == [["2023-01-01T00:00:00Z", "2023-01-30T23:59:59Z"]]
    assert href(entry, "items", "application/geo+json").endswith(
        f"/collections/{cid(public_layer)}/items?f=json"
    )
    assert href(entry, "items", "text/html").endswith("items?f=html")
    assert Client().get(local(href(entry, "self"))).json()["id"] == cid(public_layer)


def test_a_collection_id_is_stable_across_versions(public_cast, public_layer, add_version):
    job = add_version(public_layer, public_cast.editor, rows(5), "points.csv")
    assert job.status == "succeeded", job.error
    document = items(Client(), public_layer)
    assert document["numberMatched"] == 5  # the latest version is served under the same id


# --- Items -----------------------------------------------------------------------------------


def test_items_page_with_limit_offset_and_next_prev_links(public_layer):
    client = Client()
    first = items(client, public_layer)
    assert (first["numberMatched"], first["numberReturned"]) == (N, 10)
    assert first["timeStamp"].endswith("Z")
    assert [f["id"] for f in first["features"]] == list(range(1, 11))
    feature = first["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.0, -8.0]}
    assert feature["properties"]["name"] == "P0" and feature["properties"]["count"] == 0
    assert feature["properties"]["date"] == "2023-01-01"
    assert not links(first, "prev")
    seen, page, pages = [], first, 0
    while True:
        seen += [f["id"] for f in page["features"]]
        pages += 1
        if not links(page, "next"):
            break
        assert links(page, "next")[0]["type"] == "application/geo+json"
        page = items(client, public_layer, "?" + urlsplit(href(page, "next")).query)
        assert links(page, "prev")
    assert pages == 3 and seen == list(range(1, N + 1))
    second = items(client, public_layer, "?limit=7&offset=7")
    assert [f["id"] for f in second["features"]] == list(range(8, 15))
    assert parse_qs(urlsplit(href(second, "prev")).query)["limit"] == ["7"]
    assert "offset" not in parse_qs(urlsplit(href(second, "prev")).query)


def test_bbox_selects_through_the_spatial_index_and_is_kept_in_the_links(public_layer):
    # P5..P9 lie in 36.05..36.09 / -8.09..-8.05.
    page = items(Client(), public_layer, "?bbox=36.045,-8.095,36.095,-8.045&limit=3")
    assert page["numberMatched"] == 5 and page["numberReturned"] == 3
    box = shapely.box(36.045, -8.095, 36.095, -8.045)
    assert all(box.contains(shapely.geometry.shape(f["geometry"])) for f in page["features"])
    following = items(Client(), public_layer, "?" + urlsplit(href(page, "next")).query)
    assert parse_qs(urlsplit(href(page, "next")).query)["bbox"] == ["36.045,-8.095,36.095,-8.045"]
    ids = {f["id"] for f in page["features"]} | {f["id"] for f in following["features"]}
    assert ids == {6, 7, 8, 9, 10} and not links(following, "next")


@pytest.mark.parametrize(
    "bbox,matched",
    [("-180,-90,180,90", N), ("0,0,1,1", 0), ("36.285,-8.3,36.3,-8.285", 1), ("170,-90,36.005,90", 1)],
)
def test_bbox_that_holds_all_none_or_crosses_the_antimeridian(public_layer, bbox, matched):
    page = items(Client(), public_layer, f"?bbox={bbox}")
    assert page["numberMatched"] == matched == (page["numberReturned"] if matched < 10 else N)


def test_items_of_a_projected_layer_come_back_in_longitude_latitude(public_cast, make_layer):
    # Two points in UTM zone 37S (EPSG:32737) near 36.1 E, 8.1 S.
    points = [shapely.Point(181_000, 9_103_700), shapely.Point(192_000, 9_103_700)]
    data = gpkg_bytes({"sites": (points, {"label": ["west", "east"]})}, crs="EPSG:32737")
    dataset = make_layer(public_cast, data, "sites.gpkg", visibility="public")
    page = items(Client(), dataset)
    lon, lat = page["features"][0]["geometry"]["coordinates"]
    assert 35.9 < lon < 36.2 and -8.2 < lat < -8.0
    west_only = items(Client(), dataset, f"?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}")
    assert [f["properties"]["label"] for f in west_only["features"]] == ["west"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2023-01-05", [5]),
        ("2023-01-05T10:30:00Z", [5]),
        ("2023-01-05T", [5]),  # as GDAL writes a date
        ("2023-01-28/2023-01-30", [28, 29, 30]),
        ("../2023-01-02", [1, 2]),
        ("2023-01-29/..", [29, 30]),
        ("/2023-01-01", [1]),
        ("2023-01-03T00:00:00Z/2023-01-04T12:00:00%2B02:00", [3, 4]),
        ("2023-01-03T00:00:00Z/2023-01-04T12:00:00+02:00", [3, 4]),  # "+" not encoded: read as meant
        ("2024-01-01/..", []),
    ],
)
def test_datetime_filters_on_the_first_date_field(public_layer, value, expected):
    page = items(Client(), public_layer, f"?datetime={value}&limit=100")
    assert [f["id"] for f in page["features"]] == expected
    assert page["numberMatched"] == len(expected)


def test_property_filters_are_exact_typed_and_combine(public_layer):
    client = Client()
    wells = items(client, public_layer, "?kind=well&limit=100")
    assert wells["numberMatched"] == 10 and {f["properties"]["kind"] for f in wells["features"]} == {"well"}
    assert [f["id"] for f in items(client, public_layer, "?count=12")["features"]] == [13]
    assert items(client, public_layer, "?name=P1")["numberMatched"] == 1  # exact, not "starts with"
    both = items(client, public_layer, "?kind=well&bbox=36.0,-8.1,36.1,-8.0&datetime=2023-01-01/2023-01-07")
    assert [f["id"] for f in both["features"]] == [1, 4, 7]
    assert parse_qs(urlsplit(href(both, "self")).query)["kind"] == ["well"]
    # Values are bound: text that looks like SQL is just a value that matches nothing.
    assert items(client, public_layer, "?name=P1'%20OR%20'1'='1")["numberMatched"] == 0
    assert items(client, public_layer, '?name=P1"%20OR%201=1%20--')["numberMatched"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "?bbox=1,2,3",
        "?bbox=a,b,c,d",
        "?bbox=0,95,1,96",
        "?bbox=0,10,1,5",
        "?bbox=nan,0,1,1",
        "?limit=0",
        "?limit=10001",
        "?limit=ten",
        "?offset=-1",
        "?datetime=yesterday",
        "?datetime=2023-02-01/2023-01-01",
        "?datetime=../..",
        "?colour=red",
        "?count=many",
        "?count=1.5",
        "?date=2023-13-01",
        "?limit=5&limit=6",
        "?f=xml",
        "?crs=http://www.opengis.net/def/crs/EPSG/0/32737",
    ],
)
def test_bad_parameters_answer_400_with_an_ogc_exception(public_layer, query):
    response = Client().get(f"{OGC}/collections/{cid(public_layer)}/items{query}")
    assert response.status_code == 400, query
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["description"]


def test_datetime_on_a_collection_without_dates_is_refused(public_cast, make_layer):
    data = csv_bytes([["name", "latitude", "longitude"], ["A", "-8.1", "36.1"]])
    dataset = make_layer(public_cast, data, "plain.csv", visibility="public")
    response = Client().get(f"{OGC}/collections/{cid(dataset)}/items?datetime=2023-01-01")
    assert response.status_code == 400 and "date" in response.json()["description"]
    assert "temporal" not in Client().get(f"{OGC}/collections/{cid(dataset)}").json()["extent"]


def test_one_feature_by_its_id(public_layer):
    response = Client().get(f"{OGC}/collections/{cid(public_layer)}/items/13")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == 13
    assert feature["properties"]["name"] == "P12"
    assert href(feature, "self", "application/geo+json").endswith("/items/13?f=json")
    assert href(feature, "collection", "application/json").endswith(
        f"/collections/{cid(public_layer)}?f=json"
    )
    for missing in ("31", "0", "abc", "-1", "99999999999999999999"):
        response = Client().get(f"{OGC}/collections/{cid(public_layer)}/items/{missing}")
        assert response.status_code == 404 and response.json()["code"] == "NotFound", missing


# --- Who sees what ---------------------------------------------------------------------------


def paths(dataset) -> list[str]:
    base = f"{OGC}/collections/{cid(dataset)}"
    return [base, f"{base}/items", f"{base}/items/1", f"{base}/items?f=html"]


@pytest.mark.parametrize("person", PEOPLE)
def test_private_collections_are_404_and_unlisted_for_non_members(private_cast, private_layer, person):
    client = client_for(private_cast[person])
    listed = [c["id"] for c in client.get(f"{OGC}/collections").json()["collections"]]
    for url in paths(private_layer):
        response = client.get(url)
        if person in MEMBERS:
            assert response.status_code == 200, (url, response.content)
        else:
            assert response.status_code == 404, url  # never 403: that would say it exists
            assert private_layer.title.encode() not in response.content
    assert (cid(private_layer) in listed) == (person in MEMBERS)


@pytest.mark.parametrize("person,visible", [("viewer", False), ("editor", False), ("manager", True)])
def test_restricted_collections_only_for_managers(private_cast, make_layer, person, visible):
    dataset = make_layer(private_cast, visibility="public", restricted=True)
    for client in (client_for(private_cast[person]), Client(**bearer(private_cast[person]))):
        assert client.get(f"{OGC}/collections/{cid(dataset)}/items").status_code == (200 if visible else 404)
        listed = [c["id"] for c in client.get(f"{OGC}/collections").json()["collections"]]
        assert (cid(dataset) in listed) is visible
    assert Client().get(f"{OGC}/collections/{cid(dataset)}").status_code == 404


def test_a_bearer_token_opens_the_callers_private_collections(private_cast, private_layer):
    client = Client(**bearer(private_cast.viewer))
    assert cid(private_layer) in [c["id"] for c in client.get(f"{OGC}/collections").json()["collections"]]
    assert items(client, private_layer)["numberMatched"] == N
    outsider = Client(**bearer(private_cast.outsider))
    assert outsider.get(f"{OGC}/collections/{cid(private_layer)}/items").status_code == 404


def test_a_wrong_token_is_refused_not_read_as_anonymous(public_layer):
    response = Client().get(f"{OGC}/collections", HTTP_AUTHORIZATION="Bearer lm_not-a-real-token")
    assert response.status_code == 401 and response.json()["code"] == "InvalidToken"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_or_malformed_collection_ids_are_404(public_layer):
    for name in ("nope", "nope.nope", f"{public_layer.landscape.slug}.", ".x", "a.b.c", "%2e%2e"):
        response = Client().get(f"{OGC}/collections/{name}/items")
        assert response.status_code == 404, name


def test_ogc_reads_write_nothing_to_the_audit_log(private_cast, private_layer):
    before = AuditEvent.objects.count()
    client = client_for(private_cast.viewer)
    for url in [f"{OGC}/collections", *paths(private_layer)]:
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == before


# --- HTML ------------------------------------------------------------------------------------


def test_items_as_html_with_a_map_of_the_page_and_a_table(public_layer):
    response = Client().get(f"{OGC}/collections/{cid(public_layer)}/items?kind=well&limit=3&f=html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "data-lm-map" in html and "data-geojson-url=" in html
    assert "kind=well&amp;limit=3&amp;f=json" in html  # the map draws exactly this page
    assert ">P3<" in html and ">P1<" not in html
    assert 'rel="next"' in html
    assert f'href="/ogc/collections/{cid(public_layer)}/items/4?f=html"' in html


def test_browsers_get_html_and_gis_clients_json_by_accept_header(public_layer):
    url = f"{OGC}/collections/{cid(public_layer)}"
    browser = Client().get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser["Content-Type"].startswith("text/html") and public_layer.title in browser.content.decode()
    assert Client().get(url, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
    assert Client().get(url, HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
    assert Client().get(f"{url}?f=json", HTTP_ACCEPT="text/html")["Content-Type"] == "application/json"
    for page in ("/", "/conformance", "/api", "/collections", f"/collections/{cid(public_layer)}/items/1"):
        response = Client().get(f"{OGC}{page}?f=html")
        assert response.status_code == 200 and b"<html" in response.content, page


def test_errors_as_html_for_browsers(public_layer):
    response = Client().get(f"{OGC}/collections/{cid(public_layer)}/items?limit=0", HTTP_ACCEPT="text/html")
    assert response.status_code == 400 and b"limit" in response.content and b"<html" in response.content
    assert Client().get(f"{OGC}/collections/nope.nope?f=html").status_code == 404


def test_the_dataset_page_data_and_the_ogc_items_agree(public_layer):
    """The OGC features are the dataset's own: same count as ingest found, same first row."""
    page = items(Client(), public_layer, "?limit=1")
    assert page["numberMatched"] == public_layer.current_version.row_count
    assert page["features"][0]["properties"]["name"] == "P0"


def test_points_csv_fixture_has_a_date_field(public_cast, make_layer):
    dataset = make_layer(public_cast, points_csv(), "wells.csv", visibility="public")
    assert items(Client(), dataset, "?datetime=2023-02-10")["features"][0]["properties"]["name"] == "Well B"


# --- Reading the GeoPackage ------------------------------------------------------------------


def same(feature) -> dict:
    """A feature with its date-times as instants (GDAL writes a page's in one precision, "…00.000")."""
    data = feature.as_dict()
    at = data["properties"]["at"]
    data["properties"]["at"] = at and datetime.fromisoformat(at)
    return data


def test_features_read_with_sqlite_are_the_ones_gdal_reads(public_cast, make_layer):
    """Pages are decoded from the GeoPackage's rows; GDAL must read exactly the same features."""
    squares = [shapely.box(181_000 + i * 500, 9_103_000, 181_400 + i * 500, 9_103_400) for i in range(4)]
    fields = {
        "label": ["a", "b", "c", "d"],
        "n": np.array([1, 2, 3, 4], dtype=np.int64),
        "share": [0.5, np.nan, 1.25, -2.0],
        "ok": np.array([True, False, True, False]),
        "day": np.array(["2023-01-05", "2023-02-01", "2023-03-01", "2024-12-31"], dtype="datetime64[D]"),
        "at": np.array(
            ["2023-01-05T10:00:00", "2023-01-05T10:00:00.250", "NaT", "2023-06-01T00:00:00"],
            dtype="datetime64[ms]",
        ),
    }
    data = gpkg_bytes({"fields": (squares, fields)}, crs="EPSG:32737")
    dataset = make_layer(public_cast, data, "fields.gpkg", visibility="public")
    version = dataset.current_version
    kinds = {f["name"]: f["type"] for f in version.fields}
    assert kinds == {
        "label": "string",
        "n": "integer",
        "share": "number",
        "ok": "boolean",
        "day": "date",
        "at": "datetime",
    }
    with storage.local_copy(version.normalised_path) as path, gpkg.connect(path) as conn:
        layer = gpkg.describe(conn)
        rows, matched = gpkg.select(conn, layer, boxes=None, limit=100)
        direct = gpkg.features(rows, layer, kinds=kinds, crs=version.crs)
        through_gdal = gpkg.read(path, layer, [r[0] for r in rows], crs=version.crs)
    assert matched == 4 and [same(f) for f in direct] == [same(f) for f in through_gdal]
    first = direct[0].as_dict()
    assert first["properties"] == {
        "label": "a",
        "n": 1,
        "share": 0.5,
        "ok": True,
        "day": "2023-01-05",
        "at": "2023-01-05T10:00:00",
    }
    assert direct[1].properties["share"] is None and direct[2].properties["at"] is None
    assert first["geometry"]["type"] == "Polygon"
    lon, lat = first["geometry"]["coordinates"][0][0]
    assert 35.9 < lon < 36.2 and -8.2 < lat < -8.0


def test_geometry_blobs_gdal_must_read(monkeypatch, public_layer):
    point = shapely.to_wkb(shapely.Point(1, 2))
    header = b"GP\x00\x01\xe6\x10\x00\x00"
    assert gpkg.wkb(header + point) == point
    assert gpkg.wkb(b"GP\x00\x03\xe6\x10\x00\x00" + bytes(32) + point) == point  # with an xy envelope
    assert gpkg.wkb(None) is None
    for blob in (point, b"GP\x00\x21\xe6\x10\x00\x00" + point, b"GP\x00\x0f\xe6\x10\x00\x00" + point):
        with pytest.raises(gpkg.NeedsGdal):
            gpkg.wkb(blob)
    # A page with such a geometry is read with GDAL instead, with the same result.
    expected = items(Client(), public_layer, "?limit=5")["features"]

    def refuse(*args, **kwargs):
        raise gpkg.NeedsGdal("extended GeoPackage geometry")

    monkeypatch.setattr(gpkg, "features", refuse)
    assert items(Client(), public_layer, "?limit=5")["features"] == expected


def test_collections_cost_a_constant_number_of_queries(
    public_cast, make_layer, django_assert_max_num_queries
):
    make_layer(public_cast, visibility="public")
    client = client_for(public_cast.viewer)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{OGC}/collections").status_code == 200
    for _ in range(3):
        make_layer(public_cast)  # private: its members see it
    with django_assert_max_num_queries(len(one)):
        document = client.get(f"{OGC}/collections").json()
    assert len(document["collections"]) == 4


def test_features_of_a_members_only_download_dataset_are_not_readable_by_outsiders(public_cast, make_layer):
    """Reading features page by page is a download: "members may download" covers /ogc/ too."""
    dataset = make_layer(public_cast, visibility="public", download_access="members")
    base = f"{OGC}/collections/{cid(dataset)}"
    assert Client().get(base).status_code == 200  # its description stays visible
    response = Client().get(f"{base}/items")
    assert response.status_code == 403
    assert response.json()["code"] == "Forbidden"
    member = Client()
    member.force_login(public_cast.viewer)
    assert member.get(f"{base}/items").status_code == 200
