"""Import and export of the stakeholder register as CSV or XLSX: all rows or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from landmosaic.accounts.models import Organisation, User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from .. import csvio, xlsxio
from ..models import Group, Participation, Sector, Stakeholder, register_subject

#: Problems listed in the answer; the count says how many there are in all.
MAX_PROBLEMS_SHOWN = 100
_SCORE = re.compile(r"^\d+(\.0+)?$")
_LIST_SEPARATORS = re.compile(r"[;,|]")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _lookup(choices: type) -> dict[str, str]:
    """Codes and labels (in English and the user's language), lower-cased, to codes."""
    table = {}
    for code, label in choices.choices:
        table[code.lower()] = code
        table[str(label).lower()] = code
        with translation.override("en"):
            table[str(label).lower()] = code
    return table


def _problem(row: int, column: str, message: str) -> str:
    return _("Row %(row)d, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def _organisations(rows: list[tuple[int, dict[str, str]]]) -> dict[str, int]:
    wanted = {values.get("organisation", "").strip() for _n, values in rows} - {""}
    if not wanted:
        return {}
    lowered = {w.lower() for w in wanted}
    found = Organisation.objects.annotate(lname=Lower("name")).filter(
        Q(slug__in=wanted) | Q(lname__in=lowered)
    )
    table = {}
    for pk, slug, name in found.values_list("pk", "slug", "name"):
        table[slug.lower()] = pk
        table[name.lower()] = pk
    return table


@transaction.atomic
def stakeholder_import(*, actor: User, landscape: Landscape, data: bytes, filename: str = "") -> ImportResult:
    """Add or update stakeholders from a CSV or XLSX file; rows are matched to the register by name.

    Every row is checked before anything is stored: one bad row refuses the whole file, with a
    message per problem that names the spreadsheet row and column.
    """
    permissions.check(actor, "change", register_subject(landscape))
    rows, problems = csvio.read(data)
    if not rows and not problems:
        raise ValidationFailed(_("The file has a header but no stakeholders."), code="empty")
    existing = {s.name.lower(): s for s in Stakeholder.objects.filter(landscape=landscape)}
    organisations = _organisations(rows)
    sectors, levels, groups = _lookup(Sector), _lookup(Participation), _lookup(Group)
    seen: dict[str, int] = {}
    to_create: list[Stakeholder] = []
    to_update: list[Stakeholder] = []
    for number, values in rows:
        row_problems: list[str] = []
        name = values.get("name", "")
        if not name:
            row_problems.append(_problem(number, "name", _("A name is needed.")))
        elif name.lower() in seen:
            row_problems.append(
                _problem(
                    number,
                    "name",
                    _("“%(name)s” is already on row %(row)d.") % {"name": name, "row": seen[name.lower()]},
                )
            )
        else:
            seen[name.lower()] = number
        stakeholder = existing.get(name.lower()) or Stakeholder(landscape=landscape, created_by=actor)
        stakeholder.name = name
        for column, table in (("sector", sectors), ("participation", levels)):
            if column in values:
                text = values[column]
                code = table.get(text.lower())
                if code is None:
                    row_problems.append(
                        _problem(
                            number,
                            column,
                            _("“%(value)s” is not one of: %(choices)s.")
                            % {"value": text, "choices": ", ".join(dict.fromkeys(table.values()))},
                        )
                    )
                setattr(stakeholder, column, code or "")
        if not stakeholder.participation:
            stakeholder.participation = Participation.INFORM
        for column in ("influence", "interest"):
            if column in values:
                text = values[column]
                if _SCORE.match(text) and 1 <= int(float(text)) <= 5:
                    setattr(stakeholder, column, int(float(text)))
                else:
                    row_problems.append(
                        _problem(
                            number,
                            column,
                            _("“%(value)s” is not a whole number from 1 to 5.") % {"value": text},
                        )
                    )
        if "represents" in values:
            chosen = []
            for text in (t.strip() for t in _LIST_SEPARATORS.split(values["represents"])):
                if not text:
                    continue
                if text.lower() in groups:
                    chosen.append(groups[text.lower()])
                else:
                    row_problems.append(
                        _problem(
                            number,
                            "represents",
                            _("“%(value)s” is not one of: %(choices)s.")
                            % {"value": text, "choices": ", ".join(Group.values)},
                        )
                    )
            stakeholder.represents = list(dict.fromkeys(chosen))
        if "organisation" in values:
            text = values["organisation"]
            stakeholder.organisation_id = organisations.get(text.lower()) if text else None
            if text and stakeholder.organisation_id is None:
                row_problems.append(
                    _problem(
                        number,
                        "organisation",
                        _(
                            "No organisation “%(value)s” on the platform; leave the cell empty or add it "
                            "first."
                        )
                        % {"value": text},
                    )
                )
        for column in ("type", "role", "contact"):
            if column in values:
                setattr(stakeholder, column, values[column])
        if not row_problems:
            try:
                stakeholder.full_clean(
                    exclude=["landscape", "created_by", "organisation"], validate_constraints=False
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    row_problems.extend(_problem(number, field, str(m)) for m in messages)
        problems.extend(row_problems)
        if not row_problems:
            (to_update if stakeholder.pk else to_create).append(stakeholder)
    if problems:
        raise ValidationFailed(
            ngettext(
                "The file was not imported because of %(count)d problem. Nothing was stored.",
                "The file was not imported because of %(count)d problems. Nothing was stored.",
                len(problems),
            )
            % {"count": len(problems)},
            code="invalid_rows",
            details={"rows": problems[:MAX_PROBLEMS_SHOWN]},
        )
    Stakeholder.objects.bulk_create(to_create)
    Stakeholder.objects.bulk_update(
        to_update,
        [
            "name",
            "organisation",
            "sector",
            "type",
            "role",
            "contact",
            "influence",
            "interest",
            "participation",
            "represents",
        ],
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="stakeholder_register",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Stakeholders imported from {filename[:100] or 'a file'}: "
        f"{len(to_create)} added, {len(to_update)} updated",
    )
    return ImportResult(created=len(to_create), updated=len(to_update))


def _export_rows(actor: User, landscape: Landscape, fmt: str) -> list[tuple[object, ...]]:
    """The register's rows (codes, not labels, so that the file imports back); the export is audited."""
    permissions.check(actor, "export", register_subject(landscape))
    stakeholders = (
        Stakeholder.objects.filter(landscape=landscape).select_related("organisation").order_by("name")
    )
    rows = [
        (
            s.name,
            s.organisation.slug if s.organisation else "",
            s.sector,
            s.type,
            s.role,
            s.contact,
            s.influence,
            s.interest,
            s.participation,
            "; ".join(s.represents),
        )
        for s in stakeholders
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="stakeholder_register",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Stakeholder register exported as {fmt} ({len(rows)} rows)",
    )
    return rows


def stakeholder_export_csv(*, actor: User, landscape: Landscape) -> str:
    """The register as CSV text (members)."""
    return csvio.write(_export_rows(actor, landscape, "CSV"))


def stakeholder_export_xlsx(*, actor: User, landscape: Landscape) -> bytes:
    """The register as an Excel workbook (members); it imports back like the CSV."""
    return xlsxio.write(csvio.COLUMNS, _export_rows(actor, landscape, "XLSX"))
