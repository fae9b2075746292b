"""Measurements computed from datasets of the commons: real uploads through the real ingest job."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from landmosaic.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import Job
from landmosaic.core.permissions import Role
from landmosaic.landscapes.models import Membership
from landmosaic.planning import services
from landmosaic.planning.models import ComputedSource, Measurement
from tests.datasets.builders import csv_bytes, feature, geojson_bytes
from tests.datasets.conftest import add_version, created, ingest  # noqa: F401 - fixtures
from tests.factories import LandscapeFactory, member

from .conftest import API, client_for, make_goal, make_indicator, make_objective

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
PLANTINGS = [
    ["planted", "seedlings", "plot_area_ha", "village"],
    [f"{LAST_YEAR}-02-01", "120", "1.5", "Mngeta"],
    [f"{LAST_YEAR}-03-15", "80", "0.5", "Mofu"],
    [f"{LAST_YEAR}-11-30", "", "2.0", "Mngeta"],
    [f"{TODAY.year}-01-10", "300", "3.0", "Ikule"],
]
RUN = [
    ["year", "area_ha_1", "carbon_mg", "income"],
    ["2025", "1000", "52000.5", "10"],
    ["2030", "950", "54100.25", "12"],
    ["2035", "900", "56010", "13"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def datasets(private_cast, ingest):  # noqa: F811 - the fixture imported above
    editor, landscape = private_cast.editor, private_cast.landscape
    [plantings] = created(ingest(landscape, editor, csv_bytes(PLANTINGS), "plantings.csv"))
    [run] = created(ingest(landscape, editor, csv_bytes(RUN), "scenario-run-indicators.csv"))
    records = geojson_bytes([
        feature({"type": "Point", "coordinates": [36.1 + i / 100, -8.1]}, species="mvule", seedlings=10 * i)
        for i in range(1, 8)
    ])  # fmt: skip
    [form] = created(ingest(landscape, editor, records, "tree-planting-records.geojson"))
    return {"plantings": plantings, "run": run, "form": form}


def _indicator(cast, unit, **extra):
    objective = make_objective(cast, make_goal(cast))
    return make_indicator(cast, objective=objective, name=f"Computed in {unit}", unit=unit, **extra)


def _compute(cast, indicator, capture, *, actor=None, date=None) -> Job:
    with capture(execute=True):
        job = services.measurement_compute(actor=actor or cast.member, indicator=indicator, date=date)
    job.refresh_from_db()
    return job


def test_count_of_records_in_a_date_range(private_cast, datasets, django_capture_on_commit_callbacks):
    indicator = _indicator(private_cast, "plantings")
    services.computed_source_save(
        actor=private_cast.editor,
        indicator=indicator,
        dataset_id=datasets["plantings"].pk,
        operation="count",
        date_column="planted",
        date_from=datetime.date(LAST_YEAR, 1, 1),
        date_to=datetime.date(LAST_YEAR, 12, 31),
    )
    job = _compute(private_cast, indicator, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.error
    [measurement] = Measurement.objects.filter(indicator=indicator)
    # Three plantings last year; the one of this year is outside the range. Dated at the range's end.
    assert (
        measurement.value == 3
        and measurement.computed
        and measurement.date == datetime.date(LAST_YEAR, 12, 31)
    )
    assert "plantings" in measurement.source and "3 rows" in measurement.source
    assert job.result["url"].endswith(f"/indicators/{indicator.pk}/")


def test_count_of_a_field_forms_records(private_cast, datasets, django_capture_on_commit_callbacks):
    indicator = _indicator(private_cast, "records")
    services.computed_source_save(
        actor=private_cast.editor, indicator=indicator, dataset_id=datasets["form"].pk, operation="count"
    )
    _compute(private_cast, indicator, django_capture_on_commit_callbacks)
    assert Measurement.objects.get(indicator=indicator).value == 7


@pytest.mark.parametrize(("operation", "expected"), [("sum", 500.0), ("mean", 500 / 3)])
def test_sum_and_mean_leave_empty_cells_out(
    private_cast, datasets, django_capture_on_commit_callbacks, operation, expected
):
    indicator = _indicator(private_cast, "seedlings")
    services.computed_source_save(
        actor=private_cast.editor,
        indicator=indicator,
        dataset_id=datasets["plantings"].pk,
        operation=operation,
        column="seedlings",
    )
    _compute(private_cast, indicator, django_capture_on_commit_callbacks)
    assert Measurement.objects.get(indicator=indicator).value == pytest.approx(expected)


def test_value_of_a_scenario_run_column_at_a_year(private_cast, datasets, django_capture_on_commit_callbacks):
    indicator = _indicator(private_cast, "Mg C")
    source = dict(actor=private_cast.editor, indicator=indicator, dataset_id=datasets["run"].pk)
    services.computed_source_save(
        **source, operation="value", column="carbon_mg", match_column="year", match_value=2030
    )
    _compute(private_cast, indicator, django_capture_on_commit_callbacks)
    assert Measurement.objects.get(indicator=indicator).value == 54100.25
    services.computed_source_save(
        **source, operation="value", column="carbon_mg", match_column="year", match_value=2031
    )
    job = _compute(private_cast, indicator, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and "0 rows have year = 2031" in job.error
    assert Measurement.objects.get(indicator=indicator).value == 54100.25  # the failed run changed nothing


def test_computing_again_replaces_the_measurement_of_that_date_and_reads_the_newest_version(
    private_cast,
    datasets,
    add_version,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    indicator = _indicator(private_cast, "seedlings")
    services.computed_source_save(
        actor=private_cast.editor,
        indicator=indicator,
        dataset_id=datasets["plantings"].pk,
        operation="sum",
        column="seedlings",
    )
    _compute(private_cast, indicator, django_capture_on_commit_callbacks, date=TODAY)
    job = add_version(
        datasets["plantings"],
        private_cast.editor,
        csv_bytes([*PLANTINGS, [f"{TODAY.year}-01-11", "1000", "1", "Ikule"]]),
        "plantings.csv",
    )
    assert job.status == Job.Status.SUCCEEDED, job.error
    _compute(private_cast, indicator, django_capture_on_commit_callbacks, date=TODAY)
    [measurement] = Measurement.objects.filter(indicator=indicator)
    assert measurement.value == 1500 and "version 2" in measurement.source
    # A measurement entered by hand on the same date is never replaced.
    services.measurement_add(actor=private_cast.member, indicator=indicator, value=7, date=TODAY)
    _compute(private_cast, indicator, django_capture_on_commit_callbacks, date=TODAY)
    assert sorted(Measurement.objects.filter(indicator=indicator).values_list("value", flat=True)) == [
        7,
        1500,
    ]


def test_units_are_checked(private_cast, datasets):
    hectares = _indicator(private_cast, "ha")
    with pytest.raises(ValidationFailed, match="A count of records cannot be measured in ha"):
        services.computed_source_save(
            actor=private_cast.editor,
            indicator=hectares,
            dataset_id=datasets["plantings"].pk,
            operation="count",
        )
    carbon = _indicator(private_cast, "Mg C")
    with pytest.raises(ValidationFailed, match="“area_ha_1” is in ha, but the indicator is measured in Mg C"):
        services.computed_source_save(
            actor=private_cast.editor, indicator=carbon, dataset_id=datasets["run"].pk, operation="value",
            column="area_ha_1", match_column="year", match_value=2030,
        )  # fmt: skip
    # Hectares summed into an indicator in hectares are fine.
    services.computed_source_save(
        actor=private_cast.editor,
        indicator=hectares,
        dataset_id=datasets["plantings"].pk,
        operation="sum",
        column="plot_area_ha",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"operation": "sum", "column": "village"}, "column", "Numeric columns: seedlings, plot_area_ha"),
        ({"operation": "sum", "column": "nope"}, "column", "not a numeric column"),
        ({"operation": "count", "date_column": "village"}, "date_column", "Date columns: planted"),
        (
            {"operation": "count", "date_from": datetime.date(2025, 1, 1)},
            "date_column",
            "Choose the date column",
        ),
        (
            {
                "operation": "count",
                "date_column": "planted",
                "date_from": datetime.date(2025, 2, 1),
                "date_to": datetime.date(2025, 1, 1),
            },
            "date_to",
            "on or after its start",
        ),
        ({"operation": "median", "column": "seedlings"}, "operation", "count, sum, mean or value"),
        (
            {"operation": "value", "column": "seedlings", "match_column": "seedlings"},
            "match_value",
            "the year 2035",
        ),
    ],
)
def test_bad_sources_are_refused_with_a_clear_message(private_cast, datasets, changes, field, message):
    indicator = _indicator(private_cast, "seedlings")
    with pytest.raises(ValidationFailed) as info:
        services.computed_source_save(
            actor=private_cast.editor, indicator=indicator, dataset_id=datasets["plantings"].pk, **changes
        )
    assert message in info.value.message and field in info.value.details
    assert not ComputedSource.objects.filter(indicator=indicator).exists()


def test_the_dataset_must_be_visible_to_whoever_sets_or_computes(
    private_cast,
    ingest,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    elsewhere = LandscapeFactory(visibility="private")
    owner = member(elsewhere, Role.EDITOR)
    [hidden] = created(ingest(elsewhere, owner, csv_bytes(PLANTINGS), "hidden.csv"))
    indicator = _indicator(private_cast, "plantings")
    with pytest.raises(ValidationFailed, match="Choose a dataset you can see"):
        services.computed_source_save(
            actor=private_cast.editor, indicator=indicator, dataset_id=hidden.pk, operation="count"
        )
    # The owner is also an editor here: they may set the source, but a member who cannot see the
    # dataset cannot compute from it.
    Membership.objects.create(landscape=private_cast.landscape, user=owner, role=Role.EDITOR.slug)
    owner = type(owner).objects.get(pk=owner.pk)  # roles are cached on the user object
    services.computed_source_save(actor=owner, indicator=indicator, dataset_id=hidden.pk, operation="count")
    with pytest.raises(ValidationFailed, match="Choose a dataset you can see"):
        services.measurement_compute(actor=private_cast.member, indicator=indicator)
    assert (
        _compute(private_cast, indicator, django_capture_on_commit_callbacks, actor=owner).status
        == "succeeded"
    )


def test_computing_needs_a_source_and_the_right_to_measure(private_cast, datasets):
    indicator = _indicator(private_cast, "plantings")
    with pytest.raises(Conflict):
        services.measurement_compute(actor=private_cast.member, indicator=indicator)
    with pytest.raises((Forbidden, NotFound)):
        services.measurement_compute(actor=private_cast.viewer, indicator=indicator)


# --- Pages and API ---------------------------------------------------------------------------


def _page(cast, indicator, tail=""):
    return f"/landscapes/{cast.landscape.slug}/plan/indicators/{indicator.pk}/{tail}"


def test_pages_set_the_source_and_compute(private_cast, datasets, django_capture_on_commit_callbacks):
    indicator = _indicator(private_cast, "seedlings")
    editor = client_for(private_cast.editor)
    form = editor.get(_page(private_cast, indicator, "source/")).content.decode()
    assert "plantings" in form and "numbers: seedlings, plot_area_ha" in form and "dates: planted" in form
    bad = editor.post(
        _page(private_cast, indicator, "source/"),
        {"dataset": datasets["plantings"].pk, "operation": "sum", "column": "village"},
    )
    assert bad.status_code == 400 and "Numeric columns: seedlings, plot_area_ha" in bad.content.decode()
    saved = editor.post(
        _page(private_cast, indicator, "source/"),
        {"dataset": datasets["plantings"].pk, "operation": "sum", "column": "seedlings"},
    )
    assert saved.status_code == 302
    member = client_for(private_cast.member)
    assert "Compute now" in member.get(_page(private_cast, indicator)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(_page(private_cast, indicator, "compute/"), {"date": ""})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert Measurement.objects.get(indicator=indicator, computed=True).value == 500
    html = member.get(_page(private_cast, indicator)).content.decode()
    assert "computed" in html and "500" in html
    assert client_for(private_cast.viewer).post(_page(private_cast, indicator, "compute/")).status_code == 403
    assert (
        client_for(private_cast.outsider).post(_page(private_cast, indicator, "compute/")).status_code == 404
    )
    assert client_for(private_cast.member).get(_page(private_cast, indicator, "source/")).status_code == 403
    future = member.post(_page(private_cast, indicator, "compute/"), {"date": "2999-01-01"}, follow=True)
    assert "cannot be in the future" in future.content.decode()


def test_a_public_indicator_does_not_name_a_private_dataset(public_cast, ingest):  # noqa: F811
    [plantings] = created(
        ingest(public_cast.landscape, public_cast.editor, csv_bytes(PLANTINGS), "secret-plots.csv")
    )
    indicator = _indicator(public_cast, "plantings")
    services.computed_source_save(
        actor=public_cast.editor, indicator=indicator, dataset_id=plantings.pk, operation="count"
    )
    html = client_for(public_cast.anonymous).get(_page(public_cast, indicator)).content.decode()
    assert "a dataset you cannot see" in html and "secret-plots" not in html and "Compute now" not in html
    data = (
        client_for(public_cast.anonymous)
        .get(f"{API}/landscapes/{public_cast.landscape.slug}/plan/indicators/{indicator.pk}/source")
        .json()
    )
    assert data["dataset_title"] is None and data["operation"] == "count"


def test_api_sets_the_source_and_computes(private_cast, datasets, django_capture_on_commit_callbacks):
    indicator = _indicator(private_cast, "Mg C")
    url = f"{API}/landscapes/{private_cast.landscape.slug}/plan/indicators/{indicator.pk}"
    assert client_for(private_cast.viewer).get(f"{url}/source").status_code == 204
    body = {
        "dataset_id": datasets["run"].pk,
        "operation": "value",
        "column": "carbon_mg",
        "match_column": "year",
        "match_value": 2035,
    }
    assert (
        client_for(private_cast.member)
        .put(f"{url}/source", body, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(private_cast.editor).put(f"{url}/source", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["dataset_title"] == datasets["run"].title
    bad = client_for(private_cast.editor).put(
        f"{url}/source", {**body, "column": "area_ha_1"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "is in ha" in bad.json()["error"]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client_for(private_cast.member).post(f"{url}/compute", {}, content_type="application/json")
    assert accepted.status_code == 202
    job = client_for(private_cast.member).get(accepted.json()["job"]["url"]).json()
    assert job["status"] == "succeeded" and job["result"]["value"] == 56010
