from django.urls import path

from .views import actions, agreement, monitoring, plan, report, stakeholders, strategy

app_name = "planning"

PLAN = "landscapes/<slug:slug>/plan/"

urlpatterns = [
    path(PLAN, plan.dashboard, name="dashboard"),
    path(f"{PLAN}outputs/<str:code>/", plan.output, name="output"),
    path(
        f"{PLAN}outputs/<str:code>/evidence/<int:evidence_id>/remove/",
        plan.evidence_remove,
        name="evidence_remove",
    ),
    path(f"{PLAN}stakeholders/", stakeholders.register, name="stakeholders"),
    path(f"{PLAN}stakeholders/new/", stakeholders.stakeholder_create, name="stakeholder_create"),
    path(f"{PLAN}stakeholders/grid/", stakeholders.grid, name="grid"),
    path(f"{PLAN}stakeholders/relations/", stakeholders.relations, name="relations"),
    path(
        f"{PLAN}stakeholders/relations/<int:relation_id>/delete/",
        stakeholders.relation_delete,
        name="relation_delete",
    ),
    path(f"{PLAN}stakeholders/import/", stakeholders.import_csv, name="import"),
    path(f"{PLAN}stakeholders/export.csv", stakeholders.export_csv, name="export"),
    path(f"{PLAN}stakeholders/export.xlsx", stakeholders.export_xlsx, name="export_xlsx"),
    path(f"{PLAN}stakeholders/<int:stakeholder_id>/", stakeholders.stakeholder_detail, name="stakeholder"),
    path(
        f"{PLAN}stakeholders/<int:stakeholder_id>/edit/",
        stakeholders.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        f"{PLAN}stakeholders/<int:stakeholder_id>/delete/",
        stakeholders.stakeholder_delete,
        name="stakeholder_delete",
    ),
    # Partnership agreement (1.2)
    path(f"{PLAN}agreement/", agreement.agreement, name="agreement"),
    path(f"{PLAN}agreement/edit/", agreement.agreement_edit, name="agreement_edit"),
    path(f"{PLAN}agreement/sign/", agreement.agreement_sign, name="agreement_sign"),
    path(f"{PLAN}agreement/signatories/", agreement.signatory_add, name="signatory_add"),
    path(
        f"{PLAN}agreement/signatories/<int:signatory_id>/remove/",
        agreement.signatory_remove,
        name="signatory_remove",
    ),
    path(f"{PLAN}agreement/versions/<int:number>/", agreement.agreement_version, name="agreement_version"),
    path(f"{PLAN}agreement/versions/<int:number>/print/", agreement.agreement_print, name="agreement_print"),
    path(
        f"{PLAN}agreement/versions/<int:number>/publish/",
        agreement.agreement_publish,
        name="agreement_publish",
    ),
    # Vision and strategy (3.1, 3.2)
    path(f"{PLAN}vision/", strategy.vision, name="vision"),
    path(f"{PLAN}vision/edit/", strategy.vision_edit, name="vision_edit"),
    path(f"{PLAN}vision/image/", strategy.vision_image, name="vision_image"),
    path(f"{PLAN}vision/agree/", strategy.vision_agree, name="vision_agree"),
    path(f"{PLAN}zones/new/", strategy.zone_form, name="zone_create"),
    path(f"{PLAN}zones/<int:zone_id>/edit/", strategy.zone_form, name="zone_edit"),
    path(f"{PLAN}goals/new/", strategy.goal_form, name="goal_create"),
    path(f"{PLAN}goals/<int:goal_id>/edit/", strategy.goal_form, name="goal_edit"),
    path(f"{PLAN}objectives/new/", strategy.objective_form, name="objective_create"),
    path(f"{PLAN}objectives/<int:objective_id>/edit/", strategy.objective_form, name="objective_edit"),
    path(
        f"{PLAN}<str:kind>/<int:pk>/remove/",
        strategy.strategy_delete,
        name="strategy_delete",
    ),
    # Action plan and tracker (3.4, 4.2)
    path(f"{PLAN}actions/", actions.actions, name="actions"),
    path(f"{PLAN}actions/map/", actions.actions_map, name="actions_map"),
    path(f"{PLAN}actions/new/", actions.action_form, name="action_create"),
    path(f"{PLAN}actions/<int:action_id>/", actions.action, name="action"),
    path(f"{PLAN}actions/<int:action_id>/edit/", actions.action_form, name="action_edit"),
    path(f"{PLAN}actions/<int:action_id>/delete/", actions.action_delete, name="action_delete"),
    path(f"{PLAN}tracker/", actions.tracker, name="tracker"),
    path(f"{PLAN}strategies/new/", actions.strategy_form, name="strategy_create"),
    path(f"{PLAN}strategies/<int:strategy_id>/edit/", actions.strategy_form, name="strategy_edit"),
    path(f"{PLAN}strategies/<int:strategy_id>/delete/", actions.strategy_delete, name="strategy_remove"),
    # Indicators and results (5.1, 5.2)
    path(f"{PLAN}indicators/", monitoring.indicators, name="indicators"),
    path(f"{PLAN}indicators/new/", monitoring.indicator_form, name="indicator_create"),
    path(f"{PLAN}indicators/<int:indicator_id>/", monitoring.indicator, name="indicator"),
    path(f"{PLAN}indicators/<int:indicator_id>/edit/", monitoring.indicator_form, name="indicator_edit"),
    path(
        f"{PLAN}indicators/<int:indicator_id>/delete/", monitoring.indicator_delete, name="indicator_delete"
    ),
    path(
        f"{PLAN}indicators/<int:indicator_id>/source/", monitoring.indicator_source, name="indicator_source"
    ),
    path(
        f"{PLAN}indicators/<int:indicator_id>/source/remove/",
        monitoring.indicator_source_delete,
        name="indicator_source_delete",
    ),
    path(
        f"{PLAN}indicators/<int:indicator_id>/compute/",
        monitoring.indicator_compute,
        name="indicator_compute",
    ),
    path(
        f"{PLAN}measurements/<int:measurement_id>/delete/",
        monitoring.measurement_delete,
        name="measurement_delete",
    ),
    path(f"{PLAN}results/", monitoring.results, name="results"),
    # The whole plan: printable page and exports (reports)
    path(f"{PLAN}print/", report.plan_print, name="plan_print"),
    path(f"{PLAN}export.<str:fmt>", report.plan_export, name="plan_export"),
]
