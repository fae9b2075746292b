"""XLSForm (.xlsx) to XForm with pyxform, free of Django.

Conversion never runs ODK Validate (no Java): pyxform's own checks are what the editor sees, each
error and warning with the sheet and row pyxform names. Before converting, the survey gets the
metadata every Landmosaic record carries (start, end, today, deviceid, username and, when the form
has no location question, a start-geopoint): rows are appended at the end of the survey sheet so
that the row numbers in pyxform's messages still match the editor's file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from .xforms import XFormSchema, XMLRefused, gettext_noop, read_xform

logger = logging.getLogger(__name__)

#: Metadata added when missing: (XLSForm type, preferred question name).
METADATA = [
    ("start", "start"),
    ("end", "end"),
    ("today", "today"),
    ("deviceid", "deviceid"),
    ("username", "username"),
]
LOCATION_TYPES = {"geopoint", "geotrace", "geoshape", "start-geopoint"}
MAX_UNCOMPRESSED_FACTOR = 20
MAX_MEMBERS = 500
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
ROW = re.compile(r"^\s*\[row\s*:\s*(\d+)\]\s*")
QUOTED = re.compile(r"'([^']{1,100})'")
SHEET = re.compile(r"'([A-Za-z_]+)' sheet|sheet '([A-Za-z_]+)'")

MESSAGES = {
    "too_large": gettext_noop(
        "%(filename)s is %(size_mb)s MB, more than the %(limit_mb)s MB allowed for a form. "
        "Keep images and choice lists out of the workbook: attach them as media files."
    ),
    "not_xlsx": gettext_noop(
        "%(filename)s is not an Excel workbook (.xlsx). Save the XLSForm as .xlsx and upload it again."
    ),
    "corrupt": gettext_noop(
        "%(filename)s could not be opened as a workbook: it may be damaged or protected by a password. "
        "Open it in a spreadsheet program, save it again as .xlsx and upload it."
    ),
    "unreadable": gettext_noop("%(filename)s could not be converted: %(detail)s"),
    "bad_form_id": gettext_noop(
        "The form_id “%(form_id)s” in the settings sheet is not valid: use letters, digits, “_”, “-” or “.”, "
        "starting with a letter."
    ),
    "added_metadata": gettext_noop(
        "Added the metadata every record carries: %(names)s. The phone fills them in on its own."
    ),
    "added_location": gettext_noop(
        "The form has no location question: added “%(name)s” (start-geopoint), which records where the "
        "form was opened."
    ),
    "generated_version": gettext_noop(
        "The settings sheet gives no version: this upload is version %(version)s. "
        "Set a version in the settings sheet to control it yourself."
    ),
    "pyxform": "%(text)s",
}


@dataclass(frozen=True)
class Issue:
    """An error, warning or note, with the sheet and row it refers to when pyxform says."""

    level: str  # "error" | "warning" | "info"
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str = ""
    row: int | None = None

    @property
    def template(self) -> str:
        return MESSAGES[self.code]


class XLSFormInvalid(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(i.code for i in issues))
        self.issues = issues


@dataclass
class ConvertedForm:
    form_id: str
    version: str
    title: str
    xform: str
    xform_md5: str
    xlsform_sha256: str
    schema: XFormSchema
    issues: list[Issue]
    itemsets_csv: str | None = None


def _pyxform_issue(text: str, level: str) -> Issue:
    """Split pyxform's "[row : 3] On the 'survey' sheet…" into sheet, row and message."""
    text = text.strip()
    row = None
    match = ROW.match(text)
    if match:
        row = int(match.group(1))
        text = text[match.end() :]
    sheet_match = SHEET.search(text)
    sheet = (sheet_match.group(1) or sheet_match.group(2)) if sheet_match else ""
    if row is not None and not sheet:
        sheet = "survey"  # pyxform names the sheet except for survey rows
    return Issue(level=level, code="pyxform", params={"text": text}, sheet=sheet, row=row)


def _located(issue: Issue, survey: list[dict[str, Any]]) -> Issue:
    """Some pyxform messages quote a type or name but give no row: find the survey row they mean."""
    if issue.row is not None or not survey:
        return issue
    for token in QUOTED.findall(issue.params.get("text", "")):
        for index, row in enumerate(survey):
            if token in (str(row.get("type") or "").strip(), str(row.get("name") or "").strip()):
                # Row 1 holds the column headers; blank rows are kept in the list, so numbers match the sheet.
                return dataclasses.replace(issue, sheet="survey", row=index + 2)
    return issue


