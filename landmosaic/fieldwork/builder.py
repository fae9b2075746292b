"""A simple form built in the page, checked and written as an XLSForm workbook; free of Django.

The workbook goes through the same pyxform conversion as an uploaded XLSForm (``xlsform.py``), so a
built form is stored, versioned, listed to phones and filled exactly like any other. Only the subset
the page offers is written: text, integer, decimal, date, select one / multiple, geopoint, photo and
note, with required, min/max for numbers and length limits or a pattern for text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook

from .webform_logic import parse_constraint
from .xforms import gettext_noop

#: Question types offered in the page -> XLSForm type (select types get their list name appended).
TYPES = {
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "select_one": "select_one",
    "select_multiple": "select_multiple",
    "geopoint": "geopoint",
    "image": "image",
    "note": "note",
}
NUMBER_TYPES = frozenset({"integer", "decimal"})
SELECT_TYPES = frozenset({"select_one", "select_multiple"})
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,59}$")
VERSION = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
#: Names the metadata and the XForm structure use; a question named so would be confusing or refused.
RESERVED = frozenset({"meta", "instanceid", "deprecatedid", "instancename", "audit"})
MAX_QUESTIONS = 200
MAX_CHOICES = 300
SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "constraint",
    "constraint_message",
    "parameters",
]
#: Collect scales photos down to this longest edge before storing them: less to send on weak networks.
PHOTO_MAX_PIXELS = 1600

MESSAGES = {
    "title_required": gettext_noop("Give the form a title."),
    "bad_form_id": gettext_noop(
        "Use letters, digits, “_”, “-” or “.” for the form ID, starting with a letter; at most 60 characters."
    ),
    "bad_version": gettext_noop("Use letters, digits, “_”, “-” or “.” for the version, without spaces."),
    "no_questions": gettext_noop("Add at least one question."),
    "too_many_questions": gettext_noop("A form built in the page may have at most %(limit)s questions."),
    "bad_type": gettext_noop("Choose a question type from the list."),
    "label_required": gettext_noop("Give the question a label: the text people read on the phone."),
    "bad_name": gettext_noop(
        "Use letters, digits, “_”, “-” or “.” for the name, starting with a letter; at most 60 characters."
    ),
    "reserved_name": gettext_noop("This name is reserved for the metadata of every record: choose another."),
    "duplicate_name": gettext_noop("Another question already has this name: names must be unique."),
    "choices_required": gettext_noop("List the choices, one per line."),
    "too_many_choices": gettext_noop("A question may have at most %(limit)s choices."),
    "numbers_only": gettext_noop("A minimum and a maximum apply to number questions only."),
    "text_only": gettext_noop("Length limits and a pattern apply to text questions only."),
    "min_above_max": gettext_noop("The minimum is larger than the maximum."),
    "whole_limits": gettext_noop("Use whole numbers as the limits of a whole-number question."),
    "bad_pattern": gettext_noop("This pattern is not a valid regular expression."),
    "pattern_quotes": gettext_noop("The pattern may contain single or double quotes, not both."),
}


@dataclass
class Question:
    type: str
    label: str
    name: str = ""
    hint: str = ""
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    #: Choice labels, one per line as typed; new ones get names made from them.
    choices: list[str] = field(default_factory=list)
    #: The stored value (XLSForm name) of each choice, parallel to ``choices``; "" for a new choice.
    #: Filled by ``carry_names`` from the version a new one is built from, so a renamed label keeps
    #: its stored value and the records of every version stay in one column with the same values.
    choice_names: list[str] = field(default_factory=list)
    #: Shown by the phone when the constraint refuses an answer (set by the caller, in its language).
    constraint_message: str = ""

    @property
    def has_number_limits(self) -> bool:
        return self.minimum is not None or self.maximum is not None

    @property
    def has_text_limits(self) -> bool:
        return self.min_length is not None or self.max_length is not None or bool(self.pattern)


@dataclass
class Definition:
    title: str
    form_id: str
    version: str
    questions: list[Question]


@dataclass
class Problem:
    """A refusal: ``code`` indexes MESSAGES; ``question`` is the index in the definition, or None."""

    code: str
    field: str
    question: int | None = None
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return MESSAGES[self.code]


def name_from(label: str, used: set[str], fallback: str = "q") -> str:
    """An XML name made from a label ("Tree height (m)" -> "tree_height_m"), unique among ``used``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:50] or fallback
    if not base[0].isalpha():
        base = f"{fallback.rstrip('0123456789')}_{base}"  # "2nd visit" -> "q_2nd_visit", as the page hints
    name, counter = base, 2
    while name.lower() in used or name.lower() in RESERVED:
        name = f"{base}_{counter}"
        counter += 1
    used.add(name.lower())
    return name


def complete(definition: Definition) -> Definition:
    """Fill in the names left empty (questions from their labels, the form ID from the title)."""
    if not definition.form_id.strip():
        definition.form_id = name_from(definition.title, set(), fallback="form")
    used = {q.name.strip().lower() for q in definition.questions if q.name.strip()}
    for index, question in enumerate(definition.questions, start=1):
        question.name = question.name.strip() or name_from(question.label, used, fallback=f"q{index}")
    return definition


