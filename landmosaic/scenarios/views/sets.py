"""Scenario sets: the list of a landscape, a new set from two maps, the set's page with its legend and
tables (edited in the page or imported as CSV), its settings, and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, NotFound

from .. import selectors, services, tables
from ..forms import (
    TABLE_LABELS,
    DriverForm,
    HindcastForm,
    LegendForm,
    NoChangeForm,
    ReportZonesForm,
    ScenarioForm,
    ScenarioSetCreateForm,
    ScenarioSetEditForm,
    TableForm,
    TableImportForm,
)
from ..messages import warning_texts
from ..models import ClassRole
from ._common import form_error, powers
from .drivers import derived_driver_form


def set_list(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    sets = list(selectors.scenario_set_list(actor=request.user, landscape=landscape))
    can = powers(request.user, landscape)
    context = {
        "landscape": landscape,
        "sets": sets,
        "can": can,
        "rasters": selectors.raster_choices(actor=request.user, landscape=landscape)
        if "add_content" in can["landscape"]
        else [],
    }
    return render(request, "scenarios/list.html", context)


@login_required
def set_new(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    permissions.check(request.user, "add_content", landscape)
    rasters = selectors.raster_choices(actor=request.user, landscape=landscape)
    form = ScenarioSetCreateForm(request.POST or None, rasters=rasters)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                scenario_set = services.scenario_set_create(
                    actor=request.user,
                    landscape=landscape,
                    title=data["title"],
                    description=data["description"],
                    t0_dataset_id=data["t0_dataset"],
                    t1_dataset_id=data["t1_dataset"],
                    t0_year=data["t0_year"],
                    t1_year=data["t1_year"],
                    horizon_years=data["horizon_years"],
                    legend_product=data["legend_product"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("Scenario set created. Check the legend and the carbon table next.")
                )
                return redirect(scenario_set.get_absolute_url())
        status = 400
    context = {"landscape": landscape, "form": form, "rasters": rasters}
    return render(request, "scenarios/set_new.html", context, status=status)


def _set_context(request: HttpRequest, scenario_set, **extra) -> dict:
    user = request.user
    can = set(permissions.allowed_actions(user, scenario_set))
    legend = scenario_set.legend
    names = {int(e["code"]): e["name"] for e in legend}
    editable = "change" in can
    scenarios = selectors.scenario_list(actor=user, scenario_set=scenario_set)
    latest = selectors.latest_runs(actor=user, scenario_set=scenario_set)
    context = {
        "landscape": scenario_set.landscape,
        "scenario_set": scenario_set,
        "can": can,
        "scenarios": [(s, latest.get(s.pk)) for s in scenarios],
        "warnings": warning_texts(scenario_set.warnings),
        "legend": [{**e, "role_label": ClassRole(e["role"]).label} for e in legend],
        "pools_zero": not any(
            any(float(r.get(c) or 0) for c in tables.POOLS.columns[1:]) for r in scenario_set.carbon_pools
        ),
        "pools_rows": _table_rows(scenario_set.carbon_pools, tables.POOLS, names),
        "coefficient_rows": _table_rows(scenario_set.coefficients, tables.COEFFICIENTS, names),
        "pool_columns": [TABLE_LABELS[c] for c in tables.POOLS.columns[1:]],
        "coefficient_columns": [TABLE_LABELS[c] for c in tables.COEFFICIENTS.columns[1:]],
        **_hindcasts(request, scenario_set),
    }
    if editable:
        context.update(
            legend_form=LegendForm(legend=legend),
            pools_form=TableForm(spec=tables.POOLS, rows=scenario_set.carbon_pools, names=names),
            coefficients_form=TableForm(
                spec=tables.COEFFICIENTS, rows=scenario_set.coefficients, names=names
            ),
            pools_import_form=TableImportForm(prefix=tables.POOLS.name),
            coefficients_import_form=TableImportForm(prefix=tables.COEFFICIENTS.name),
            scenario_form=ScenarioForm(),
            driver_form=DriverForm(rasters=_driver_choices(request, scenario_set)),
            no_change_form=_no_change_form(request, scenario_set),
            derived_driver_form=derived_driver_form(request, scenario_set),
            zones_form=_zones_form(request, scenario_set),
            hindcast_form=_hindcast_form(request, scenario_set),
        )
    context.update(extra)
    return context


#: Hindcasts listed on the set's page; the API lists every one.
HINDCASTS_SHOWN = 10


def _hindcasts(request: HttpRequest, scenario_set) -> dict:
    """The newest hindcasts, each with whether the caller may follow its job (jobs are personal)."""
    every = selectors.hindcast_list(actor=request.user, scenario_set=scenario_set)
    shown = [
        {"hindcast": h, "job_visible": h.job is not None and permissions.can(request.user, "view", h.job)}
        for h in every[:HINDCASTS_SHOWN]
    ]
    return {
        "hindcasts": shown,
        "hindcasts_hidden": max(len(every) - HINDCASTS_SHOWN, 0),
    }


def _table_rows(rows: list[dict], spec: tables.TableSpec, names: dict[int, str]) -> list[dict]:
    result = []
    for row in rows:
        values = [row.get(c, 0) for c in spec.columns[1:]]
        result.append({"code": row["lucode"], "name": names.get(int(row["lucode"]), ""), "values": values})
    return result


def set_detail(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    scenario_set = selectors.scenario_set_get(actor=request.user, landscape=landscape, set_id=set_id)
    return render(request, "scenarios/set.html", _set_context(request, scenario_set))


def _editable_set(request: HttpRequest, slug: str, set_id: int):
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    return selectors.scenario_set_get(actor=request.user, landscape=landscape, set_id=set_id, action="change")


@login_required
def set_edit(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    form = ScenarioSetEditForm(request.POST or None, instance=scenario_set)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
            scenario_set.refresh_from_db()  # the form wrote into the instance; the service decides
            try:
                services.scenario_set_update(actor=request.user, scenario_set=scenario_set, **changes)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect(scenario_set.get_absolute_url())
        status = 400
    context = {"landscape": scenario_set.landscape, "scenario_set": scenario_set, "form": form}
    return render(request, "scenarios/set_edit.html", context, status=status)


@login_required
@require_POST
def legend(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    form = LegendForm(request.POST, legend=scenario_set.legend)
    if form.is_valid():
        try:
            services.scenario_set_update_legend(
                actor=request.user, scenario_set=scenario_set, entries=form.entries()
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Legend saved."))
            return redirect(f"{scenario_set.get_absolute_url()}#legend")
    scenario_set.refresh_from_db()
    context = _set_context(request, scenario_set, legend_form=form)
    return render(request, "scenarios/set.html", context, status=400)


def _driver_choices(request: HttpRequest, scenario_set) -> list:
    """Rasters of measured values that are not drivers yet (the land-cover maps hold classes)."""
    taken = frozenset(int(d["dataset_id"]) for d in scenario_set.drivers)
    return selectors.raster_choices(
        actor=request.user, landscape=scenario_set.landscape, kind="continuous", excluding=taken
    )


def _no_change_form(request: HttpRequest, scenario_set, data=None) -> NoChangeForm:
    layers = selectors.vector_choices(actor=request.user, landscape=scenario_set.landscape)
    return NoChangeForm(data, scenario_set=scenario_set, layers=layers)


def _zones_form(request: HttpRequest, scenario_set, data=None) -> ReportZonesForm:
    layers = selectors.vector_choices(actor=request.user, landscape=scenario_set.landscape)
    return ReportZonesForm(data, scenario_set=scenario_set, layers=layers)


def _hindcast_form(request: HttpRequest, scenario_set, data=None) -> HindcastForm:
    """Any other land-cover raster of the landscape may be the later map (classes, not measures)."""
    taken = frozenset(v.dataset_id for v in (scenario_set.t0_version, scenario_set.t1_version) if v)
    rasters = selectors.raster_choices(
        actor=request.user, landscape=scenario_set.landscape, kind="categorical", excluding=taken
    )
    return HindcastForm(data, rasters=rasters)


@login_required
@require_POST
def hindcast(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    form = _hindcast_form(request, scenario_set, request.POST)
    if form.is_valid():
        try:
            started = services.scenario_set_hindcast_start(
                actor=request.user,
                scenario_set=scenario_set,
                t2_dataset_id=form.cleaned_data["t2_dataset"],
                t2_year=form.cleaned_data["t2_year"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("web:job", job_id=started.job_id)
    context = _set_context(request, scenario_set, hindcast_form=form)
    return render(request, "scenarios/set.html", context, status=400)


@login_required
@require_POST
def report_zones(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    form = _zones_form(request, scenario_set, request.POST)
    if form.is_valid():
        try:
            services.scenario_set_update_report_zones(
                actor=request.user, scenario_set=scenario_set, dataset_id=form.cleaned_data["areas_layer"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved. The next runs report their results by these areas."))
            return redirect(f"{scenario_set.get_absolute_url()}#zones")
    scenario_set.refresh_from_db()
    context = _set_context(request, scenario_set, zones_form=form)
    return render(request, "scenarios/set.html", context, status=400)


@login_required
@require_POST
def no_change(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    form = _no_change_form(request, scenario_set, request.POST)
    if form.is_valid():
        try:
            services.scenario_set_update_no_change(
                actor=request.user,
                scenario_set=scenario_set,
                classes=form.cleaned_data["classes"],
                zone_dataset_id=form.cleaned_data["zone_dataset"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved. The next runs leave this land as it is."))
            return redirect(f"{scenario_set.get_absolute_url()}#no-change")
    scenario_set.refresh_from_db()
    context = _set_context(request, scenario_set, no_change_form=form)
    return render(request, "scenarios/set.html", context, status=400)


@login_required
@require_POST
def drivers(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    """Add a driver raster, or remove one ("remove" holds its dataset id)."""
    scenario_set = _editable_set(request, slug, set_id)
    current = [dict(d) for d in scenario_set.drivers]
    form = DriverForm(request.POST, rasters=_driver_choices(request, scenario_set))
    remove = request.POST.get("remove", "")
    if remove.isdigit():
        wanted = [d for d in current if int(d["dataset_id"]) != int(remove)]
    elif form.is_valid():
        data = form.cleaned_data
        added = {"dataset_id": data["dataset"], "weight": data["weight"], "effect": data["effect"]}
        wanted = [*current, added]
    else:
        wanted = None
    if wanted is not None:
        try:
            services.scenario_set_update_drivers(
                actor=request.user, scenario_set=scenario_set, drivers=wanted
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Drivers saved. The next runs use them."))
            return redirect(f"{scenario_set.get_absolute_url()}#drivers")
    scenario_set.refresh_from_db()
    context = _set_context(request, scenario_set, driver_form=form)
    return render(request, "scenarios/set.html", context, status=400)


@login_required
@require_POST
def table_edit(request: HttpRequest, slug: str, set_id: int, table: str) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    spec = _spec(table)
    names = {int(e["code"]): e["name"] for e in scenario_set.legend}
    form = TableForm(request.POST, spec=spec, rows=getattr(scenario_set, spec.name), names=names)
    if form.is_valid():
        try:
            services.scenario_set_update_table(
                actor=request.user, scenario_set=scenario_set, table=spec.name, rows=form.rows()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Table saved."))
            return redirect(f"{scenario_set.get_absolute_url()}#{spec.name}")
    key = "pools_form" if spec is tables.POOLS else "coefficients_form"
    return render(
        request, "scenarios/set.html", _set_context(request, scenario_set, **{key: form}), status=400
    )


def _spec(table: str) -> tables.TableSpec:
    spec = tables.SPECS.get(table)
    if spec is None:
        raise NotFound(_("Unknown table."))
    return spec


@login_required
@require_POST
def table_import(request: HttpRequest, slug: str, set_id: int, table: str) -> HttpResponse:
    scenario_set = _editable_set(request, slug, set_id)
    spec = _spec(table)
    form = TableImportForm(request.POST, request.FILES, prefix=spec.name)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.scenario_set_import_table(
                actor=request.user,
                scenario_set=scenario_set,
                table=spec.name,
                data=upload.read(tables.MAX_BYTES + 1),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Table imported."))
            return redirect(f"{scenario_set.get_absolute_url()}#{spec.name}")
    key = "pools_import_form" if spec is tables.POOLS else "coefficients_import_form"
    context = _set_context(request, scenario_set, **{key: form})
    return render(request, "scenarios/set.html", context, status=400)


def table_export(request: HttpRequest, slug: str, set_id: int, table: str) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    scenario_set = selectors.scenario_set_get(actor=request.user, landscape=landscape, set_id=set_id)
    spec = _spec(table)
    names = {int(e["code"]): e["name"] for e in scenario_set.legend}
    text = tables.write_csv(getattr(scenario_set, spec.name), columns=spec.columns, extra=names)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{slugify(scenario_set.title) or 'scenarios'}-{spec.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def set_delete(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    landscape = selectors.scenarios_landscape_get(actor=request.user, slug=slug)
    scenario_set = selectors.scenario_set_get(
        actor=request.user, landscape=landscape, set_id=set_id, action="delete"
    )
    if request.method == "POST":
        services.scenario_set_delete(actor=request.user, scenario_set=scenario_set)
        messages.success(request, _("Scenario set deleted. Its results stay in the landscape's data."))
        return redirect("scenarios:list", slug=landscape.slug)
    context = {
        "landscape": landscape,
        "object_title": scenario_set.title,
        "back": scenario_set.get_absolute_url(),
        "explanation": _(
            "The set, its scenarios and their runs are deleted. The maps and tables the runs stored stay in "
            "the landscape's data until a manager deletes them there."
        ),
    }
    return render(request, "scenarios/confirm_delete.html", context)
