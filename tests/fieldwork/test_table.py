"""Records as a table (the seam towards the data commons), CSV cells, and the submission parsers."""

from __future__ import annotations

import contextlib
import math

from hypothesis import given
from hypothesis import strategies as st

from landmosaic.core.spreadsheet import FORMULA_START
from landmosaic.fieldwork import services
from landmosaic.fieldwork.table import csv_safe, records_as_table
from landmosaic.fieldwork.xforms import XMLRefused, parse_geopoint, read_submission
from tests.fieldwork.conftest import submission_xml


def test_records_as_table_has_metadata_and_question_columns(field):
    field.form.method = "Transect walk at dawn, 2 km."
    field.form.save()
    field.collect.submit(submission_xml(instance_id="uuid:t1"))
    field.collect.submit(submission_xml(instance_id="uuid:t2", species="Acacia"))
    services.submission_review(
        actor=field.cast.editor,
        submission=field.form.submissions.get(instance_id="uuid:t2"),
        status="approved",
    )
    table = records_as_table(field.form)
    names = [c.name for c in table.columns]
    assert names[:4] == ["_instance_id", "_record_id", "_submitted_at", "_collector"]
    assert {"_device_id", "_start", "_end", "_form_version", "_method", "_lon", "_lat"} <= set(names)
    assert [n for n in names if not n.startswith("_")] == [
        "species",
        "count",
        "health",
        "location",
        "photo",
        "leaf_photo",
    ]
    types = {c.name: c.type for c in table.columns}
    assert types["count"] == "integer" and types["_lon"] == "number" and types["_start"] == "datetime"
    rows = list(table.rows)
    assert [r["_instance_id"] for r in rows] == ["uuid:t1", "uuid:t2"]
    assert rows[0]["_method"] == "Transect walk at dawn, 2 km." and rows[0]["_lon"] == 36.1
    assert table.geometry == ("_lon", "_lat")
    approved = list(records_as_table(field.form, approved_only=True).rows)
    assert [r["species"] for r in approved] == ["Acacia"]


@given(st.text())
def test_csv_cells_never_start_a_formula(text):
    cell = csv_safe(text)
    if cell.startswith(FORMULA_START):
        float(cell)  # only plain numbers such as -12 keep their sign


@given(st.text(max_size=60))
def test_parse_geopoint_never_fails_and_stays_on_earth(text):
    point = parse_geopoint(text)
    if point is not None:
        lon, lat = point
        assert math.isfinite(lon) and -180 <= lon <= 180 and -90 <= lat <= 90


@given(st.binary(max_size=300))
def test_reading_any_bytes_as_a_submission_refuses_cleanly(data):
    with contextlib.suppress(XMLRefused):
        read_submission(data)
