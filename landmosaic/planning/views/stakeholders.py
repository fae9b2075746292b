"""The stakeholder register: list and inclusion checks, grid, relations, forms, CSV import/export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError
from landmosaic.core.pagination import paginate

from .. import analysis, selectors, services
from ..downloads import attachment
from ..forms import RelationForm, StakeholderForm, StakeholderImportForm
from ..models import Sector, StakeholderRelation
from ._common import form_error, page_context

PAGE_SIZE = 50


def register(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    search = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    page = paginate(
        selectors.stakeholder_list(actor=request.user, landscape=landscape, search=search, sector=sector),
        page=request.GET.get("page", 1),
        page_size=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    checks = selectors.stakeholder_checks(actor=request.user, landscape=landscape)
    context = page_context(
        request.user,
        landscape,
        "stakeholders",
        page=page,
        query=query.urlencode(),
        search=search,
        sector=sector,
        sectors=Sector.choices,
        checks=checks,
        gaps=sum(1 for c in checks if not c.ok),
    )
    return render(request, "planning/stakeholders.html", context)


def stakeholder_detail(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.user, landscape=landscape, stakeholder_id=stakeholder_id
    )
    relations = selectors.relation_list(actor=request.user, landscape=landscape, stakeholder=stakeholder)
    quadrant = analysis.quadrant(stakeholder.influence, stakeholder.interest)
    context = page_context(
        request.user,
        landscape,
        "stakeholders",
        stakeholder=stakeholder,
        relations=sorted(relations, key=lambda r: (r.kind, r.source.name, r.target.name)),
        strategy=analysis.QUADRANTS[quadrant],
    )
    return render(request, "planning/stakeholder_detail.html", context)


@login_required
def stakeholder_create(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug, action="change")
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.stakeholder_create(
                actor=request.user, landscape=landscape, **form.service_kwargs()
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” is registered.") % {"name": stakeholder.name})
            if "another" in request.POST:
                return redirect("planning:stakeholder_create", slug=slug)
            return redirect("planning:stakeholders", slug=slug)
    context = page_context(request.user, landscape, "stakeholders", form=form, stakeholder=None)
    return render(
        request, "planning/stakeholder_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def stakeholder_edit(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.user, landscape=landscape, stakeholder_id=stakeholder_id, action="change"
    )
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_update(actor=request.user, stakeholder=stakeholder, **form.service_kwargs())
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("planning:stakeholder", slug=slug, stakeholder_id=stakeholder.pk)
    context = page_context(request.user, landscape, "stakeholders", form=form, stakeholder=stakeholder)
    return render(
        request, "planning/stakeholder_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def stakeholder_delete(request: HttpRequest, slug: str, stakeholder_id: int) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    stakeholder = selectors.stakeholder_get(
        actor=request.user, landscape=landscape, stakeholder_id=stakeholder_id, action="delete"
    )
    services.stakeholder_delete(actor=request.user, stakeholder=stakeholder)
    messages.success(request, _("“%(name)s” is removed from the register.") % {"name": stakeholder.name})
    return redirect("planning:stakeholders", slug=slug)


def grid(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    layout = selectors.stakeholder_grid(actor=request.user, landscape=landscape)
    groups = layout.by_quadrant()
    quadrants = [
        {"code": code, "label": label, "strategy": strategy, "dots": groups[code]}
        for code, (label, strategy) in analysis.QUADRANTS.items()
    ]
    context = page_context(request.user, landscape, "grid", grid=layout, quadrants=quadrants)
    return render(request, "planning/grid.html", context)


def relations(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    context = page_context(request.user, landscape, "relations")
    form = None
    status = 200
    if "change" in context["can"]["register"]:
        stakeholders = selectors.stakeholder_list(actor=request.user, landscape=landscape)
        form = RelationForm(request.POST or None, stakeholders=stakeholders)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.relation_create(
                        actor=request.user,
                        landscape=landscape,
                        source_id=data["source"].pk,
                        target_id=data["target"].pk,
                        kind=data["kind"],
                        note=data["note"],
                    )
                except DomainError as exc:
                    form_error(form, exc)
                else:
                    messages.success(request, _("Relation recorded."))
                    return redirect("planning:relations", slug=slug)
            status = 400
    context.update(
        network=selectors.stakeholder_network(actor=request.user, landscape=landscape),
        relations=selectors.relation_list(actor=request.user, landscape=landscape),
        kinds=StakeholderRelation.Kind.choices,
        form=form,
    )
    return render(request, "planning/relations.html", context, status=status)


@login_required
@require_POST
def relation_delete(request: HttpRequest, slug: str, relation_id: int) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug)
    relation = selectors.relation_get(actor=request.user, landscape=landscape, relation_id=relation_id)
    services.relation_delete(actor=request.user, relation=relation)
    messages.success(request, _("Relation removed."))
    return redirect("planning:relations", slug=slug)


@login_required
def import_csv(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug, action="change")
    form = StakeholderImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.stakeholder_import(
                actor=request.user, landscape=landscape, data=upload.read(), filename=upload.name
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.message)
            problems = list(exc.details.get("rows", []))
        else:
            messages.success(
                request,
                _("Imported: %(created)d added, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("planning:stakeholders", slug=slug)
    context = page_context(request.user, landscape, "stakeholders", form=form, problems=problems)
    return render(request, "planning/import.html", context, status=400 if request.method == "POST" else 200)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug, action="export")
    text = services.stakeholder_export_csv(actor=request.user, landscape=landscape)
    return attachment(text, "text/csv; charset=utf-8", f"{landscape.slug}-stakeholders.csv")


@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.register_landscape_get(actor=request.user, slug=slug, action="export")
    data = services.stakeholder_export_xlsx(actor=request.user, landscape=landscape)
    return attachment(data, XLSX, f"{landscape.slug}-stakeholders.xlsx")
