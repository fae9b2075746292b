from django.urls import path

from .views import drivers, runs, scenarios, sets

app_name = "scenarios"

BASE = "landscapes/<slug:slug>/scenarios/"
SET = f"{BASE}<int:set_id>/"
SCENARIO = f"{SET}s/<int:scenario_id>/"
RUN = f"{BASE}runs/<int:run_id>/"

urlpatterns = [
    path(BASE, sets.set_list, name="list"),
    path(f"{BASE}new/", sets.set_new, name="set_new"),
    path(SET, sets.set_detail, name="set"),
    path(f"{SET}edit/", sets.set_edit, name="set_edit"),
    path(f"{SET}legend/", sets.legend, name="legend"),
    path(f"{SET}drivers/", sets.drivers, name="drivers"),
    path(f"{SET}drivers/derived/", drivers.derived_driver, name="derived_driver"),
    path(f"{SET}no-change/", sets.no_change, name="no_change"),
    path(f"{SET}zones/", sets.report_zones, name="report_zones"),
    path(f"{SET}hindcast/", sets.hindcast, name="hindcast"),
    path(f"{SET}tables/<str:table>/", sets.table_edit, name="table"),
    path(f"{SET}tables/<str:table>/import/", sets.table_import, name="table_import"),
    path(f"{SET}tables/<str:table>.csv", sets.table_export, name="table_export"),
    path(f"{SET}delete/", sets.set_delete, name="set_delete"),
    path(f"{SET}new/", scenarios.scenario_new, name="scenario_new"),
    path(SCENARIO, scenarios.scenario_detail, name="scenario"),
    path(f"{SCENARIO}edit/", scenarios.scenario_edit, name="scenario_edit"),
    path(f"{SCENARIO}interventions/", scenarios.intervention_add, name="intervention_add"),
    path(
        f"{SCENARIO}interventions/<int:index>/remove/",
        scenarios.intervention_remove,
        name="intervention_remove",
    ),
    path(f"{SCENARIO}delete/", scenarios.scenario_delete, name="scenario_delete"),
    path(f"{SCENARIO}run/", scenarios.run_start, name="run_start"),
    path(RUN, runs.run_detail, name="run"),
    path(f"{RUN}cancel/", runs.run_cancel, name="run_cancel"),
    path(f"{RUN}results/", runs.results_page, name="results"),
    path(f"{RUN}indicators.csv", runs.indicators_csv, name="indicators_csv"),
]