def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


def match_choice_names(labels: list[str], previous: list[tuple[str, str]]) -> list[str]:
    """The stored value of each choice label of a new version, given the previous version's
    (name, label) pairs; "" for a new choice.

    A label found among the previous ones keeps its name, wherever it moved. A changed label is a
    renamed choice when that is certain: it keeps the name of the unmatched previous choice at its
    place, or of the only one left. When a choice was also removed, which one was renamed would be a
    guess, and a wrong guess would merge two different answers; the changed labels then get new
    values (records are split, never mixed up).
    """
    free = {}
    for name, label in previous:
        free.setdefault(_norm(label), name)
    names = [free.pop(_norm(label), "") if label.strip() else "" for label in labels]
    unmatched = set(free.values())
    renamed: dict[int, str] = {}
    for index, label in enumerate(labels):
        if not names[index] and label.strip() and index < len(previous) and previous[index][0] in unmatched:
            renamed[index] = previous[index][0]
            unmatched.discard(previous[index][0])
    left = [i for i, label in enumerate(labels) if label.strip() and not names[i] and i not in renamed]
    if len(left) == 1 and len(unmatched) == 1:
        renamed[left[0]] = unmatched.pop()
    if unmatched:
        return names
    for index, name in renamed.items():
        names[index] = name
    return names


def carry_names(definition: Definition, previous: Definition | None) -> Definition:
    """Keep the stored values of the choices of ``previous`` (the version a new one is built from)
    in each select question of the same name: only labels change unless a choice is new."""
    if previous is None:
        return definition
    before = {q.name.strip().lower(): q for q in previous.questions if q.type in SELECT_TYPES}
    for question in definition.questions:
        old = before.get(question.name.strip().lower())
        if question.type not in SELECT_TYPES or old is None:
            continue
        pairs = [(name, label) for name, label in zip(old.choice_names, old.choices, strict=False) if name]
        # Places count among the choices themselves: blank lines typed between them are not choices.
        question.choices = [c.strip() for c in question.choices if c.strip()]
        question.choice_names = match_choice_names(question.choices, pairs)
    return definition


def choice_rows(question: Question) -> list[tuple[str, str]]:
    """(name, label) of each choice: kept names first claimed, then new names made from labels."""
    labels = [c.strip() for c in question.choices]
    kept = question.choice_names + [""] * (len(labels) - len(question.choice_names))
    used = {n.lower() for n, label in zip(kept, labels, strict=False) if n and label}
    rows = []
    for label, name in zip(labels, kept, strict=False):
        if label:
            rows.append((name or name_from(label, used, fallback="c"), label))
    return rows


def _xpath_literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def constraint_of(question: Question) -> str:
    """The XLSForm constraint for the limits of a question ("" when it has none)."""
    parts = []
    if question.type in NUMBER_TYPES:
        if question.minimum is not None:
            parts.append(f". >= {_number(question.minimum)}")
        if question.maximum is not None:
            parts.append(f". <= {_number(question.maximum)}")
    elif question.type == "text":
        if question.min_length is not None:
            parts.append(f"string-length(.) >= {question.min_length}")
        if question.max_length is not None:
            parts.append(f"string-length(.) <= {question.max_length}")
        if question.pattern:
            parts.append(f"regex(., {_xpath_literal(question.pattern)})")
    return " and ".join(parts)


def _check_question(index: int, question: Question, seen: set[str]) -> list[Problem]:
    problems = []

    def refuse(code: str, field_name: str, **params: object) -> None:
        problems.append(Problem(code, field_name, index, dict(params)))

    if question.type not in TYPES:
        refuse("bad_type", "type")
    if not question.label.strip():
        refuse("label_required", "label")
    name = question.name.strip()
    if not NAME.match(name):
        refuse("bad_name", "name")
    elif name.lower() in RESERVED:
        refuse("reserved_name", "name")
    elif name.lower() in seen:
        refuse("duplicate_name", "name")
    seen.add(name.lower())
    if question.type in SELECT_TYPES:
        labels = [c.strip() for c in question.choices if c.strip()]
        if not labels:
            refuse("choices_required", "choices")
        elif len(labels) > MAX_CHOICES:
            refuse("too_many_choices", "choices", limit=MAX_CHOICES)
    if question.has_number_limits:
        if question.type not in NUMBER_TYPES:
            refuse("numbers_only", "minimum")
        elif None not in (question.minimum, question.maximum) and question.minimum > question.maximum:
            refuse("min_above_max", "minimum")
        elif question.type == "integer" and any(
            v is not None and v != v.to_integral_value() for v in (question.minimum, question.maximum)
        ):
            refuse("whole_limits", "minimum")
    if question.has_text_limits:
        if question.type != "text":
            refuse("text_only", "min_length")
        elif (
            None not in (question.min_length, question.max_length)
            and question.min_length > question.max_length
        ):
            refuse("min_above_max", "min_length")
    if question.pattern and question.type == "text":
        if "'" in question.pattern and '"' in question.pattern:
            refuse("pattern_quotes", "pattern")
        else:
            try:
                re.compile(question.pattern)
            except re.error:
                refuse("bad_pattern", "pattern")
    return problems


