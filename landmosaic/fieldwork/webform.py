"""The offline web form: read the subset of an XForm a browser can fill, and write its instance XML.

Free of Django, like xforms.py. Supported questions: text, integer, decimal, date, select_one,
select_multiple (inline items or a plain itemset), geopoint, image and note, with ``required``,
constraints and simple ``relevant`` conditions of the subset read by ``webform_logic``. Anything
else (repeats, calculations, choice filters, other types, relevance on groups) makes the form
"needs ODK Collect".
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from .webform_logic import Constraint, Relevance, parse_constraint, parse_relevant
from .xforms import JR, XF, H, child, local, parse, parse_geopoint, xform_parts

TYPES = {"string": "text", "int": "integer", "decimal": "decimal", "date": "date", "geopoint": "geopoint"}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic")


def gettext_noop(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    "required": gettext_noop("This question must be answered."),
    "integer": gettext_noop("Enter a whole number."),
    "decimal": gettext_noop("Enter a number."),
    "date": gettext_noop("Enter a date as YYYY-MM-DD."),
    "choice": gettext_noop("Choose one of the options."),
    "geopoint": gettext_noop("Enter a latitude between -90 and 90 and a longitude between -180 and 180."),
    "image": gettext_noop("Attach the photo again: the file did not arrive."),
    "constraint": gettext_noop("This answer is not allowed by the form."),
    "too_long": gettext_noop("This answer is too long."),
}


@dataclass
class Question:
    path: str
    kind: str
    label: str = ""
    hint: str = ""
    required: bool = False
    readonly: bool = False
    #: [(operator, number)] of the constraint, for number questions.
    bounds: list[tuple[str, Decimal]] = field(default_factory=list)
    #: [(operator, count)] on the length, and a regular expression, for text questions.
    lengths: list[tuple[str, int]] = field(default_factory=list)
    pattern: str = ""
    constraint_message: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    group: str = ""
    #: Shown (and answered) only when this holds; None when always.
    relevant: Relevance | None = None
    #: For photos: the longest edge in pixels the form asks for (``max-pixels``), 0 when it does not.
    max_pixels: int = 0

    @property
    def constraint(self) -> Constraint:
        return Constraint(bounds=self.bounds, lengths=self.lengths, pattern=self.pattern)

    @property
    def relevant_json(self) -> str:
        """The condition for webform.js ("" when always shown)."""
        return json.dumps(self.relevant.as_json()) if self.relevant is not None else ""

    @property
    def lengths_json(self) -> str:
        return json.dumps([[op, n] for op, n in self.lengths]) if self.lengths else ""

    @property
    def name(self) -> str:
        return self.path.replace("/", "-")

    @property
    def min(self) -> str:
        return next((str(n) for op, n in self.bounds if op == ">="), "")

    @property
    def max(self) -> str:
        return next((str(n) for op, n in self.bounds if op == "<="), "")


@dataclass
class WebForm:
    root: str
    questions: list[Question]
    #: Labels (or paths) of the questions the browser cannot fill.
    unsupported: list[str]

    @property
    def supported(self) -> bool:
        return not self.unsupported


def _texts(model: Element) -> dict[str, str]:
    itext = model.find(f"{XF}itext")
    translations = itext.findall(f"{XF}translation") if itext is not None else []
    if not translations:
        return {}
    chosen = next((t for t in translations if t.get("default")), translations[0])
    texts = {}
    for text in chosen.findall(f"{XF}text"):
        values = [v for v in text.findall(f"{XF}value") if not v.get("form")]
        if values:
            texts[text.get("id", "")] = "".join(values[0].itertext()).strip()
    return texts


def _text_of(element: Element | None, texts: dict[str, str]) -> str:
    if element is None:
        return ""
    match = re.match(r"jr:itext\('([^']+)'\)", element.get("ref", ""))
    if match:
        return texts.get(match.group(1), "")
    return "".join(element.itertext()).strip()


def _choices(control: Element, model: Element, texts: dict[str, str]) -> list[tuple[str, str]] | None:
    """[(value, label)] of a select, or None when they come from a filter or an external file."""
    items = [i for i in control if local(i) == "item"]
    if items:
        return [((child(i, "value").text or "").strip(), _text_of(child(i, "label"), texts)) for i in items]
    itemset = child(control, "itemset")
    if itemset is None:
        return None
    match = re.fullmatch(r"instance\('([^']+)'\)/root/item", itemset.get("nodeset", ""))
    value_ref = child(itemset, "value")
    label_ref = child(itemset, "label")
    if match is None or value_ref is None or label_ref is None:
        return None
    instance = next((i for i in model.findall(f"{XF}instance") if i.get("id") == match.group(1)), None)
    if instance is None or instance.get("src"):
        return None
    value_name = value_ref.get("ref", "name")
    label_ref_text = label_ref.get("ref", "label")
    itext_ref = re.fullmatch(r"jr:itext\((\w+)\)", label_ref_text)
    choices = []
    for item in instance.iter(f"{XF}item"):
        value = child(item, value_name)
        if itext_ref:
            label_el = child(item, itext_ref.group(1))
            label = texts.get((label_el.text or "").strip(), "") if label_el is not None else ""
        else:
            label_el = child(item, label_ref_text)
            label = "".join(label_el.itertext()).strip() if label_el is not None else ""
        choices.append(((value.text or "").strip() if value is not None else "", label))
    return choices


def read_webform(xml: str | bytes) -> WebForm:
    """The questions of a form in order, and those the web form cannot show."""
    parts = xform_parts(xml)
    model, data, body = parts.model, parts.data, parts.body
    if model is None or data is None or body is None:
        return WebForm(root="", questions=[], unsupported=["?"])
    prefix = f"/{local(data)}/"
    texts = _texts(model)
    binds = {b.get("nodeset", ""): b for b in model.findall(f"{XF}bind")}
    questions: list[Question] = []
    unsupported: list[str] = []

    for nodeset, bind in binds.items():
        # Hidden calculations need an XPath engine: Collect's job.
        if bind.get("calculate"):
            unsupported.append(nodeset.removeprefix(prefix))
    # Relevance on a question in the subset is evaluated here; any other (groups…) needs Collect.
    pending_relevant = {n for n, b in binds.items() if b.get("relevant") and not b.get("calculate")}

    def walk(parent: Element, group: str) -> None:
        for control in parent:
            tag = local(control)
            ref = control.get("ref") or control.get("nodeset") or ""
            label = _text_of(child(control, "label"), texts)
            if tag in ("label", "hint"):
                continue
            if tag == "group":
                walk(control, label or group)
                continue
            path = ref.removeprefix(prefix)
            bind = binds.get(ref, Element("bind"))
            kind = ""
            if tag == "input":
                kind = (
                    "note" if bind.get("readonly") == "true()" else TYPES.get(bind.get("type", "string"), "")
                )
            elif tag in ("select1", "select"):
                kind = "select_one" if tag == "select1" else "select_multiple"
            elif tag == "upload" and bind.get("type") == "binary" and control.get("mediatype") == "image/*":
                kind = "image"
            choices = _choices(control, model, texts) if kind.startswith("select") else []
            constraint = parse_constraint(bind.get("constraint", ""))
            relevant = parse_relevant(bind.get("relevant", ""), local(data)) if bind.get("relevant") else None
            if (
                not kind
                or not ref.startswith(prefix)
                or choices is None
                or not _constraint_fits(kind, constraint)
                or (bind.get("relevant") and relevant is None)
            ):
                unsupported.append(label or path or tag)
                pending_relevant.discard(ref)
                continue
            pending_relevant.discard(ref)
            questions.append(
                Question(
                    path=path,
                    kind=kind,
                    label=label or path,
                    hint=_text_of(child(control, "hint"), texts),
                    required=bind.get("required") == "true()",
                    readonly=kind == "note",
                    bounds=constraint.bounds,
                    lengths=constraint.lengths,
                    pattern=constraint.pattern,
                    relevant=relevant,
                    max_pixels=_max_pixels(bind) if kind == "image" else 0,
                    constraint_message=bind.get(f"{JR}constraintMsg", ""),
                    choices=choices,
                    group=group,
                )
            )

    walk(body, "")
    unsupported += sorted(n.removeprefix(prefix) for n in pending_relevant)
    return WebForm(root=local(data), questions=questions, unsupported=unsupported)


def _constraint_fits(kind: str, constraint: Constraint | None) -> bool:
    """Number bounds on number questions, lengths and patterns on text; anything else needs Collect."""
    if constraint is None:
        return False
    if constraint.bounds and kind not in ("integer", "decimal"):
        return False
    return not ((constraint.lengths or constraint.pattern) and kind != "text")


def _max_pixels(bind: Element) -> int:
    value = next((v for k, v in bind.attrib.items() if k.endswith("max-pixels")), "")
    return int(value) if value.isdigit() and 0 < int(value) <= 20000 else 0


# --- Answers to instance XML ----------------------------------------------------------------------


class AnswersInvalid(Exception):
    """{path: [message code]} for every answer refused."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _number(raw: str, kind: str) -> tuple[str, Decimal]:
    if kind == "integer":
        # XForms' int is 32-bit: a larger value would pass here and fail the record's check later.
        if not re.fullmatch(r"-?\d{1,10}", raw) or not -(2**31) <= int(raw) < 2**31:
            raise ValueError("integer")
        return str(int(raw)), Decimal(raw)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError("decimal") from None
    if not number.is_finite() or len(raw) > 40:
        raise ValueError("decimal")
    return raw, number


