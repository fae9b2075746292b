"""Reading XForms and OpenRosa submission instances, free of Django.

Every document goes through defusedxml with DTDs refused: a form or a submission never needs a
DOCTYPE, so entity expansion (billion laughs) and external entities are stopped before parsing.
Elements are matched by local name, so ``orx:meta`` and ``meta`` read alike.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


def gettext_noop(message: str) -> str:
    """Mark a string for extraction; translation happens in the Django layer."""
    return message


MESSAGES: dict[str, str] = {
    "xml_forbidden": gettext_noop(
        "The submission contains XML declarations (DOCTYPE or ENTITY) that are refused for security "
        "reasons. Submit it from ODK Collect, KoboCollect or the web form, which do not add them."
    ),
    "xml_invalid": gettext_noop(
        "The submission is not valid XML: it breaks at line %(line)s, column %(column)s. "
        "The upload may have been interrupted; send it again."
    ),
    "no_form_id": gettext_noop(
        "The submission does not say which form it belongs to (no id attribute on its root element)."
    ),
    "no_instance_id": gettext_noop(
        "The submission has no instance ID (meta/instanceID). Update the form on the phone and fill it again."
    ),
    "instance_id_too_long": gettext_noop("The instance ID of the submission is longer than 100 characters."),
    # A record that does not fit its form version (see check_instance): the first problem, by path.
    "unknown_element": gettext_noop(
        "This record does not match its form: %(path)s is not a question of this version of the form. "
        "Download the form again and fill it in anew."
    ),
    "appears_twice": gettext_noop(
        "This record does not match its form: %(path)s appears twice; only repeat groups may appear "
        "more than once."
    ),
    "not_int": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a whole number."
    ),
    "int_out_of_range": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is outside the range of a whole "
        "number question (from -2147483648 to 2147483647)."
    ),
    "long_out_of_range": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is outside the range of a long "
        "whole number question (from -9223372036854775808 to 9223372036854775807)."
    ),
    "not_decimal": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a decimal number."
    ),
    "not_date": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a date (YYYY-MM-DD)."
    ),
    "not_datetime": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a date and time."
    ),
    "not_time": gettext_noop("This record does not match its form: %(path)s: “%(value)s” is not a time."),
    "not_geopoint": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a location "
        "(“latitude longitude altitude accuracy”, latitude from -90 to 90, longitude from -180 to 180)."
    ),
    "not_geoline": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not a list of locations "
        "separated by “;”."
    ),
    "not_choice": gettext_noop(
        "This record does not match its form: %(path)s: “%(value)s” is not one of the question's choices."
    ),
}

#: XForm namespaces that the form reader needs.
XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
JR = "{http://openrosa.org/javarosa}"

MEDIA_REF = re.compile(r"jr://(?:images|audio|video|file|file-csv)/([^\"'<>\s)]+)")
PRELOADS = {
    ("timestamp", "start"): "start",
    ("timestamp", "end"): "end",
    ("date", "today"): "today",
    ("property", "deviceid"): "deviceid",
    ("property", "username"): "username",
}


class XMLRefused(Exception):
    """A document that cannot be accepted; ``code`` indexes MESSAGES, ``params`` fill it."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def template(self) -> str:
        return MESSAGES[self.code]

    @property
    def error_code(self) -> str:
        """The code the API and OpenRosa answers carry (several messages may share one)."""
        return self.code


class FormMismatch(XMLRefused):
    """A record whose elements or values do not fit its form version; ``path`` names the first."""

    @property
    def error_code(self) -> str:
        return "form_mismatch"