def check(definition: Definition) -> list[Problem]:
    """Every problem of a completed definition; an empty list means it can be written."""
    problems = []
    if not definition.title.strip():
        problems.append(Problem("title_required", "title"))
    if not NAME.match(definition.form_id.strip()):
        problems.append(Problem("bad_form_id", "form_id"))
    if definition.version and not VERSION.match(definition.version):
        problems.append(Problem("bad_version", "version"))
    if not definition.questions:
        problems.append(Problem("no_questions", "questions"))
    elif len(definition.questions) > MAX_QUESTIONS:
        problems.append(Problem("too_many_questions", "questions", params={"limit": MAX_QUESTIONS}))
    seen: set[str] = set()
    for index, question in enumerate(definition.questions):
        problems += _check_question(index, question, seen)
    return problems


def _append_text_row(sheet, values: list[object]) -> None:
    """A row whose cells are strings even when they start with "=": a label is never a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(definition: Definition) -> bytes:
    """The XLSForm workbook (survey, choices, settings) of a checked definition."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    choices = workbook.create_sheet("choices")
    settings = workbook.create_sheet("settings")
    _append_text_row(survey, SURVEY_COLUMNS)
    _append_text_row(choices, ["list_name", "name", "label"])
    for question in definition.questions:
        xls_type = TYPES[question.type]
        if question.type in SELECT_TYPES:
            xls_type = f"{xls_type} {question.name}"
            for name, label in choice_rows(question):
                _append_text_row(choices, [question.name, name, label])
        constraint = constraint_of(question)
        _append_text_row(
            survey,
            [
                xls_type,
                question.name,
                question.label.strip(),
                question.hint.strip(),
                "yes" if question.required and question.type != "note" else "",
                constraint,
                question.constraint_message if constraint else "",
                f"max-pixels={PHOTO_MAX_PIXELS}" if question.type == "image" else "",
            ],
        )
    _append_text_row(settings, ["form_title", "form_id", "version"])
    _append_text_row(settings, [definition.title.strip(), definition.form_id.strip(), definition.version])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


#: XLSForm types the conversion adds on its own: not questions of the builder, and added again anyway.
METADATA_TYPES = frozenset({"start", "end", "today", "deviceid", "username", "start-geopoint"})


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _sheet(workbook: Any, name: str) -> list[dict[str, str]]:
    if name not in workbook.sheetnames:
        return []
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [_cell(h) for h in rows[0]]
    return [dict(zip(header, map(_cell, row), strict=False)) for row in rows[1:]]


def _question_from(row: dict[str, str], choices: dict[str, list[tuple[str, str]]]) -> Question | None:
    parts = row.get("type", "").split()
    kind = parts[0] if parts else ""
    if kind not in TYPES or len(parts) != (2 if kind in SELECT_TYPES else 1):
        return None
    constraint = parse_constraint(row.get("constraint", ""))
    if constraint is None or any(op in (">", "<") for op, _n in constraint.bounds + constraint.lengths):
        return None
    return Question(
        type=kind,
        label=row.get("label", ""),
        name=row.get("name", ""),
        hint=row.get("hint", ""),
        required=row.get("required", "").lower() in ("yes", "true", "true()"),
        minimum=next((n for op, n in constraint.bounds if op == ">="), None),
        maximum=next((n for op, n in constraint.bounds if op == "<="), None),
        min_length=next((n for op, n in constraint.lengths if op == ">="), None),
        max_length=next((n for op, n in constraint.lengths if op == "<="), None),
        pattern=constraint.pattern,
        choices=[label for _name, label in choices.get(parts[1], [])] if kind in SELECT_TYPES else [],
        choice_names=[name for name, _label in choices.get(parts[1], [])] if kind in SELECT_TYPES else [],
    )


def from_xlsx(data: bytes) -> Definition | None:
    """The definition of a workbook the builder can show again (its own, or a simple XLSForm);
    None when it uses anything beyond the page's subset (other columns, types, logic, languages)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files; stored files were read once already
        return None
    survey = [row for row in _sheet(workbook, "survey") if any(row.values())]
    if not survey or any(column and column not in SURVEY_COLUMNS for column in survey[0]):
        return None
    choices: dict[str, list[tuple[str, str]]] = {}
    for row in _sheet(workbook, "choices"):
        if row.get("list_name") and row.get("label"):
            choices.setdefault(row["list_name"], []).append((row.get("name", ""), row["label"]))
    questions = []
    for row in survey:
        if row.get("type", "").strip() in METADATA_TYPES:
            continue
        question = _question_from(row, choices)
        if question is None:
            return None
        questions.append(question)
    settings = next(iter(_sheet(workbook, "settings")), {})
    return Definition(
        title=settings.get("form_title", ""),
        form_id=settings.get("form_id", ""),
        version=settings.get("version", ""),
        questions=questions,
    )
