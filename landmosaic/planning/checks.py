"""Inclusion checks of a stakeholder register: the gaps a facilitator should look at.

Each check reads plain records (no database) and says, in the user's language, what is missing.
A passed check is not a verdict on inclusion; a failed one is a prompt to look again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .analysis import MANAGE_CLOSELY, quadrant
from .models import PARTICIPATION_RANK, Group, Participation, Sector

#: "Very influential" for the private-sector check: 4 or 5 of 5.
VERY_INFLUENTIAL = 4


@dataclass(frozen=True)
class Record:
    name: str
    sector: str
    influence: int
    interest: int
    participation: str
    represents: frozenset[str]


@dataclass(frozen=True)
class CheckResult:
    code: str
    ok: bool
    label: str
    message: str
    #: Stakeholders the message is about (those who satisfy the check, or those to look at).
    names: tuple[str, ...] = ()


def _represent(records: list[Record], group: str) -> tuple[str, ...]:
    return tuple(r.name for r in records if group in r.represents)


def inclusion_checks(records: Iterable[Record]) -> list[CheckResult]:
    """Every check, in a stable order; ``ok`` is False where the register shows a gap."""
    records = list(records)
    results = []

    def add(code: str, label: str, found: tuple[str, ...], gap: str) -> None:
        results.append(
            CheckResult(code=code, ok=bool(found), label=label, message="" if found else gap, names=found)
        )

    add(
        "women",
        _("Women's groups"),
        _represent(records, Group.WOMEN),
        _("No women's group: no stakeholder is marked as representing women."),
    )
    add(
        "youth",
        _("Youth organisations"),
        _represent(records, Group.YOUTH),
        _("No youth organisation: no stakeholder is marked as representing young people."),
    )
    add(
        "indigenous",
        _("Indigenous peoples"),
        _represent(records, Group.INDIGENOUS),
        _(
            "No Indigenous peoples' representation. If Indigenous peoples live in or use the landscape, "
            "their own representatives should take part."
        ),
    )
    add(
        "smallholders",
        _("Smallholders"),
        _represent(records, Group.SMALLHOLDERS),
        _("No stakeholder represents smallholder farmers, fishers or forest users."),
    )
    add(
        "government",
        _("Government"),
        tuple(r.name for r in records if r.sector == Sector.PUBLIC),
        _("No government stakeholder: no local or national authority or public agency is registered."),
    )
    add(
        "community",
        _("Community organisations"),
        tuple(r.name for r in records if r.sector == Sector.COMMUNITY),
        _("No community organisation is registered."),
    )

    involve = PARTICIPATION_RANK[Participation.INVOLVE]
    influential_private = [
        r for r in records if r.sector == Sector.PRIVATE and r.influence >= VERY_INFLUENTIAL
    ]
    engaged = tuple(r.name for r in influential_private if PARTICIPATION_RANK[r.participation] >= involve)
    if engaged:
        results.append(CheckResult("private_engaged", True, _("Private sector engaged"), "", engaged))
    else:
        looked_at = tuple(r.name for r in influential_private)
        message = (
            _(
                "No influential private-sector stakeholder is involved: those with influence 4 or 5 are only "
                "informed or consulted. Consider involving them."
            )
            if looked_at
            else _(
                "No private-sector stakeholder with high influence (4 or 5) is engaged at the level "
                "“involve” or above."
            )
        )
        results.append(CheckResult("private_engaged", False, _("Private sector engaged"), message, looked_at))

    only_informed = tuple(
        r.name
        for r in records
        if quadrant(r.influence, r.interest) == MANAGE_CLOSELY and r.participation == Participation.INFORM
    )
    results.append(
        CheckResult(
            "key_players_engaged",
            not only_informed,
            _("Key players engaged"),
            _(
                "Some key players (high influence and high interest) are only informed: consider involving "
                "them."
            )
            if only_informed
            else "",
            only_informed,
        )
    )
    return results


def gap_count(results: Iterable[CheckResult]) -> int:
    return sum(1 for r in results if not r.ok)