def parse(data: bytes | str) -> Element:
    """Root element of a document; XMLRefused for DTDs/entities or broken XML."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XMLRefused("xml_forbidden") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise XMLRefused("xml_invalid", line=line, column=column) from exc
    except (ValueError, LookupError) as exc:  # unknown encoding declarations
        raise XMLRefused("xml_invalid", line=1, column=1) from exc


def local(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local(item) == name:
            return item
    return None


# --- XForms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XFormParts:
    """The parts of an XForm every reader starts from (each None when the form lacks it)."""

    root: Element
    head: Element | None
    model: Element | None
    data: Element | None  # the primary instance's root element
    body: Element | None


def xform_parts(xml: str | bytes) -> XFormParts:
    root = parse(xml)
    head = root.find(f"{H}head")
    model = head.find(f"{XF}model") if head is not None else None
    instance = model.find(f"{XF}instance") if model is not None else None
    data = next(iter(instance), None) if instance is not None else None
    return XFormParts(root=root, head=head, model=model, data=data, body=root.find(f"{H}body"))


@dataclass(frozen=True)
class Field:
    """One question or metadata node of a form: its path under the root (``group/question``)."""

    path: str
    type: str
    label: str = ""
    in_repeat: bool = False
    preload: str = ""

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class XFormSchema:
    form_id: str
    version: str
    title: str
    root: str
    fields: list[Field] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)

    def meta_paths(self) -> dict[str, str]:
        """{"start": path, "end": path, "today": …, "deviceid": …, "username": …} for the preloads found."""
        found: dict[str, str] = {}
        for f in self.fields:
            if f.preload and f.preload not in found and not f.in_repeat:
                found[f.preload] = f.path
        return found

    def geopoint_paths(self) -> list[str]:
        """Geopoint questions outside repeats, in form order (questions before the appended metadata)."""
        return [f.path for f in self.fields if f.type == "geopoint" and not f.in_repeat]

    def binary_paths(self) -> list[str]:
        return [f.path for f in self.fields if f.type == "binary"]

    def columns(self) -> list[Field]:
        """The questions that make one column each: outside repeats, not the instance ID."""
        return [
            f
            for f in self.fields
            if not f.in_repeat and f.path not in ("meta/instanceID", "meta/deprecatedID")
        ]


def _itext(model: Element) -> dict[str, str]:
    """Labels of the default (or first) translation: {text id: text}."""
    itext = model.find(f"{XF}itext")
    if itext is None:
        return {}
    translations = itext.findall(f"{XF}translation")
    if not translations:
        return {}
    chosen = next((t for t in translations if t.get("default")), translations[0])
    texts = {}
    for text in chosen.findall(f"{XF}text"):
        values = [v for v in text.findall(f"{XF}value") if not v.get("form")]
        if values:
            texts[text.get("id", "")] = "".join(values[0].itertext()).strip()
    return texts


def _labels(body: Element | None, itext: dict[str, str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    if body is None:
        return labels
    for element in body.iter():
        ref = element.get("ref") or element.get("nodeset")
        if not ref or ref in labels:
            continue
        label = child(element, "label")
        if label is None:
            continue
        reference = label.get("ref", "")
        match = re.match(r"jr:itext\('([^']+)'\)", reference)
        text = itext.get(match.group(1), "") if match else "".join(label.itertext()).strip()
        labels[ref] = text
    return labels


def read_xform(xml: str | bytes) -> XFormSchema:
    """Form id, version, title, questions and referenced media files of an XForm."""
    parts = xform_parts(xml)
    root, head, model, data = parts.root, parts.head, parts.model, parts.data
    if model is None or data is None:
        raise XMLRefused("xml_invalid", line=1, column=1)
    title_el = head.find(f"{H}title")
    root_name = local(data)
    body = root.find(f"{H}body")
    repeats = []
    if body is not None:
        for element in body.iter(f"{XF}repeat"):
            nodeset = element.get("nodeset", "")
            repeats.append(nodeset.removeprefix(f"/{root_name}/"))
    labels = _labels(body, _itext(model))
    fields = []
    for bind in model.findall(f"{XF}bind"):
        nodeset = bind.get("nodeset", "")
        if not nodeset.startswith(f"/{root_name}/"):
            continue
        path = nodeset.removeprefix(f"/{root_name}/")
        preload = PRELOADS.get((bind.get(f"{JR}preload", ""), bind.get(f"{JR}preloadParams", "")), "")
        fields.append(
            Field(
                path=path,
                type=bind.get("type", "string"),
                label=labels.get(nodeset, ""),
                in_repeat=any(path == r or path.startswith(f"{r}/") for r in repeats),
                preload=preload,
            )
        )
    text = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml
    media = sorted(set(MEDIA_REF.findall(text)))
    return XFormSchema(
        form_id=data.get("id", ""),
        version=data.get("version", ""),
        title="".join(title_el.itertext()).strip() if title_el is not None else "",
        root=root_name,
        fields=fields,
        repeats=repeats,
        media=media,
    )


def repeat_labels(xml: str | bytes) -> dict[str, str]:
    """{repeat path: label} of an XForm's repeat groups (the label of the group around each repeat)."""
    parts = xform_parts(xml)
    model, data, body = parts.model, parts.data, parts.body
    if model is None or data is None or body is None:
        return {}
    labels = _labels(body, _itext(model))
    prefix = f"/{local(data)}/"
    return {
        nodeset.removeprefix(prefix): labels.get(nodeset, "")
        for element in body.iter(f"{XF}repeat")
        if (nodeset := element.get("nodeset", ""))
    }


