"""The small part of XForm logic the offline web form evaluates, free of Django.

Constraints: conjunctions (``and``) of ``. >= 1.5``, ``string-length(.) <= 20`` and
``regex(., '^[A-Z]{2}$')``. Relevance: ``${q} = 'value'``, ``${q} != 'value'``, ``${q} > 3``,
``selected(${q}, 'v')`` and ``not(selected(${q}, 'v'))``, joined by ``and`` or by ``or`` (not both).
Anything else returns None and the form needs ODK Collect. The browser (webform.js) evaluates the
same parsed terms; the server evaluates them again when the record arrives, and its answer counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

NUMBER = r"-?\d+(?:\.\d+)?"
LITERAL = r"'([^']*)'|\"([^\"]*)\""
OPERATORS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
VALUE_BOUND = re.compile(rf"^\.\s*(>=|<=|>|<)\s*({NUMBER})$")
LENGTH_BOUND = re.compile(r"^string-length\(\s*\.\s*\)\s*(>=|<=|>|<)\s*(\d{1,6})$")
REGEX = re.compile(rf"^regex\(\s*\.\s*,\s*(?:{LITERAL})\s*\)$")
PATH = r"(/[A-Za-z_][A-Za-z0-9_.\-/]*)"
COMPARE = re.compile(rf"^{PATH}\s*(=|!=|>=|<=|>|<)\s*(?:{LITERAL}|({NUMBER}))$")
SELECTED = re.compile(rf"^(not\(\s*)?selected\(\s*{PATH}\s*,\s*(?:{LITERAL})\s*\)(?(1)\s*\))$")
CONNECTOR = re.compile(r"\s+(and|or)\s+")


@dataclass
class Constraint:
    #: [(operator, number)] on the answer as a number.
    bounds: list[tuple[str, Decimal]] = field(default_factory=list)
    #: [(operator, count)] on the answer's length in characters.
    lengths: list[tuple[str, int]] = field(default_factory=list)
    pattern: str = ""

    def allows(self, value: str, number: Decimal | None = None) -> bool:
        """True when ``value`` (and its number, for number questions) meets every term."""
        if self.bounds and (number is None or not all(OPERATORS[op](number, b) for op, b in self.bounds)):
            return False
        if not all(OPERATORS[op](len(value), n) for op, n in self.lengths):
            return False
        return not self.pattern or re.search(self.pattern, value) is not None


def _split(text: str) -> tuple[str, list[str]] | None:
    """("and" | "or", terms) of an expression joined by one kind of connector, None if mixed."""
    connectors = set(CONNECTOR.findall(text))
    if len(connectors) > 1:
        return None
    return (connectors.pop() if connectors else "and"), [t.strip() for t in CONNECTOR.split(text)[::2]]


def parse_constraint(text: str) -> Constraint | None:
    """The constraint's terms, or None when it uses anything beyond the subset."""
    constraint = Constraint()
    text = (text or "").strip()
    if not text:
        return constraint
    split = _split(text)
    if split is None or split[0] != "and":
        return None
    for term in split[1]:
        if match := VALUE_BOUND.match(term):
            constraint.bounds.append((match.group(1), Decimal(match.group(2))))
        elif match := LENGTH_BOUND.match(term):
            constraint.lengths.append((match.group(1), int(match.group(2))))
        elif (match := REGEX.match(term)) and not constraint.pattern:
            pattern = match.group(1) if match.group(1) is not None else match.group(2)
            try:
                re.compile(pattern)
            except re.error:
                return None
            constraint.pattern = pattern
        else:
            return None
    return constraint


@dataclass(frozen=True)
class Term:
    op: str  # "=", "!=", ">", ">=", "<", "<=", "selected", "not-selected"
    path: str  # relative to the form's root, as the answers are keyed
    value: str
    numeric: bool = False


@dataclass
class Relevance:
    join: str
    terms: list[Term]

    def holds(self, answers: dict[str, str]) -> bool:
        results = [_holds(t, answers.get(t.path) or "") for t in self.terms]
        return all(results) if self.join == "and" else any(results)

    def as_json(self) -> dict[str, Any]:
        return {
            "join": self.join,
            "terms": [
                {"op": t.op, "path": t.path, "value": t.value, "numeric": t.numeric} for t in self.terms
            ],
        }


def _holds(term: Term, answer: str) -> bool:
    if term.op in ("selected", "not-selected"):
        return (term.value in answer.split()) == (term.op == "selected")
    if term.numeric:
        # As in XPath: an empty or non-numeric answer compares false with any number.
        try:
            number = Decimal(answer)
        except InvalidOperation:
            return False
        return number.is_finite() and OPERATORS[term.op](number, Decimal(term.value))
    if term.op not in ("=", "!="):
        return False
    return OPERATORS[term.op](answer, term.value)


def parse_relevant(text: str, root: str) -> Relevance | None:
    """The condition of a ``relevant`` bind, paths made relative to ``/root/``; None beyond the subset."""
    split = _split((text or "").strip())
    if split is None:
        return None
    prefix = f"/{root}/"
    terms = []
    for term in split[1]:
        if match := COMPARE.match(term):
            path, op = match.group(1), match.group(2)
            literal = next((g for g in match.group(3, 4) if g is not None), None)
            numeric = literal is None
            value = match.group(5) if numeric else literal
            if not numeric and op not in ("=", "!="):
                return None
        elif match := SELECTED.match(term):
            path = match.group(2)
            op = "not-selected" if match.group(1) else "selected"
            value = next(g for g in match.group(3, 4) if g is not None)
            numeric = False
        else:
            return None
        if not path.startswith(prefix):
            return None
        terms.append(Term(op=op, path=path.removeprefix(prefix), value=value or "", numeric=numeric))
    return Relevance(join=split[0], terms=terms)
