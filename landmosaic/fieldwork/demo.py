"""Demo field data for the Kilombero Valley: a published tree-planting survey (an XLSForm written by
code), a collector access, three dozen generated records with photos, a few reviews, and the
records' dataset in the commons, made by running the refresh job here (``make run`` needs no worker)."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from shapely.geometry import Point, shape
from shapely.prepared import prep

from landmosaic.core.jobs import job_run
from landmosaic.core.models import Job
from landmosaic.landscapes.demo import DemoContext, register_demo_step

from . import services
from .models import Form, Submission
from .selectors import Collector

FORM_ID = "tree_planting"
VERSION = "2025030101"
SEED = 20250301
#: "A few dozen" records: enough for the map and the per-day counts to look like a season's work.
RECORDS = 36
#: The first records are approved, the next ones rejected; the rest wait for review.
APPROVED, REJECTED = 22, 3
SURVEY = [
    ["type", "name", "label", "required", "constraint"],
    ["select_one species", "species", "Species planted", "yes", ""],
    ["date", "planted", "Date of planting", "yes", ""],
    ["integer", "seedlings", "Number of seedlings", "yes", ". > 0"],
    ["decimal", "height_cm", "Mean height (cm)", "", ". >= 0"],
    ["select_one health", "health", "Health of the seedlings", "yes", ""],
    ["geopoint", "location", "Where", "yes", ""],
    ["image", "photo", "Photo of the plot", "", ""],
    ["text", "notes", "Notes", "", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["species", "mvule", "Mvule (Milicia excelsa)"],
    ["species", "mninga", "Mninga (Pterocarpus angolensis)"],
    ["species", "mkangazi", "Mkangazi (Khaya anthotheca)"],
    ["species", "grevillea", "Grevillea robusta"],
    ["species", "mango", "Mango"],
    ["health", "good", "Good"],
    ["health", "fair", "Fair"],
    ["health", "poor", "Poor"],
]
METHOD = (
    "Village tree nursery groups record each planting day: one record per plot, the seedlings counted "
    "after planting, the mean height of ten seedlings measured, a photo of the plot taken from its "
    "south-west corner. Collected with ODK Collect; reviewed weekly by the partnership's forester."
)
NOTES = ["", "", "Near the school", "Fenced against goats", "Watered by hand", "Steep slope", ""]


def tree_planting_xlsx() -> bytes:
    workbook = Workbook()
    sheets = [("survey", SURVEY), ("choices", CHOICES)]
    sheets.append(
        ("settings", [["form_id", "version", "form_title"], [FORM_ID, VERSION, "Tree planting survey"]])
    )
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet(name)
        sheet.title = name
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _photo(rng: random.Random) -> bytes:
    """A small JPEG: green, the colour of a young plot."""
    colour = (rng.randrange(40, 90), rng.randrange(120, 190), rng.randrange(30, 80))
    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), colour).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _record_xml(rng: random.Random, *, number: int, lon: float, lat: float) -> tuple[bytes, str]:
    instance = uuid.UUID(int=rng.getrandbits(128), version=4)
    day = dt.date(2025, 3, 3) + dt.timedelta(days=number * 2)
    start = dt.datetime.combine(
        day, dt.time(8, rng.randrange(0, 50)), tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    end = start + dt.timedelta(minutes=rng.randrange(6, 25))
    photo = f"plot-{number:02d}.jpg"
    species = rng.choice(["mvule", "mninga", "mkangazi", "grevillea", "mango"])
    values = {
        "species": species,
        "planted": day.isoformat(),
        "seedlings": str(rng.randrange(20, 400)),
        "height_cm": f"{rng.uniform(15, 80):.1f}",
        "health": rng.choices(["good", "fair", "poor"], [6, 3, 1])[0],
        "location": f"{lat:.6f} {lon:.6f} {rng.randrange(250, 900)} {rng.randrange(3, 12)}",
        "photo": photo,
        "notes": rng.choice(NOTES),
        "start": start.isoformat(timespec="milliseconds"),
        "end": end.isoformat(timespec="milliseconds"),
        "today": day.isoformat(),
        "deviceid": f"collect:demo{number % 4}",
        "username": rng.choice(["neema", "baraka", "rehema", "juma"]),
    }
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in values.items())
    xml = (
        f'<?xml version="1.0" ?><data id="{FORM_ID}" version="{VERSION}" '
        'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"{body}<meta><instanceID>uuid:{instance}</instanceID></meta></data>"
    )
    return xml.encode("utf-8"), photo


@register_demo_step(name="fieldwork", order=20)
def load_demo_fieldwork(context: DemoContext) -> None:
    """The published survey, its records as a collector's phone would send them, and their dataset."""
    valley, editor = context.valley, context.editor
    form, _version, _created = services.form_upload(
        actor=editor, landscape=valley, data=tree_planting_xlsx(), filename="tree-planting.xlsx"
    )
    form = services.form_update(actor=editor, form=form, method=METHOD)
    form = services.form_publish(actor=editor, form=form)
    access, _secret = services.collector_create(actor=editor, landscape=valley, name="Mngeta nursery group")
    collector = Collector(landscape=valley, access=access)
    boundary = prep(shape(valley.boundary_geojson))
    west, south, east, north = shape(valley.boundary_geojson).bounds
    rng = random.Random(SEED)
    number = 0
    while number < RECORDS:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if not boundary.contains(Point(lon, lat)):
            continue
        number += 1
        xml, photo = _record_xml(rng, number=number, lon=lon, lat=lat)
        files = {photo: SimpleUploadedFile(photo, _photo(rng), content_type="image/jpeg")}
        services.submission_receive(collector=collector, xml=xml, files=files)
    records = list(form.submissions.order_by("received_at", "pk"))
    for record in records[:APPROVED]:
        services.submission_review(actor=editor, submission=record, status=Submission.Review.APPROVED)
    for record in records[APPROVED : APPROVED + REJECTED]:
        services.submission_review(
            actor=editor,
            submission=record,
            status=Submission.Review.REJECTED,
            comment="The photo does not show the plot; take it from the south-west corner.",
        )
    _run_refresh(form)


def _run_refresh(form: Form) -> None:
    """Run the refresh the records queued (one, debounced) here rather than in a worker."""
    for job in Job.objects.filter(
        kind=services.REFRESH_JOB, status=Job.Status.QUEUED, params__form_id=form.pk
    ):
        job = job_run(str(job.pk))
        if job.status != Job.Status.SUCCEEDED:
            raise RuntimeError(f"demo field data refresh failed: {job.error}")