# --- Submissions -----------------------------------------------------------------------------


@dataclass
class SubmissionDocument:
    """What the server needs from a submission instance before matching it to a form."""

    root: Element
    root_name: str
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str


def _meta_value(root: Element, name: str) -> str:
    meta = child(root, "meta")
    value = child(meta, name) if meta is not None else None
    return (value.text or "").strip() if value is not None else ""


def read_submission(data: bytes) -> SubmissionDocument:
    """Parse a submission and read its form id, version, instanceID and deprecatedID."""
    root = parse(data)
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise XMLRefused("no_form_id")
    # Briefcase puts the instance ID on the root when the meta block is absent.
    instance_id = _meta_value(root, "instanceID") or (root.get("instanceID") or "").strip()
    if not instance_id:
        raise XMLRefused("no_instance_id")
    if len(instance_id) > 100:
        raise XMLRefused("instance_id_too_long")
    return SubmissionDocument(
        root=root,
        root_name=local(root),
        form_id=form_id,
        version=(root.get("version") or "").strip(),
        instance_id=instance_id,
        deprecated_id=_meta_value(root, "deprecatedID")[:100],
    )


def _find(element: Element, path: str) -> Element | None:
    current: Element | None = element
    for part in path.split("/"):
        if current is None:
            return None
        current = child(current, part)
    return current


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip()


def innermost_repeat(path: str, repeats: list[str]) -> str:
    """The deepest repeat that contains ``path`` ("" when none); a repeat does not contain itself."""
    containing = [r for r in repeats if path != r and path.startswith(f"{r}/")]
    return max(containing, key=len, default="")


def _scope_values(scope: Element, scope_path: str, schema: XFormSchema) -> dict[str, Any]:
    """Answers of one scope (the root, or one occurrence of a repeat), nested repeats as row lists."""
    prefix = f"{scope_path}/" if scope_path else ""
    values: dict[str, Any] = {}
    for f in schema.fields:
        if f.path in schema.repeats or innermost_repeat(f.path, schema.repeats) != scope_path:
            continue
        relative = f.path.removeprefix(prefix)
        values[relative] = _text(_find(scope, relative))
    for repeat in schema.repeats:
        if innermost_repeat(repeat, schema.repeats) != scope_path:
            continue
        relative = repeat.removeprefix(prefix)
        parent_path, _sep, name = relative.rpartition("/")
        parent = _find(scope, parent_path) if parent_path else scope
        occurrences = [item for item in parent if local(item) == name] if parent is not None else []
        values[relative] = [_scope_values(item, repeat, schema) for item in occurrences]
    return values


