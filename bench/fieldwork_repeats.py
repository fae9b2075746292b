"""Refresh of a form's datasets with repeat groups: what the child tables add to the refresh job.

Builds a throw-away SQLite database (or uses DATABASE_URL), a form with a repeat of trees (each with
a place) holding a repeat of branches, and N records of 3 trees × 2 branches; then times
``form_dataset_refresh``: the first one (makes the records' dataset and the two child tables), one
with nothing new (no version written), and one after one more record. The same is timed for the
records' dataset alone (a form without repeats, same records) to give the ratio the repeats cost.

    python bench/fieldwork_repeats.py            # 500 and 2,000 records
    python bench/fieldwork_repeats.py --smoke    # 100 records: for CI
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["LANDMOSAIC_VAR_DIR"] = tempfile.mkdtemp(prefix="landmosaic-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.local")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.fieldwork import services  # noqa: E402
from landmosaic.fieldwork.models import Submission  # noqa: E402
from landmosaic.landscapes.services import landscape_create  # noqa: E402

REPEATS = [
    ["begin repeat", "trees", "Trees"],
    ["text", "species", "Species"],
    ["decimal", "height", "Height (m)"],
    ["geopoint", "spot", "Where the tree stands"],
    ["begin repeat", "branches", "Branches"],
    ["integer", "length", "Length (cm)"],
    ["end repeat", "", ""],
    ["end repeat", "", ""],
]


def workbook(form_id: str, with_repeats: bool) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    rows = [["type", "name", "label"], ["text", "plot", "Plot"], ["geopoint", "location", "Where"]]
    for row in rows + (REPEATS if with_repeats else []):
        survey.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append([form_id, "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_form(landscape, editor, form_id: str, records: int, with_repeats: bool):
    form, version, _created = services.form_upload(
        actor=editor, landscape=landscape, data=workbook(form_id, with_repeats), filename=f"{form_id}.xlsx"
    )
    Submission.objects.bulk_create(
        [record(form, version, n, with_repeats) for n in range(records)], batch_size=500
    )
    return form, version


def record(form, version, n: int, with_repeats: bool) -> Submission:
    data = {"plot": f"P-{n}", "location": f"-8.{n % 97} 36.{n % 89} 0 5"}
    if with_repeats:
        data["trees"] = [
            {
                "species": f"Species {t}",
                "height": str(3 + t),
                "spot": f"-8.{(n + t) % 97} 36.{(n + t) % 89} 0 5",
                "branches": [{"length": "40"}, {"length": "55"}],
            }
            for t in range(3)
        ]
    instance = f"uuid:{form.form_id}-{n}"
    return Submission(
        form=form, form_version=version, instance_id=instance, record_id=instance, xml="<data/>",
        xml_sha256=instance, data=data, lon=36.1, lat=-8.1,
    )  # fmt: skip


def timed(form) -> float:
    start = time.perf_counter()
    services.form_dataset_refresh(form_id=form.pk)
    return time.perf_counter() - start


def run(records: int, landscape, editor) -> None:
    """Each figure is the fastest of three tries: the machine may be shared."""
    rows = {}
    for with_repeats in (False, True):
        form_id = f"{'rep' if with_repeats else 'flat'}{records}"
        form, version = make_form(landscape, editor, form_id, records, with_repeats)
        first = timed(form)
        unchanged = min(timed(form) for _ in range(3))
        more = []
        for extra in range(3):
            Submission.objects.bulk_create([record(form, version, records + extra, with_repeats)])
            more.append(timed(form))
        rows[with_repeats] = (first, unchanged, min(more))
    # Rows published: the records, plus 3 trees and 6 branches per record in the child tables.
    flat_rows, nested_rows = records, records * 10
    print(f"{records} records (3 trees × 2 branches each with repeats: {nested_rows:,} rows in all):")
    for label, index in (("first refresh", 0), ("nothing new", 1), ("one more record", 2)):
        flat, nested = rows[False][index], rows[True][index]
        print(
            f"  {label:16s} records only {flat:6.2f} s ({flat_rows / flat:7,.0f} rows/s)"
            f" · with 2 repeat tables {nested:6.2f} s ({nested_rows / nested:7,.0f} rows/s)"
            f" · ratio {nested / flat:4.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    editor = User.objects.create_user(email="bench-repeats@example.org", password="x")
    landscape = landscape_create(actor=editor, name="Repeat bench")
    for records in [100] if args.smoke else [500, 2000]:
        run(records, landscape, editor)


if __name__ == "__main__":
    main()