def clean_answer(question: Question, raw: Any, file_names: set[str]) -> str:
    """The answer as the XForm stores it ("" when empty); ValueError(message code) when refused."""
    if isinstance(raw, list):
        values = [str(v).strip() for v in raw if str(v).strip()]
    else:
        values = [str(raw).strip()] if raw not in (None, "") and str(raw).strip() else []
    if not values:
        if question.required:
            raise ValueError("required")
        return ""
    value = values[0]
    kind = question.kind
    if kind == "text":
        if len(value) > 10000:
            raise ValueError("too_long")
        if not question.constraint.allows(value):
            raise ValueError("constraint")
        return value
    if kind in ("integer", "decimal"):
        text, number = _number(value, kind)
        if not question.constraint.allows(text, number):
            raise ValueError("constraint")
        return text
    if kind == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError("date") from None
    if kind in ("select_one", "select_multiple"):
        allowed = {v for v, _label in question.choices}
        chosen = values if kind == "select_multiple" else values[:1]
        if any(v not in allowed for v in chosen):
            raise ValueError("choice")
        return " ".join(dict.fromkeys(chosen))
    if kind == "geopoint":
        parts = value.split()
        point = parse_geopoint(value)
        try:
            extra = [float(p) for p in parts[2:4]]
        except ValueError:
            point = None
        if point is None or len(parts) > 4 or not all(math.isfinite(x) for x in extra):
            raise ValueError("geopoint")
        return " ".join(parts)
    if kind == "image":
        if value not in file_names or not value.lower().endswith(IMAGE_SUFFIXES):
            raise ValueError("image")
        return value
    return ""