def values_of(root: Element, schema: XFormSchema) -> dict[str, Any]:
    """{path: text} for every field outside repeats; {repeat path: [{relative path: text}]} for repeats.

    A repeat inside a repeat is a list inside each row of the outer one, keyed by its relative path.
    """
    return _scope_values(root, "", schema)


def referenced_files(root: Element) -> set[str]:
    """Every leaf text that could name an attachment (binary answers, audit files)."""
    names = set()
    for element in root.iter():
        if len(element) == 0 and element.text:
            text = element.text.strip()
            if text and len(text) <= 255 and "/" not in text and "\\" not in text:
                names.add(text)
    return names


def parse_geopoint(value: str | None) -> tuple[float, float] | None:
    """(lon, lat) from an ODK geopoint "lat lon [altitude accuracy]", or None if absent or impossible."""
    if not value:
        return None
    parts = value.split()
    if len(parts) < 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


# --- Matching a record to its form version ------------------------------------------------------
#
# A record may carry only the elements of its form version's instance (groups and repeats nested as
# in the form), each value fitting its bind type (whole numbers within the type's range) and, for
# selects whose choices are in the form itself, one of those choices. Only repeats may occur more than
# once under the same parent; the meta block's children occur once too. The shape is read once per
# version (the caller caches it): checking a record walks its elements once with dictionary look-ups
# and one set per group, so it costs microseconds.

_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?"
_TIME_RE = re.compile(_TIME)
_DATETIME = re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}T{_TIME}")
#: pyxform's itemsets: ``instance('list')/root/item`` with an optional choice filter predicate.
_ITEMSET = re.compile(r"\s*instance\('([^']+)'\)/root/item\s*(?:\[.*\])?\s*", re.S)


def _is_int(value: str) -> bool:
    return _INT.fullmatch(value) is not None


def _in_range(value: str, low: int, high: int) -> bool:
    """A whole number (already matched by _INT) between ``low`` and ``high``; leading zeros allowed."""
    digits = value.lstrip("+-").lstrip("0")
    if len(digits) > 19:  # beyond any range here; also keeps int() off huge strings
        return False
    number = int(digits or "0")
    return low <= (-number if value.startswith("-") else number) <= high


def _is_decimal(value: str) -> bool:
    return _DECIMAL.fullmatch(value) is not None and math.isfinite(float(value))


def _fits(pattern: re.Pattern[str], parse: Callable[[str], object], value: str) -> bool:
    """``value`` has the XForm's shape (``pattern``) and is a real moment (``parse`` accepts it)."""
    if pattern.fullmatch(value) is None:
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    return _fits(_DATE, datetime.date.fromisoformat, value)


def _is_datetime(value: str) -> bool:
    return _fits(_DATETIME, datetime.datetime.fromisoformat, value)


def _is_time(value: str) -> bool:
    return _fits(_TIME_RE, datetime.time.fromisoformat, value)


def _is_geopoint(value: str) -> bool:
    """ODK's "lat lon [altitude [accuracy]]", in range, accuracy not negative."""
    parts = value.split()
    if not 2 <= len(parts) <= 4:
        return False
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return False
    if not all(math.isfinite(n) for n in numbers):
        return False
    lat, lon = numbers[0], numbers[1]
    accuracy_ok = len(numbers) < 4 or numbers[3] >= 0
    return -90 <= lat <= 90 and -180 <= lon <= 180 and accuracy_ok


def _is_geoline(value: str) -> bool:
    """Geotraces and geoshapes: geopoints separated by ";" (a trailing ";" is tolerated)."""
    points = [p for p in (part.strip() for part in value.split(";")) if p]
    return bool(points) and all(_is_geopoint(p) for p in points)


