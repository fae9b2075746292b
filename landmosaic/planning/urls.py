from django.urls import path

from .views import plan, stakeholders

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
]