def _strip(element: Element) -> Element:
    """A copy of the instance template without namespaces, attributes other than id/version, or text."""
    copied = Element(local(element), {k: v for k, v in element.attrib.items() if k in ("id", "version")})
    for item in element:
        copied.append(_strip(item))
    return copied


def _node(root: Element, path: str) -> Element:
    current = root
    for part in path.split("/"):
        found = child(current, part)
        current = found if found is not None else SubElement(current, part)
    return current


def instance_xml(
    xform: str | bytes, webform: WebForm, answers: dict[str, str], meta: dict[str, str]
) -> bytes:
    """The submission instance: the form's primary instance filled with cleaned answers and metadata.

    ``meta`` holds instanceID and the preloads (start, end, today, deviceid, username); the same
    inputs always give the same bytes, so a resent record is recognised as the same record.
    """
    root = parse(xform)
    model = root.find(f"{H}head/{XF}model")
    data = next(iter(model.find(f"{XF}instance")))  # type: ignore[union-attr, arg-type]
    instance = _strip(copy.deepcopy(data))
    for path, value in answers.items():
        _node(instance, path).text = value
    preloads = {
        bind.get("nodeset", "").removeprefix(f"/{webform.root}/"): bind.get(f"{JR}preloadParams", "")
        for bind in model.findall(f"{XF}bind")  # type: ignore[union-attr]
        if bind.get(f"{JR}preload") in ("timestamp", "date", "property")
    }
    for path, name in preloads.items():
        if meta.get(name):
            _node(instance, path).text = meta[name]
    _node(instance, "meta/instanceID").text = meta["instanceID"]
    return b"<?xml version='1.0' encoding='UTF-8' ?>" + tostring(
        instance, encoding="utf-8", xml_declaration=False
    )