#: Bind type -> (check, message code); types not listed (string, binary, barcode…) take any text.
TYPE_CHECKS: dict[str, tuple[Any, str]] = {
    "int": (_is_int, "not_int"),
    "integer": (_is_int, "not_int"),
    "long": (_is_int, "not_int"),
    "short": (_is_int, "not_int"),
    "decimal": (_is_decimal, "not_decimal"),
    "double": (_is_decimal, "not_decimal"),
    "float": (_is_decimal, "not_decimal"),
    "date": (_is_date, "not_date"),
    "dateTime": (_is_datetime, "not_datetime"),
    "time": (_is_time, "not_time"),
    "geopoint": (_is_geopoint, "not_geopoint"),
    "geotrace": (_is_geoline, "not_geoline"),
    "geoshape": (_is_geoline, "not_geoline"),
}

#: Bind type -> (lowest, highest, message code) of whole numbers. JavaRosa reads int, integer and
#: short as a 32-bit int, and long as a 64-bit one: a value beyond it cannot be stored by Collect.
INT_RANGES: dict[str, tuple[int, int, str]] = {
    "int": (-(2**31), 2**31 - 1, "int_out_of_range"),
    "integer": (-(2**31), 2**31 - 1, "int_out_of_range"),
    "short": (-(2**31), 2**31 - 1, "int_out_of_range"),
    "long": (-(2**63), 2**63 - 1, "long_out_of_range"),
}


@dataclass(slots=True)
class Node:
    """One element of a form's instance: its children by name, and what its value must be."""

    children: dict[str, Node] = field(default_factory=dict)
    repeat: bool = False
    #: Anything below is accepted: the meta block, where Collect adds instanceName, audit, entities…
    open: bool = False
    check: Any = None
    code: str = ""
    #: The choices a select's value must be among; None when they are not known statically.
    choices: frozenset[str] | None = None
    multiple: bool = False
    #: (lowest, highest, message code) for whole number questions.
    bounds: tuple[int, int, str] | None = None


def _shape_of(element: Element, path: str, repeats: set[str], into: Node) -> None:
    seen: set[str] = set()
    for item in element:
        name = local(item)
        if not name:
            continue
        item_path = f"{path}/{name}"
        node = into.children.get(name)
        if node is None:  # a repeat's template and its first occurrence both appear: merge them
            node = into.children[name] = Node(
                repeat=item_path in repeats or item.get(f"{JR}template") is not None
            )
        if name in seen:  # a form that repeats a node itself lets its records do the same
            node.repeat = True
        seen.add(name)
        _shape_of(item, item_path, repeats, node)


def _static_choices(select: Element, model: Element) -> frozenset[str] | None:
    """The choice values of a select1/select, or None if they come from a file, a search or elsewhere."""
    if "search(" in (select.get("appearance") or ""):
        return None  # search() fills choices from a CSV on the phone; the form's items are placeholders
    itemset = select.find(f"{XF}itemset")
    if itemset is None:
        values = [_text(item.find(f"{XF}value")) or "" for item in select.findall(f"{XF}item")]
        return frozenset(values) if values else None
    match = _ITEMSET.fullmatch(itemset.get("nodeset", ""))
    value = itemset.find(f"{XF}value")
    ref = value.get("ref", "") if value is not None else ""
    if match is None or not ref or not re.fullmatch(r"[\w.-]+", ref):
        return None
    instance = next((i for i in model.findall(f"{XF}instance") if i.get("id") == match.group(1)), None)
    if instance is None or instance.get("src"):
        return None  # select_one_from_file, entity lists: known only on the phone
    root = next(iter(instance), None)
    if root is None:
        return None
    return frozenset(_text(item.find(f"{XF}{ref}")) or "" for item in root if local(item) == "item")


