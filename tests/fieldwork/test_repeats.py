"""Repeat groups: XLSForms with ``begin repeat`` are accepted, every row is kept with its record, shown
as JSON in the record's table and exported as a child table linked by the record's instance ID."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from landmosaic.fieldwork.table import records_as_table, repeat_columns, repeat_paths, repeat_rows
from tests.fieldwork.conftest import JPEG, collect_with_token, xlsx

SURVEY = [
    ["type", "name", "label"],
    ["text", "plot", "Plot"],
    ["geopoint", "location", "Where"],
    ["begin repeat", "trees", "Trees"],
    ["text", "species", "Species"],
    ["decimal", "height", "Height (m)"],
    ["image", "photo", "Photo"],
    ["begin repeat", "branches", "Branches"],
    ["integer", "length", "Length (cm)"],
    ["end repeat", "", ""],
    ["end repeat", "", ""],
]
SETTINGS = [["form_id", "version"], ["plots", "1"]]


def record_xml(instance_id: str) -> bytes:
    return (
        f'<data id="plots" version="1"><plot>P-7</plot><location>-8.1 36.1 0 5</location>'
        "<trees><species>Baobab</species><height>12.5</height><photo>t1.jpg</photo>"
        "<branches><length>40</length></branches><branches><length>55</length></branches></trees>"
        "<trees><species>=cmd|' /C calc'!A0</species><height>3</height><photo/></trees>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


@pytest.fixture
def plots(private_cast):
    form, _version, _created = services.form_upload(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        data=xlsx(survey=SURVEY, choices=[], settings=SETTINGS),
        filename="plots.xlsx",
    )
    services.form_publish(actor=private_cast.editor, form=form)
    collect, _access, _secret = collect_with_token(private_cast.landscape, private_cast.editor)
    response = collect.submit(record_xml("uuid:plot-1"), {"t1.jpg": JPEG})
    assert response.status_code == 201, response.content
    return form


def test_repeat_rows_are_kept_with_the_record_nested_repeats_inside_their_row(plots):
    assert plots.current_version.repeats == ["trees", "trees/branches"]
    record = Submission.objects.get()
    assert record.data["plot"] == "P-7"
    assert record.data["trees"] == [
        {
            "species": "Baobab",
            "height": "12.5",
            "photo": "t1.jpg",
            "branches": [{"length": "40"}, {"length": "55"}],
        },
        {"species": "=cmd|' /C calc'!A0", "height": "3", "photo": "", "branches": []},
    ]
    assert record.attachments.get().name == "t1.jpg"  # a photo inside a repeat is kept too


def test_the_records_table_holds_each_repeat_as_json(plots):
    table = records_as_table(plots)
    columns = {c.name: c for c in table.columns}
    assert columns["trees"].repeat and columns["trees"].type == "string"
    assert "trees/branches" not in columns and "species" not in columns
    [row] = list(table.rows)
    assert row["plot"] == "P-7"
    assert [tree["species"] for tree in json.loads(row["trees"])] == ["Baobab", "=cmd|' /C calc'!A0"]


def test_each_repeat_is_a_child_table_linked_by_the_instance_id(plots):
    assert repeat_paths(plots) == ["trees", "trees/branches"]
    names = [c.name for c in repeat_columns(plots, "trees")]
    assert names == [
        "_parent_instance_id",
        "_record_id",
        "_index",
        "_key",
        "_parent_key",
        "species",
        "height",
        "photo",
        "branches",
        "_photo_url",
    ]
    rows = list(repeat_rows(plots, "trees", Submission.objects.filter(form=plots)))
    assert [(r["_parent_instance_id"], r["_index"], r["species"]) for r in rows] == [
        ("uuid:plot-1", 1, "Baobab"),
        ("uuid:plot-1", 2, "=cmd|' /C calc'!A0"),
    ]
    assert json.loads(rows[0]["branches"]) == [{"length": "40"}, {"length": "55"}]
    assert [(r["_key"], r["_parent_key"]) for r in rows] == [
        ("uuid:plot-1/trees[1]", "uuid:plot-1"),
        ("uuid:plot-1/trees[2]", "uuid:plot-1"),
    ]
    # A repeat inside a repeat is a table too, each row tied to the entry around it by its key.
    branches = list(repeat_rows(plots, "trees/branches", Submission.objects.filter(form=plots)))
    assert [(r["_parent_key"], r["_key"], r["_index"], r["length"]) for r in branches] == [
        ("uuid:plot-1/trees[1]", "uuid:plot-1/trees[1]/branches[1]", 1, "40"),
        ("uuid:plot-1/trees[1]", "uuid:plot-1/trees[1]/branches[2]", 2, "55"),
    ]
    assert all(r["_parent_instance_id"] == "uuid:plot-1" for r in branches)
    record = Submission.objects.get()
    assert rows[0]["_photo_url"].endswith(f"/records/{record.pk}/attachments/{record.attachments.get().pk}/")
    assert rows[1]["_photo_url"] is None


def test_the_records_page_offers_a_csv_per_repeat_safe_for_spreadsheets(plots, private_cast):
    client = Client()
    client.force_login(private_cast.editor)
    base = f"/landscapes/{private_cast.landscape.slug}/field-data/forms/{plots.pk}/"
    assert "records.csv?repeat=trees" in client.get(f"{base}records/").content.decode()
    response = client.get(f"{base}records.csv?repeat=trees")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plots-trees.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["_parent_instance_id"], r["_index"], r["height"]) for r in rows] == [
        ("uuid:plot-1", "1", "12.5"),
        ("uuid:plot-1", "2", "3"),
    ]
    assert rows[1]["species"].startswith("'=")  # no formula reaches a spreadsheet
    # The main CSV has the repeat as JSON in one column.
    main = b"".join(client.get(f"{base}records.csv").streaming_content).decode("utf-8-sig")
    [record] = list(csv.DictReader(io.StringIO(main)))
    assert len(json.loads(record["trees"])) == 2
    assert client.get(f"{base}records.csv?repeat=nothing").status_code == 404
    viewer = Client()
    viewer.force_login(private_cast.outsider)
    assert viewer.get(f"{base}records.csv?repeat=trees").status_code == 404


def test_the_record_page_lists_the_repeat_rows(plots, private_cast):
    client = Client()
    client.force_login(private_cast.viewer)
    record = Submission.objects.get()
    url = f"/landscapes/{private_cast.landscape.slug}/field-data/forms/{plots.pk}/records/{record.pk}/"
    text = client.get(url).content.decode()
    assert "Baobab" in text and "[{&quot;length&quot;: &quot;40&quot;}" in text
