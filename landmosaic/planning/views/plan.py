"""The ILM dashboard: where the landscape stands in the five elements, and one output's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError

from .. import selectors, services
from ..forms import EvidenceForm, OutputNotesForm, OutputStatusForm
from ..models import Status, output_subject
from ._common import form_error, link_features, page_context


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.plan_landscape_get(actor=request.user, slug=slug)
    plan = selectors.plan_get(actor=request.user, landscape=landscape)
    context = page_context(request.user, landscape, "dashboard", plan=plan, statuses=Status.choices)
    link_features(plan, context["can"])
    return render(request, "planning/dashboard.html", context)


def output(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One output: suggested and confirmed status, notes, evidence, next steps; forms for those who may."""
    landscape = selectors.plan_landscape_get(actor=request.user, slug=slug)
    plan = selectors.plan_get(actor=request.user, landscape=landscape)
    view = plan.output(code)
    actions = set(permissions.allowed_actions(request.user, output_subject(landscape)))
    context = page_context(request.user, landscape, "dashboard", view=view, actions=actions)
    link_features(plan, context["can"])
    if "override" in actions:
        allowed = Status.choices
    elif "confirm" in actions and not view.differs:
        allowed = [(view.suggestion.status, view.suggested_label)]
    else:  # nothing to do here, or a manager's override that only a manager may change
        allowed = []
    which = request.POST.get("form", "") if request.method == "POST" else ""
    status_form = OutputStatusForm(
        request.POST if which == "status" else None,
        suggested_label=view.suggested_label,
        allowed=allowed,
        initial={"status": view.confirmed, "reason": view.record.reason if view.record else ""},
    )
    notes_form = OutputNotesForm(
        request.POST if which == "notes" else None,
        initial={"notes": view.record.notes if view.record else ""},
    )
    evidence_form = EvidenceForm(request.POST if which == "evidence" else None)
    forms = {"status": status_form, "notes": notes_form, "evidence": evidence_form}
    status = 200
    if which in forms:
        form = forms[which]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "status":
                    services.output_update(
                        actor=request.user,
                        landscape=landscape,
                        code=code,
                        status=data["status"],
                        reason=data["reason"],
                    )
                elif which == "notes":
                    services.output_update(
                        actor=request.user, landscape=landscape, code=code, notes=data["notes"]
                    )
                else:
                    services.output_evidence_add(
                        actor=request.user,
                        landscape=landscape,
                        code=code,
                        title=data["title"],
                        url=data["url"],
                    )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("planning:output", slug=slug, code=code)
        status = 400
    context.update(
        status_form=status_form if allowed else None, notes_form=notes_form, evidence_form=evidence_form
    )
    return render(request, "planning/output.html", context, status=status)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, slug: str, code: str, evidence_id: int) -> HttpResponse:
    landscape = selectors.plan_landscape_get(actor=request.user, slug=slug)
    services.output_evidence_remove(actor=request.user, landscape=landscape, evidence_id=evidence_id)
    messages.success(request, _("Evidence removed."))
    return redirect("planning:output", slug=slug, code=code)
