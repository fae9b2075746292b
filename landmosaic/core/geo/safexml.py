"""XML parsing for KML and GPX that refuses DTDs and entities (billion laughs, external entities)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from landmosaic.core.geo.messages import BoundaryError


def parse_xml(*, data: bytes, filename: str, corrupt_code: str) -> Element:
    """Root element, or BoundaryError: xml_forbidden for DTD/entities, corrupt_code for broken XML."""
    try:
        # forbid_dtd: a boundary file never needs a DOCTYPE, so refuse it before any expansion.
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BoundaryError("xml_forbidden", filename=filename) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise BoundaryError(corrupt_code, filename=filename, line=line, column=column) from exc
    except (ValueError, LookupError) as exc:  # unknown encoding declarations
        raise BoundaryError(corrupt_code, filename=filename, line=1, column=1) from exc


def local_name(element: Element) -> str:
    """Tag without namespace, so KML 2.2, Google's 2.x namespaces and no namespace read alike."""
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child) == name]


def descendants(element: Element, name: str) -> list[Element]:
    return [child for child in element.iter() if local_name(child) == name]
