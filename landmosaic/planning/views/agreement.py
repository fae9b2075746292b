"""Pages of the partnership agreement: the version in force and the draft, edits, versions, print,
publishing, signatories and sign-offs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.accounts.selectors import organisation_list
from landmosaic.core import permissions
from landmosaic.core.errors import DomainError

from .. import selectors, services
from ..forms import AgreementForm, SignatoryForm, SignOffForm
from ..models import SECTIONS, agreement_subject
from ._common import form_page, page_context


def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    current = selectors.agreement_get(actor=request.user, landscape=landscape)
    sign_form = None
    if current.in_force is not None:
        organisations = selectors.agreement_sign_off_organisations(actor=request.user, agreement=current)
        if organisations.exists():
            sign_form = SignOffForm(organisations=organisations, prefix="sign")
    context = page_context(
        request.user,
        landscape,
        "agreement",
        agreement=current,
        sign_form=sign_form,
        signatory_form=SignatoryForm(prefix="signatory") if "change" in current.actions else None,
        show_people=permissions.can(request.user, "view_members", landscape),
    )
    return render(request, "planning/agreement.html", context)


@login_required
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug, action="change")
    current = selectors.agreement_get(actor=request.user, landscape=landscape)
    newest = current.draft or current.in_force  # editors see drafts: this is the newest version
    initial = {"based_on": newest.number if newest else None}
    if newest is not None:
        initial.update({f: getattr(newest, f) for f in (*SECTIONS, "start_date", "review_date")})
    form = AgreementForm(request.POST or None, initial=initial)

    def save(data):
        return services.agreement_version_create(
            actor=request.user, landscape=landscape, based_on=data["based_on"], **form.service_kwargs()
        )

    return form_page(
        request,
        landscape,
        "agreement",
        form=form,
        title=_("Edit the partnership agreement"),
        save=save,
        success=lambda v: reverse("planning:agreement", kwargs={"slug": slug}),
        message=_("Saved as a new draft version."),
        cancel=reverse("planning:agreement", kwargs={"slug": slug}),
    )


def agreement_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    version = selectors.agreement_version_get(actor=request.user, landscape=landscape, number=number)
    context = page_context(
        request.user,
        landscape,
        "agreement",
        version=version,
        show_people=permissions.can(request.user, "view_members", landscape),
    )
    return render(request, "planning/agreement_version.html", context)


def agreement_print(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A clean page to print or save as PDF: no navigation, the sections and the signatures."""
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    version = selectors.agreement_version_get(actor=request.user, landscape=landscape, number=number)
    response = render(request, "planning/agreement_print.html", {"landscape": landscape, "version": version})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def agreement_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    try:
        services.agreement_publish(actor=request.user, landscape=landscape, number=number)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(number)d is now the agreement in force.") % {"number": number})
    return redirect("planning:agreement", slug=slug)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    current = selectors.agreement_get(actor=request.user, landscape=landscape)
    if current.in_force is None:
        messages.error(request, _("There is no agreed version to sign yet."))
        return redirect("planning:agreement", slug=slug)
    form = SignOffForm(request.POST, organisations=organisation_list(), prefix="sign")
    if not form.is_valid():
        messages.error(request, _("Choose the organisation that signs."))
        return redirect("planning:agreement", slug=slug)
    data = form.cleaned_data
    try:
        services.sign_off_record(
            actor=request.user,
            landscape=landscape,
            number=current.in_force.number,
            organisation_id=data["organisation"].pk,
            signed_by_name=data["signed_by_name"],
            signed_on=data["signed_on"],
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The signature is recorded."))
    return redirect("planning:agreement", slug=slug)


@login_required
@require_POST
def signatory_add(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    permissions.check(request.user, "change", agreement_subject(landscape))
    form = SignatoryForm(request.POST, prefix="signatory")
    if form.is_valid():
        try:
            services.signatory_add(
                actor=request.user, landscape=landscape, organisation_id=form.cleaned_data["organisation"].pk
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Signatory added."))
    else:
        messages.error(request, _("Choose an organisation."))
    return redirect("planning:agreement", slug=slug)


@login_required
@require_POST
def signatory_remove(request: HttpRequest, slug: str, signatory_id: int) -> HttpResponse:
    landscape = selectors.agreement_landscape_get(actor=request.user, slug=slug)
    try:
        services.signatory_remove(actor=request.user, landscape=landscape, signatory_id=signatory_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signatory removed."))
    return redirect("planning:agreement", slug=slug)
