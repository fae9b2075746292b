"""Forms of the planning app's pages."""

from .actions import ActionForm, ReportForm, StrategyForm
from .agreement import AgreementForm, SignatoryForm, SignOffForm
from .monitoring import ComputedSourceForm, ComputeForm, IndicatorForm, MeasurementForm
from .register import (
    SCORE_CHOICES,
    EvidenceForm,
    OutputNotesForm,
    OutputStatusForm,
    RelationForm,
    StakeholderForm,
    StakeholderImportForm,
)
from .strategy import GoalForm, ObjectiveForm, VisionForm, ZoneForm

__all__ = [
    "SCORE_CHOICES",
    "ActionForm",
    "AgreementForm",
    "ComputeForm",
    "ComputedSourceForm",
    "EvidenceForm",
    "GoalForm",
    "IndicatorForm",
    "MeasurementForm",
    "ObjectiveForm",
    "OutputNotesForm",
    "OutputStatusForm",
    "RelationForm",
    "ReportForm",
    "SignOffForm",
    "SignatoryForm",
    "StakeholderForm",
    "StakeholderImportForm",
    "StrategyForm",
    "VisionForm",
    "ZoneForm",
]
