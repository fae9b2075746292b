"""Cost of checking that a record fits its form version (elements, types, choices), per record.

A 20-question form (texts, numbers, dates, selects, a geopoint, a group and a repeat) is converted
once; the shape is read once (as the server caches it per version and worker); then a record is
checked many times with timeit. Printed beside it for scale: parsing the same record and reading its
values, which every submission pays already. Budget: well under 1 ms per record (the OpenRosa bench
spends about 15 ms of server CPU per record).

    python bench/submission_matches_form.py
"""

from __future__ import annotations

import io
import sys
import timeit
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from landmosaic.fieldwork.xforms import (  # noqa: E402
    check_instance,
    read_shape,
    read_submission,
    read_xform,
    values_of,
)
from landmosaic.fieldwork.xlsform import convert_xlsform  # noqa: E402

SURVEY = [
    ["type", "name", "label"],
    *[["text", f"text_{i}", f"Text {i}"] for i in range(4)],
    *[["integer", f"int_{i}", f"Integer {i}"] for i in range(3)],
    *[["decimal", f"dec_{i}", f"Decimal {i}"] for i in range(3)],
    ["date", "seen", "Seen"],
    ["dateTime", "seen_at", "Seen at"],
    *[["select_one health", f"one_{i}", f"One {i}"] for i in range(3)],
    *[["select_multiple uses", f"many_{i}", f"Many {i}"] for i in range(2)],
    ["geopoint", "location", "Where"],
    ["begin_group", "site", "Site"],
    ["text", "site_name", "Site name"],
    ["end_group", "", ""],
    ["begin_repeat", "stems", "Stems"],
    ["decimal", "girth", "Girth"],
    ["end_repeat", "", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    *[["health", f"h{i}", f"H{i}"] for i in range(6)],
    *[["uses", f"u{i}", f"U{i}"] for i in range(8)],
]


def workbook() -> bytes:
    book = Workbook()
    for title, rows in (
        ("survey", SURVEY),
        ("choices", CHOICES),
        ("settings", [["form_id", "version"], ["bench", "1"]]),
    ):
        sheet = book.active if title == "survey" else book.create_sheet(title)
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def record() -> bytes:
    answers = (
        "".join(f"<text_{i}>Some words {i}</text_{i}>" for i in range(4))
        + "".join(f"<int_{i}>{i * 7}</int_{i}>" for i in range(3))
        + "".join(f"<dec_{i}>{i}.25</dec_{i}>" for i in range(3))
        + "<seen>2024-05-01</seen><seen_at>2024-05-01T09:00:00.000+03:00</seen_at>"
        + "".join(f"<one_{i}>h{i}</one_{i}>" for i in range(3))
        + "".join(f"<many_{i}>u1 u3 u{i}</many_{i}>" for i in range(2))
        + "<location>-8.1 36.1 1200 5</location><site><site_name>North</site_name></site>"
        + "<stems><girth>140</girth></stems><stems><girth>95.5</girth></stems>"
    )
    return (
        f'<data id="bench" version="1">{answers}<start>2024-05-01T09:00:00.000+03:00</start>'
        "<end>2024-05-01T09:12:00.000+03:00</end><today>2024-05-01</today><deviceid>collect:1</deviceid>"
        "<username>amina</username><meta><instanceID>uuid:1</instanceID></meta></data>"
    ).encode()


def per_record_us(statement, number: int) -> float:
    return min(timeit.repeat(statement, number=number, repeat=5)) / number * 1e6


def main() -> None:
    converted = convert_xlsform(data=workbook(), filename="bench.xlsx", default_version="1", max_bytes=10**7)
    schema = read_xform(converted.xform)
    shape = read_shape(converted.xform)
    xml = record()
    document = read_submission(xml)
    check_instance(document.root, shape)  # the record fits: the bench times the path every good record takes
    questions = sum(1 for f in schema.fields if not f.preload and not f.path.startswith("meta/"))
    shape_us = per_record_us(lambda: read_shape(converted.xform), 50)
    check_us = per_record_us(lambda: check_instance(document.root, shape), 5000)
    parse_us = per_record_us(lambda: read_submission(xml), 2000)
    values_us = per_record_us(lambda: values_of(document.root, schema), 2000)
    print(f"form: {questions} questions, record of {len(xml)} bytes")
    print(f"read the shape (once per version and worker): {shape_us:8.1f} µs")
    print(f"check one record against it:                  {check_us:8.1f} µs")
    print(f"parse the record (already paid):              {parse_us:8.1f} µs")
    print(f"read its values (already paid):               {values_us:8.1f} µs")
    print(f"check / (parse + values): {check_us / (parse_us + values_us):.2f}")
    print(f"check / 15 ms of server CPU per record: {check_us / 15000:.2%}")


if __name__ == "__main__":
    main()
