"""Miradi's XMPZ2 schema (revision 212) as RELAX NG, to validate the plan's Miradi export in tests.

``Xmpz2Schema.rnc`` is Miradi's schema (GPL-3.0, see README.md), ``Xmpz2Schema.rng`` the same converted to
RELAX NG's XML syntax, which lxml loads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA = Path(__file__).with_name("Xmpz2Schema.rng")


@cache
def _schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def miradi_errors(xml: bytes) -> list[str]:
    """What Miradi's schema finds wrong with a project XML (empty when it conforms)."""
    schema = _schema()
    if schema.validate(etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def assert_valid_miradi(xml: bytes) -> None:
    errors = miradi_errors(xml)
    assert not errors, "\n".join(errors[:20])
