"""Date-times keep what their source knew: a moment with a time zone reaches the GeoPackage and /ogc/
in UTC, written with "Z" (GeoPackage DATETIME); a local time without a zone stays without one."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from django.test import Client

from landmosaic.datasets import selectors, services, storage
from landmosaic.datasets.ingest import ingest_rows
from landmosaic.datasets.ingest.rows import columns_from_rows
from landmosaic.datasets.ogc import gpkg
from tests.datasets.conftest import created

COLUMNS = [
    {"name": "name", "type": "string"},
    {"name": "lon", "type": "number"},
    {"name": "lat", "type": "number"},
    {"name": "_start", "type": "datetime"},  # known moments (East Africa Time, as Collect sends them)
    {"name": "read_at", "type": "datetime"},  # a logger's clock, zone unknown
]
ROWS = [
    {
        "name": "Baobab",
        "lon": 36.12,
        "lat": -8.11,
        "_start": "2024-05-01T09:00:00.000+03:00",
        "read_at": "2024-05-01 10:00",
    },
    {
        "name": "Mninga",
        "lon": 36.13,
        "lat": -8.12,
        "_start": "2024-05-02T23:30:15.250+03:00",
        "read_at": "2024-05-02T11:00:00",
    },
    {"name": "Mvule", "lon": 36.14, "lat": -8.13, "_start": None, "read_at": None},
]
FIRST_UTC = dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.UTC)
SECOND_UTC = dt.datetime(2024, 5, 2, 20, 30, 15, 250_000, tzinfo=dt.UTC)


def stored(path, column: str) -> list[str | None]:
    """The raw text GDAL wrote in the GeoPackage (what QGIS and GDAL read back)."""
    with sqlite3.connect(path) as conn:
        table = conn.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[
            0
        ]
        return [r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}" ORDER BY fid')]  # noqa: S608


# --- Typed columns (no Django) -----------------------------------------------------------------


def test_a_column_whose_every_value_has_a_zone_is_marked_utc_and_naive_ones_are_not():
    columns, warnings = columns_from_rows(COLUMNS, ROWS, name="trees")
    assert warnings == [] and columns.utc == frozenset({"_start"})
    assert str(columns.column("_start")[0]) == "2024-05-01T06:00:00.000"  # held in UTC
    assert str(columns.column("read_at")[0]) == "2024-05-01T10:00:00.000"  # as given


def test_a_column_mixing_zoned_and_naive_values_stays_naive_with_a_warning():
    mixed = [{"at": "2024-05-01T09:00:00+03:00"}, {"at": None}, {"at": "2024-05-01 10:00"}]
    columns, warnings = columns_from_rows([{"name": "at", "type": "datetime"}], mixed, name="log")
    assert columns.utc == frozenset() and columns.types == ["datetime"]
    assert [(w.code, w.params["column"], w.params["row"]) for w in warnings] == [
        ("rows_datetime_zones_mixed", "at", 4)
    ]
    assert "mixes date-times with and without a time zone" in str(warnings[0])


def test_python_datetimes_with_a_zone_count_as_known_moments():
    rows = [{"at": dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=3)))}]
    columns, _ = columns_from_rows([{"name": "at", "type": "datetime"}], rows, name="t")
    assert columns.utc == {"at"} and str(columns.column("at")[0]) == "2024-05-01T06:00:00.000"


# --- The GeoPackage ----------------------------------------------------------------------------


@pytest.mark.parametrize("positions", [True, False], ids=["points", "no-positions-yet"])
def test_the_geopackage_holds_utc_with_z_and_local_times_without(tmp_path, positions):
    """Both writers: the streamed one (rows with positions) and the one for rows without any."""
    rows = ROWS if positions else [{**r, "lon": None, "lat": None} for r in ROWS]
    result, _original = ingest_rows(
        columns=COLUMNS, rows=rows, title="Trees", geometry=("lon", "lat"), workdir=tmp_path
    )
    [part] = result.parts
    assert part.normalised_format == "gpkg"
    assert stored(part.normalised, "_start") == ["2024-05-01T06:00:00Z", "2024-05-02T20:30:15.250Z", None]
    assert stored(part.normalised, "read_at") == ["2024-05-01T10:00:00", "2024-05-02T11:00:00", None]


def test_a_renamed_utc_column_keeps_its_zone(tmp_path):
    columns = [*COLUMNS, {"name": "geom", "type": "datetime"}]
    rows = [{**r, "geom": r["_start"]} for r in ROWS]
    result, _ = ingest_rows(columns=columns, rows=rows, title="T", geometry=("lon", "lat"), workdir=tmp_path)
    assert stored(result.parts[0].normalised, "geom_2")[0] == "2024-05-01T06:00:00Z"


# --- /ogc/ -------------------------------------------------------------------------------------


@pytest.fixture
def trees(public_cast):
    dataset = services.dataset_publish_rows(
        actor=public_cast.editor,
        landscape=public_cast.landscape,
        title="Trees",
        columns=COLUMNS,
        rows=ROWS,
        geometry=("lon", "lat"),
        inline=True,
    )
    services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    return selectors.dataset_get(actor=public_cast.manager, pk=dataset.pk)


def items(dataset, query: str = "") -> dict:
    response = Client().get(f"/ogc/collections/{dataset.landscape.slug}.{dataset.slug}/items{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_ogc_items_give_known_moments_in_utc_and_local_times_as_they_were(trees):
    with storage.local_copy(trees.current_version.normalised_path) as path:
        assert stored(path, "_start")[0] == "2024-05-01T06:00:00Z"
    features = items(trees)["features"]
    starts = [f["properties"]["_start"] for f in features]
    assert starts[0].endswith("Z") and starts[1].endswith("Z") and starts[2] is None
    assert dt.datetime.fromisoformat(starts[0]) == FIRST_UTC
    assert dt.datetime.fromisoformat(starts[1]) == SECOND_UTC
    read = [f["properties"]["read_at"] for f in features]
    assert read[:2] == ["2024-05-01T10:00:00", "2024-05-02T11:00:00"] and read[2] is None
    assert dt.datetime.fromisoformat(read[0]).tzinfo is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?datetime=2024-05-01T06:00:00Z", ["Baobab"]),
        ("?datetime=2024-05-01T09:00:00%2B03:00", ["Baobab"]),  # the same moment in EAT
        ("?datetime=2024-05-01", ["Baobab"]),
        ("?datetime=2024-05-02", ["Mninga"]),  # 23:30 EAT on 2 May is still 2 May in UTC
        ("?datetime=2024-05-02T20:30:00Z/..", ["Mninga"]),
        ("?datetime=../2024-05-01T05:59:59Z", []),
        ("?datetime=2024-04-30/2024-05-03", ["Baobab", "Mninga"]),
    ],
)
def test_the_datetime_filter_works_on_utc_columns(trees, query, expected):
    page = items(trees, f"{query}&limit=100")
    assert [f["properties"]["name"] for f in page["features"]] == expected
    assert page["numberMatched"] == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?_start=2024-05-01T06:00:00Z", ["Baobab"]),
        ("?_start=2024-05-01T09:00:00%2B03:00", ["Baobab"]),
        ("?_start=2024-05-02T20:30:15.250Z", ["Mninga"]),
        ("?read_at=2024-05-01T10:00:00", ["Baobab"]),
    ],
)
def test_property_filters_on_date_times_match_the_same_instant(trees, query, expected):
    assert [f["properties"]["name"] for f in items(trees, query)["features"]] == expected


def test_the_geopackage_reader_gives_the_stored_text(trees):
    """What /ogc/ pages are made of: SQLite hands over the GeoPackage's text, "Z" included."""
    version = trees.current_version
    kinds = {f["name"]: f["type"] for f in version.fields}
    with storage.local_copy(version.normalised_path) as path, gpkg.connect(path) as conn:
        layer = gpkg.describe(conn)
        rows, _ = gpkg.select(conn, layer, boxes=None, limit=1)
        [feature] = gpkg.features(rows, layer, kinds=kinds, crs=version.crs)
    assert feature.properties["_start"] == "2024-05-01T06:00:00Z"
    assert feature.properties["read_at"] == "2024-05-01T10:00:00"


