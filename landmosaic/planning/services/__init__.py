"""Writes for the planning app: the ILM dashboard and the stakeholder register."""

from ._common import UNSET
from .outputs import MAX_EVIDENCE, output_evidence_add, output_evidence_remove, output_update
from .stakeholders import (
    STAKEHOLDER_FIELDS,
    relation_create,
    relation_delete,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_update,
)
from .transfer import ImportResult, stakeholder_export_csv, stakeholder_import

__all__ = [
    "MAX_EVIDENCE",
    "STAKEHOLDER_FIELDS",
    "UNSET",
    "ImportResult",
    "output_evidence_add",
    "output_evidence_remove",
    "output_update",
    "relation_create",
    "relation_delete",
    "stakeholder_create",
    "stakeholder_delete",
    "stakeholder_export_csv",
    "stakeholder_import",
    "stakeholder_update",
]
