"""Writes of the scenarios app: sets, their legend and tables, scenarios and interventions, runs.

Every service checks the caller's permission first, validates everything before it writes, and
writes in one transaction, so a refused change leaves nothing behind.
"""

from ._common import HINDCAST_JOB, RUN_JOB, max_cells, max_years
from .running import scenario_run_cancel, scenario_run_execute, scenario_run_now, scenario_run_start
from .scenarios import (
    INTERVENTION_KINDS,
    MAX_INTERVENTIONS,
    clean_intervention,
    intervention_add,
    intervention_remove,
    scenario_create,
    scenario_delete,
    scenario_update,
)
from .sets import (
    SET_FIELDS,
    scenario_set_change,
    scenario_set_create,
    scenario_set_delete,
    scenario_set_hindcast_execute,
    scenario_set_hindcast_start,
    scenario_set_import_table,
    scenario_set_update,
    scenario_set_update_drivers,
    scenario_set_update_legend,
    scenario_set_update_no_change,
    scenario_set_update_report_zones,
    scenario_set_update_table,
)

__all__ = [
    "HINDCAST_JOB",
    "INTERVENTION_KINDS",
    "MAX_INTERVENTIONS",
    "RUN_JOB",
    "SET_FIELDS",
    "clean_intervention",
    "intervention_add",
    "intervention_remove",
    "max_cells",
    "max_years",
    "scenario_create",
    "scenario_delete",
    "scenario_run_cancel",
    "scenario_run_execute",
    "scenario_run_now",
    "scenario_run_start",
    "scenario_set_change",
    "scenario_set_create",
    "scenario_set_delete",
    "scenario_set_hindcast_execute",
    "scenario_set_hindcast_start",
    "scenario_set_import_table",
    "scenario_set_update",
    "scenario_set_update_drivers",
    "scenario_set_update_legend",
    "scenario_set_update_no_change",
    "scenario_set_update_report_zones",
    "scenario_set_update_table",
    "scenario_update",
]