# --- Uploads streamed through GDAL's Arrow reader --------------------------------------------


def geojson(*moments: str) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [36.1 + i / 100, -8.1]},
            "properties": {"n": i, "at": at},
        }
        for i, at in enumerate(moments)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@pytest.mark.parametrize(
    ("moments", "expected"),
    [
        # every value with a zone (the same one, or several): known moments, in UTC
        (
            ("2024-05-01T09:00:00+03:00", "2024-05-01T10:00:00+03:00"),
            ["2024-05-01T06:00:00Z", "2024-05-01T07:00:00Z"],
        ),
        (
            ("2024-05-01T09:00:00+03:00", "2024-05-01T10:00:00Z"),
            ["2024-05-01T06:00:00Z", "2024-05-01T10:00:00Z"],
        ),
        # no zone stated: local times stay local
        (("2024-05-01T09:00:00", "2024-05-01T10:00:00"), ["2024-05-01T09:00:00", "2024-05-01T10:00:00"]),
    ],
    ids=["one-zone", "several-zones", "no-zone"],
)
def test_an_uploaded_geojson_keeps_what_its_date_times_knew(public_cast, ingest, moments, expected):
    [dataset] = created(
        ingest(public_cast.landscape, public_cast.editor, geojson(*moments), "visits.geojson")
    )
    services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    dataset = selectors.dataset_get(actor=public_cast.manager, pk=dataset.pk)
    with storage.local_copy(dataset.current_version.normalised_path) as path:
        assert stored(path, "at") == expected
    assert [f["properties"]["at"] for f in items(dataset)["features"]] == expected
