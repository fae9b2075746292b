"""Writes for the planning app: dashboard, stakeholder register, agreement, strategy, actions, monitoring."""

from ._common import UNSET
from .actions import action_delete, action_report, action_save, strategy_delete, strategy_save
from .agreement import (
    agreement_publish,
    agreement_version_create,
    sign_off_record,
    signatory_add,
    signatory_remove,
)
from .computed import (
    COMPUTE_JOB,
    computed_source_delete,
    computed_source_save,
    measurement_compute,
    measurement_compute_run,
)
from .monitoring import indicator_delete, indicator_save, measurement_add, measurement_delete
from .outputs import MAX_EVIDENCE, output_evidence_add, output_evidence_remove, output_update
from .report import EXPORT_JOB, PlanExport, plan_export, plan_export_build, plan_export_url
from .stakeholders import (
    STAKEHOLDER_FIELDS,
    relation_create,
    relation_delete,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_update,
)
from .strategy import (
    goal_delete,
    goal_save,
    objective_delete,
    objective_save,
    vision_agree,
    vision_save,
    zone_delete,
    zone_save,
)
from .transfer import ImportResult, stakeholder_export_csv, stakeholder_export_xlsx, stakeholder_import

__all__ = [
    "COMPUTE_JOB",
    "EXPORT_JOB",
    "MAX_EVIDENCE",
    "STAKEHOLDER_FIELDS",
    "UNSET",
    "ImportResult",
    "PlanExport",
    "action_delete",
    "action_report",
    "action_save",
    "agreement_publish",
    "agreement_version_create",
    "computed_source_delete",
    "computed_source_save",
    "goal_delete",
    "goal_save",
    "indicator_delete",
    "indicator_save",
    "measurement_add",
    "measurement_compute",
    "measurement_compute_run",
    "measurement_delete",
    "objective_delete",
    "objective_save",
    "output_evidence_add",
    "output_evidence_remove",
    "output_update",
    "plan_export",
    "plan_export_build",
    "plan_export_url",
    "relation_create",
    "relation_delete",
    "sign_off_record",
    "signatory_add",
    "signatory_remove",
    "stakeholder_create",
    "stakeholder_delete",
    "stakeholder_export_csv",
    "stakeholder_export_xlsx",
    "stakeholder_import",
    "stakeholder_update",
    "strategy_delete",
    "strategy_save",
    "vision_agree",
    "vision_save",
    "zone_delete",
    "zone_save",
]
