"""Reading XForms and OpenRosa submission instances, free of Django.

Every document goes through defusedxml with DTDs refused: a form or a submission never needs a
DOCTYPE, so entity expansion (billion laughs) and external entities are stopped before parsing.
Elements are matched by local name, so ``orx:meta`` and ``meta`` read alike.
"""

from __future__ import annotations

import math
import re
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
    root = parse(xml)
    head = root.find(f"{H}head")
    model = head.find(f"{XF}model") if head is not None else None
    instance = model.find(f"{XF}instance") if model is not None else None
    data = next(iter(instance), None) if instance is not None else None
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
    root = parse(xml)
    head = root.find(f"{H}head")
    model = head.find(f"{XF}model") if head is not None else None
    instance = model.find(f"{XF}instance") if model is not None else None
    data = next(iter(instance), None) if instance is not None else None
    body = root.find(f"{H}body")
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