def read_shape(xml: str | bytes) -> Node:
    """The shape a record of this XForm may take: its instance tree with types and static choices."""
    parts = xform_parts(xml)
    root, model, data = parts.root, parts.model, parts.data
    if model is None or data is None:
        raise XMLRefused("xml_invalid", line=1, column=1)
    root_path = f"/{local(data)}"
    body = root.find(f"{H}body")
    repeats = {e.get("nodeset", "") for e in body.iter(f"{XF}repeat")} if body is not None else set()
    shape = Node()
    _shape_of(data, root_path, repeats, shape)
    shape.children.setdefault("meta", Node())
    shape.children["meta"].open = True

    def node_at(nodeset: str) -> Node | None:
        if not nodeset.startswith(f"{root_path}/"):
            return None
        node: Node | None = shape
        for part in nodeset[len(root_path) + 1 :].split("/"):
            node = node.children.get(part) if node is not None else None
        return node

    for bind in model.findall(f"{XF}bind"):
        node = node_at(bind.get("nodeset", ""))
        if node is not None and not node.children:
            node.check, node.code = TYPE_CHECKS.get(bind.get("type", "string"), (None, ""))
            node.bounds = INT_RANGES.get(bind.get("type", ""))
    if body is not None:
        for tag, multiple in (("select1", False), ("select", True)):
            for select in body.iter(f"{XF}{tag}"):
                node = node_at(select.get("ref", ""))
                if node is not None and not node.children:
                    node.choices, node.multiple = _static_choices(select, model), multiple
    return shape


def _segment(parent: Element, item: Element, name: str, repeat: bool) -> str:
    if not repeat:
        return name
    index = [other for other in parent if local(other) == name].index(item) + 1
    return f"{name}[{index}]"


def _value_problem(node: Node, value: str) -> str:
    """The message code of what is wrong with a non-empty value, or ""."""
    if node.check is not None and not node.check(value):
        return node.code
    if node.bounds is not None and not _in_range(value, node.bounds[0], node.bounds[1]):
        return node.bounds[2]
    if node.choices is not None:
        chosen = value.split() if node.multiple else [value]
        if any(c not in node.choices for c in chosen):
            return "not_choice"
    return ""


def _repeated_child(element: Element) -> str | None:
    """The first child name of ``element`` that occurs a second time, or None."""
    seen: set[str] = set()
    for item in element:
        name = local(item)
        if name in seen:
            return name
        seen.add(name)
    return None


def _first_problem(element: Element, node: Node) -> tuple[str, str, str] | None:
    """(path below ``element``, message code, value) of the first element that does not fit."""
    # Parsers read one occurrence of a non-repeat element: a second one would be silently lost.
    seen: set[str] = set()
    for item in element:
        name = local(item)
        if not name:
            continue
        sub = node.children.get(name)
        if sub is None:
            return name, "unknown_element", ""
        if not sub.repeat:
            if name in seen:
                return name, "appears_twice", ""
            seen.add(name)
        if sub.open:  # any element below, but ODK sends each of the meta block's children once
            repeated = _repeated_child(item)
            if repeated:
                return f"{name}/{repeated}", "appears_twice", ""
            continue
        if sub.children or len(item):
            found = _first_problem(item, sub)
            if found is not None:
                path, code, value = found
                return f"{_segment(element, item, name, sub.repeat)}/{path}", code, value
            continue
        if sub.check is None and sub.choices is None:
            continue
        value = (item.text or "").strip()
        if value and (code := _value_problem(sub, value)):
            return _segment(element, item, name, sub.repeat), code, value
    return None


def check_instance(root: Element, shape: Node) -> None:
    """FormMismatch naming the first element of a record that is not in its form, that occurs twice
    without being a repeat, or whose value does not fit the question's type, range or choices. Empty
    values, attributes and what is inside the meta block's children pass."""
    found = _first_problem(root, shape)
    if found is not None:
        path, code, value = found
        shown = value if len(value) <= 60 else f"{value[:60]}…"
        raise FormMismatch(code, path=f"/{local(root)}/{path}", value=shown)