def _pyxform_issues(
    exc: Exception, level: str = "error", survey: list[dict[str, Any]] | None = None
) -> list[Issue]:
    lines = [line for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
    return [_located(_pyxform_issue(line, level), survey or []) for line in lines]


def _check_workbook(data: bytes, filename: str, max_bytes: int) -> None:
    size_params = {
        "filename": filename,
        "size_mb": round(len(data) / 1e6, 1),
        "limit_mb": round(max_bytes / 1e6, 1),
    }
    if len(data) > max_bytes:
        raise XLSFormInvalid([Issue("error", "too_large", size_params)])
    if not data.startswith(b"PK\x03\x04"):
        raise XLSFormInvalid([Issue("error", "not_xlsx", {"filename": filename})])
    # Declared sizes bound what zipfile will inflate, so checking them stops zip bombs up front.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            encrypted = any(m.flag_bits & 0x1 for m in members)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise XLSFormInvalid([Issue("error", "corrupt", {"filename": filename})]) from exc
    if encrypted or len(members) > MAX_MEMBERS:
        raise XLSFormInvalid([Issue("error", "corrupt", {"filename": filename})])
    if declared > max_bytes * MAX_UNCOMPRESSED_FACTOR:
        raise XLSFormInvalid([Issue("error", "too_large", size_params)])


def _free_name(base: str, used: set[str]) -> str:
    name = base
    counter = 1
    while name.lower() in used:
        name = f"meta_{base}" if counter == 1 else f"meta_{base}_{counter}"
        counter += 1
    used.add(name.lower())
    return name


def _add_metadata(survey: list[dict[str, Any]]) -> list[Issue]:
    types = {str(row.get("type") or "").strip().lower() for row in survey}
    used = {str(row.get("name") or "").strip().lower() for row in survey if row.get("name")}
    added = []
    for xls_type, preferred in METADATA:
        if xls_type not in types:
            name = _free_name(preferred, used)
            survey.append({"type": xls_type, "name": name})
            added.append(name)
    issues = []
    if added:
        issues.append(Issue("info", "added_metadata", {"names": ", ".join(added)}))
    if not types & LOCATION_TYPES:
        name = _free_name("start_geopoint", used)
        survey.append({"type": "start-geopoint", "name": name})
        issues.append(Issue("info", "added_location", {"name": name}))
    return issues


def _form_id_from(filename: str) -> str:
    stem = re.sub(r"\.(xlsx|xlsm|xls)$", "", filename.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("_.-") or "form"
    return slug if re.match(r"[A-Za-z_]", slug) else f"form_{slug}"


def convert_xlsform(*, data: bytes, filename: str, default_version: str, max_bytes: int) -> ConvertedForm:
    """Convert an uploaded XLSForm; XLSFormInvalid lists every problem found (nothing half-done)."""
    _check_workbook(data, filename, max_bytes)
    try:
        workbook = get_xlsform(xlsform=io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormInvalid(_pyxform_issues(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        logger.info("XLSForm %s unreadable: %r", filename, exc)
        raise XLSFormInvalid([Issue("error", "corrupt", {"filename": filename})]) from exc

    notes: list[Issue] = []
    survey = [dict(row) for row in (workbook.survey or [])]
    if survey:
        notes += _add_metadata(survey)
    settings = [dict(row) for row in (workbook.settings or [])] or [{}]
    first = settings[0]
    form_id = str(first.get("form_id") or first.get("id_string") or "").strip() or _form_id_from(filename)
    if not XML_NAME.match(form_id) or len(form_id) > 100:
        raise XLSFormInvalid([Issue("error", "bad_form_id", {"form_id": form_id[:120]}, sheet="settings")])
    first["form_id"] = form_id
    version = str(first.get("version") or "").strip()
    if not version:
        version = default_version
        first["version"] = version
        notes.append(Issue("info", "generated_version", {"version": version}))
    definition = dataclasses.asdict(workbook)
    definition["survey"] = survey if workbook.survey is not None else None
    definition["settings"] = settings

    warnings: list[str] = []
    try:
        result = convert(xlsform=definition, warnings=warnings)
        schema = read_xform(result.xform)
    except PyXFormError as exc:
        raise XLSFormInvalid(_pyxform_issues(exc, survey=list(workbook.survey or []))) from exc
    except XMLRefused as exc:  # pragma: no cover - pyxform writes well-formed XML
        raise XLSFormInvalid(
            [Issue("error", "unreadable", {"filename": filename, "detail": exc.code})]
        ) from exc
    except Exception as exc:  # pyxform may fail on input it does not anticipate
        logger.info("XLSForm %s failed in pyxform: %r", filename, exc)
        raise XLSFormInvalid(
            [Issue("error", "unreadable", {"filename": filename, "detail": str(exc)[:300]})]
        ) from exc
    issues = [_located(_pyxform_issue(w, "warning"), list(workbook.survey or [])) for w in warnings] + notes
    xform_bytes = result.xform.encode("utf-8")
    return ConvertedForm(
        form_id=schema.form_id,
        version=schema.version,
        title=schema.title or form_id,
        xform=result.xform,
        xform_md5=hashlib.md5(xform_bytes, usedforsecurity=False).hexdigest(),
        xlsform_sha256=hashlib.sha256(data).hexdigest(),
        schema=schema,
        issues=issues,
        itemsets_csv=result.itemsets,
    )
