"""Scenario sets: made from two raster datasets of the commons; legend, tables, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.transform import Affine, array_bounds
from rasterio.warp import calculate_default_transform, reproject

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios import services
from landmosaic.scenarios.models import Scenario, ScenarioSet
from tests.datasets.builders import points_csv
from tests.scenarios.conftest import (
    NODATA,
    SHAPE,
    UTM_37S,
    geotiff,
    land_cover_pair,
    make_set,
    origin_in_landscape,
    raw_raster_dataset,
)


def test_a_set_gets_a_worldcover_legend_empty_tables_and_business_as_usual(private_cast, maps):
    scenario_set = make_set(private_cast, maps, pools=False)
    assert [e["code"] for e in scenario_set.legend] == [10, 30, 40, 50, 80]
    assert scenario_set.legend[0] == {
        "code": 10,
        "name": "Tree cover",
        "colour": "#006400",
        "role": "natural",
    }
    assert [r["lucode"] for r in scenario_set.carbon_pools] == [10, 30, 40, 50, 80]
    assert all(r["c_above"] == 0 for r in scenario_set.carbon_pools)
    assert scenario_set.warnings == []  # same grid: nothing resampled
    [bau] = scenario_set.scenarios.all()
    assert (bau.kind, bau.interventions) == (Scenario.Kind.BAU, [])
    assert (scenario_set.t0_version, scenario_set.t1_version) == (
        maps[0].current_version,
        maps[1].current_version,
    )


def test_custom_codes_get_neutral_names_and_distinct_colours(private_cast, ingest):
    before, after = land_cover_pair()
    before[before == 30] = 7  # a code no common product uses
    landscape, editor = private_cast.landscape, private_cast.editor
    first = ingest(landscape, editor, geotiff(before), "a.tif")
    second = ingest(landscape, editor, geotiff(after), "b.tif")
    scenario_set = make_set(private_cast, (first, second), pools=False)
    names = {e["code"]: e["name"] for e in scenario_set.legend}
    assert names[7] == "Class 7" and names[10] == "Class 10"
    assert len({e["colour"] for e in scenario_set.legend}) == len(scenario_set.legend)


def test_a_misaligned_first_map_is_resampled_with_a_warning(private_cast, ingest):
    before, after = land_cover_pair()
    x, y = origin_in_landscape()
    landscape, editor = private_cast.landscape, private_cast.editor
    first = ingest(landscape, editor, geotiff(before, origin=(x + 130, y - 40)), "a.tif")
    second = ingest(landscape, editor, geotiff(after), "b.tif")
    scenario_set = make_set(private_cast, (first, second), pools=False)
    assert [w["code"] for w in scenario_set.warnings] == ["resampled"]


def test_legend_edits_keep_map_classes_and_new_classes_get_table_rows(private_cast, scenario_set):
    entries = [dict(e) for e in scenario_set.legend]
    entries[0]["name"] = "Miombo woodland"
    entries.append({"code": 90, "name": "Agroforestry", "colour": "#8c6d31", "role": "farmed"})
    services.scenario_set_update_legend(actor=private_cast.editor, scenario_set=scenario_set, entries=entries)
    scenario_set.refresh_from_db()
    assert scenario_set.class_name(10) == "Miombo woodland"
    assert 90 in [r["lucode"] for r in scenario_set.carbon_pools]
    assert 90 in [r["lucode"] for r in scenario_set.coefficients]
    with pytest.raises(ValidationFailed, match="cannot be removed"):
        services.scenario_set_update_legend(
            actor=private_cast.editor, scenario_set=scenario_set, entries=entries[1:]
        )
    with pytest.raises(ValidationFailed, match="colour"):
        bad = [dict(e) for e in entries]
        bad[1]["colour"] = "red"
        services.scenario_set_update_legend(actor=private_cast.editor, scenario_set=scenario_set, entries=bad)


def test_pools_csv_imports_invest_columns(private_cast, scenario_set):
    pools = {r["lucode"]: r for r in scenario_set.carbon_pools}
    assert pools[10] == {"lucode": 10, "c_above": 120, "c_below": 30, "c_soil": 80, "c_dead": 10}


def test_pools_csv_with_bad_rows_names_each_row_and_stores_nothing(private_cast, scenario_set):
    before = list(scenario_set.carbon_pools)
    data = (
        b"lucode,c_above,c_below,c_soil,c_dead\n"
        b"10,120,30,80,10\n"
        b"30,abc,10,60,1\n"  # row 3: text in a number
        b"40,5,2,-45,0\n"  # row 4: negative
        b"10,1,1,1,1\n"  # row 5: duplicate
        b"x,1,1,1,1\n"  # row 6: not a code
    )
    with pytest.raises(ValidationFailed) as info:
        services.scenario_set_import_table(
            actor=private_cast.editor, scenario_set=scenario_set, table="carbon_pools", data=data
        )
    message = info.value.message
    assert "Row 3: c_above is “abc”, not a number." in message
    assert "Row 4: c_soil is -45; carbon densities cannot be negative." in message
    assert "Row 5: lucode 10 is already on row 2." in message
    assert "Row 6: lucode “x” is not a class code" in message
    scenario_set.refresh_from_db()
    assert scenario_set.carbon_pools == before


def test_pools_csv_missing_classes_or_columns_is_refused(private_cast, scenario_set):
    editor = private_cast.editor
    with pytest.raises(ValidationFailed, match="no row for the classes 50, 80"):
        services.scenario_set_import_table(
            actor=editor,
            scenario_set=scenario_set,
            table="carbon_pools",
            data=b"lucode;c_above;c_below;c_soil;c_dead\n10;1,5;0;0;0\n30;1;0;0;0\n40;1;0;0;0\n",
        )
    with pytest.raises(ValidationFailed, match="no column c_dead"):
        services.scenario_set_import_table(
            actor=editor,
            scenario_set=scenario_set,
            table="carbon_pools",
            data=b"lucode,c_above,c_below,c_soil\n",
        )
    with pytest.raises(ValidationFailed, match="spreadsheet"):
        services.scenario_set_import_table(
            actor=editor, scenario_set=scenario_set, table="carbon_pools", data=b"PK\x03\x04 xlsx"
        )


def test_coefficients_accept_decimal_commas_and_negative_income(private_cast, scenario_set):
    data = b"lucode;water;income\n10;1200,5;80\n30;900;20\n40;600;-15\n50;100;0\n80;0;0\n"
    services.scenario_set_import_table(
        actor=private_cast.editor, scenario_set=scenario_set, table="coefficients", data=data
    )
    scenario_set.refresh_from_db()
    rows = {r["lucode"]: r for r in scenario_set.coefficients}
    assert rows[10]["water"] == 1200.5 and rows[40]["income"] == -15


def test_a_table_dataset_is_not_a_land_cover_map(private_cast, maps, ingest):
    table = ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv")
    with pytest.raises(ValidationFailed, match="not a raster"):
        services.scenario_set_create(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            title="Wrong",
            t0_dataset_id=table.pk,
            t1_dataset_id=maps[1].pk,
            t0_year=2015,
            t1_year=2020,
        )
    assert not ScenarioSet.objects.exists()


def test_decimal_rasters_are_not_land_cover(private_cast, maps, ingest):
    measures = ingest(
        private_cast.landscape,
        private_cast.editor,
        geotiff(np.linspace(0, 1, SHAPE[0] * SHAPE[1], dtype=np.float32).reshape(SHAPE), nodata=None),
        "ndvi.tif",
    )
    with pytest.raises(ValidationFailed, match="decimal numbers"):
        make_set(private_cast, (measures, maps[1]))


def test_maps_that_do_not_overlap_are_refused(private_cast, maps, ingest):
    before, _after = land_cover_pair()
    x, y = origin_in_landscape()
    far = ingest(
        private_cast.landscape, private_cast.editor, geotiff(before, origin=(x + 50_000, y)), "far.tif"
    )
    with pytest.raises(ValidationFailed, match="do not overlap"):
        make_set(private_cast, (far, maps[1]))
    assert not ScenarioSet.objects.exists()


def test_a_crs_that_cannot_be_transformed_is_refused(private_cast, maps):
    before, _after = land_cover_pair()
    site_grid = CRS.from_wkt('LOCAL_CS["Site grid",LOCAL_DATUM["site",0],UNIT["metre",1]]')
    local = raw_raster_dataset(
        private_cast.landscape,
        private_cast.editor,
        geotiff(before, crs=site_grid, origin=(0, 4000)),
        "site.tif",
    )
    with pytest.raises(ValidationFailed) as info:
        make_set(private_cast, (local, maps[1]))
    assert info.value.code == "crs_mismatch"
    assert "EPSG:32737" in info.value.message


def test_years_and_horizon_are_checked(private_cast, maps, settings):
    settings.SCENARIO_MAX_YEARS = 50
    with pytest.raises(ValidationFailed) as info:
        make_set(private_cast, maps, horizon=200)
    assert "horizon_years" in info.value.details
    with pytest.raises(ValidationFailed) as info:
        services.scenario_set_create(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            title="Backwards",
            t0_dataset_id=maps[0].pk,
            t1_dataset_id=maps[1].pk,
            t0_year=2020,
            t1_year=2015,
        )
    assert "t1_year" in info.value.details
    with pytest.raises(ValidationFailed, match="two different maps"):
        services.scenario_set_create(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            title="Same",
            t0_dataset_id=maps[1].pk,
            t1_dataset_id=maps[1].pk,
            t0_year=2015,
            t1_year=2020,
        )


def test_pools_csv_round_trips_through_the_export(private_cast, scenario_set, client):
    client.force_login(private_cast.member)
    url = f"/landscapes/{private_cast.landscape.slug}/scenarios/{scenario_set.pk}/tables/carbon_pools.csv"
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[:2] == [
        "lucode,c_above,c_below,c_soil,c_dead,lulc_name",
        "10,120,30,80,10,Tree cover",
    ]
    initial = list(scenario_set.carbon_pools)
    services.scenario_set_import_table(
        actor=private_cast.editor, scenario_set=scenario_set, table="carbon_pools", data=text.encode()
    )
    scenario_set.refresh_from_db()
    assert scenario_set.carbon_pools == initial


def test_a_map_in_another_crs_is_reprojected_with_a_warning(private_cast, ingest, run_now):
    before, after = land_cover_pair()
    x, y = origin_in_landscape()
    source_transform = Affine(100, 0, x, 0, -100, y)
    transform, width, height = calculate_default_transform(
        UTM_37S, "EPSG:4326", SHAPE[1], SHAPE[0], *array_bounds(*SHAPE, source_transform)
    )
    lonlat = np.full((height, width), NODATA, dtype=np.uint8)
    reproject(
        before,
        lonlat,
        src_transform=source_transform,
        src_crs=UTM_37S,
        dst_transform=transform,
        dst_crs="EPSG:4326",
        src_nodata=NODATA,
        dst_nodata=NODATA,
        resampling=Resampling.nearest,
    )
    landscape, editor = private_cast.landscape, private_cast.editor
    first = ingest(
        landscape,
        editor,
        geotiff(lonlat, crs="EPSG:4326", origin=(transform.c, transform.f), cell=transform.a),
        "a.tif",
    )
    second = ingest(landscape, editor, geotiff(after), "b.tif")
    scenario_set = make_set(private_cast, (first, second), horizon=2)
    assert [w["code"] for w in scenario_set.warnings] == ["reprojected"]
    assert scenario_set.warnings[0]["params"]["crs"] == "EPSG:32737"
    run = run_now(editor, scenario_set.scenarios.get())
    assert run.succeeded, run.error


def test_more_than_255_classes_is_not_a_land_cover_map(private_cast, maps, ingest):
    codes = (np.arange(SHAPE[0] * SHAPE[1], dtype=np.uint16) % 300).reshape(SHAPE)
    elevation = ingest(private_cast.landscape, private_cast.editor, geotiff(codes, nodata=None), "dem.tif")
    with pytest.raises(ValidationFailed) as info:
        make_set(private_cast, (elevation, maps[1]))
    assert info.value.code == "too_many_classes" and "300 different values" in info.value.message
