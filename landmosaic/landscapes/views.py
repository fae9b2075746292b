"""Pages: directory, landscape page, creation wizard, boundary, partnership, members, audit."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries import countries as all_countries

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, ValidationFailed
from landmosaic.core.forms import form_error
from landmosaic.core.models import Job
from landmosaic.core.pagination import paginate
from landmosaic.core.permissions import ROLE_CHOICES

from . import boundaries, selectors, services
from .forms import (
    BoundaryDrawForm,
    BoundaryPointForm,
    BoundaryUploadForm,
    DirectoryFilterForm,
    InviteForm,
    JoinRequestForm,
    LandscapeBasicsForm,
    LandscapeProfileForm,
    PartnershipForm,
    RoleForm,
)
from .models import Term

WIZARD_STEPS = ("basics", "boundary", "profile")
# Larger than most countries: probably drawn at world zoom by mistake, so say so (but accept it).
IMPLAUSIBLE_AREA_HA = 10_000_000


def _directory_filters(request: HttpRequest) -> dict:
    partnership = request.GET.get("partnership", "")
    return {
        "search": request.GET.get("q", "").strip()[:100],
        "country": request.GET.get("country", "")[:2],
        "ecosystem": request.GET.get("ecosystem", "")[:60],
        "has_partnership": {"yes": True, "no": False}.get(partnership),
    }


def directory(request: HttpRequest) -> HttpResponse:
    filters = _directory_filters(request)
    page = selectors.landscape_directory_page(actor=request.user, page=request.GET.get("page", 1), **filters)
    countries = [
        (code, all_countries.name(code)) for code in selectors.landscape_countries(actor=request.user)
    ]
    ecosystems = [
        (t.code, t.localized_label) for t in selectors.terms_by_vocabulary()[Term.Vocabulary.ECOSYSTEM]
    ]
    form = DirectoryFilterForm(request.GET or None, countries=countries, ecosystems=ecosystems)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "points_url": reverse("landscapes:directory_points") + (f"?{query.urlencode()}" if query else ""),
    }
    template = "landscapes/_directory_results.html" if request.htmx else "landscapes/directory.html"
    return render(request, template, context)


def directory_points(request: HttpRequest) -> JsonResponse:
    qs = selectors.landscape_directory(actor=request.user, **_directory_filters(request))
    features = selectors.landscape_directory_points(landscapes=qs)
    for feature in features:
        properties = feature["properties"]
        if "count" in properties:
            properties["name"] = ngettext(
                "%(count)d landscape", "%(count)d landscapes", properties["count"]
            ) % {"count": properties["count"]}
        else:
            properties["url"] = reverse("landscapes:detail", kwargs={"slug": properties.pop("slug")})
    return JsonResponse({"type": "FeatureCollection", "features": features})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug)
    actions = set(permissions.allowed_actions(request.user, landscape))
    members = (
        selectors.landscape_members(actor=request.user, landscape=landscape)
        if "view_members" in actions
        else None
    )
    return render(
        request,
        "landscapes/detail.html",
        {
            "landscape": landscape,
            "actions": actions,
            "members": members,
            "role_label": dict(ROLE_CHOICES).get(permissions.role_in(request.user, landscape.pk).slug),
            "join_request": selectors.join_request_pending_for(actor=request.user, landscape=landscape),
            "join_form": JoinRequestForm(),
        },
    )


# --- Creation wizard and editing -------------------------------------------------------------


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Step 1 of the wizard: the basics. Each step saves, so a dropped connection loses nothing."""
    form = LandscapeBasicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            landscape = services.landscape_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The landscape is created. Now draw or upload its boundary."))
            return redirect(f"{reverse('landscapes:boundary', kwargs={'slug': landscape.slug})}?wizard=1")
    return render(request, "landscapes/create.html", {"form": form, "steps": WIZARD_STEPS, "step": "basics"})


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="change")
    form = LandscapeBasicsForm(request.POST or None, instance=landscape)
    can_settings = permissions.can(request.user, "change_settings", landscape)
    if not can_settings:
        form.fields.pop("visibility")
        form.fields.pop("default_license")
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            services.landscape_update(
                actor=request.user,
                landscape=selectors.landscape_get(actor=request.user, slug=slug),
                **changes,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("landscapes:detail", slug=slug)
    return render(
        request,
        "landscapes/edit.html",
        {
            "form": form,
            "landscape": landscape,
            "can_delete": permissions.can(request.user, "delete", landscape),
        },
    )


def image(request: HttpRequest, slug: str) -> FileResponse:
    """The profile image, served only to those who may see the landscape (never from a public URL)."""
    landscape = selectors.landscape_get(actor=request.user, slug=slug)
    if not landscape.profile_image:
        raise Http404
    response = FileResponse(landscape.profile_image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def boundary(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 2: draw a polygon, upload a file, or give a single point."""
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="change")
    wizard = request.GET.get("wizard") == "1"
    method = request.POST.get("method", "")
    current = json.dumps(landscape.boundary_geojson) if landscape.boundary_kind == "polygon" else ""
    draw_form = BoundaryDrawForm(request.POST if method == "draw" else None, initial={"geometry": current})
    upload_form = BoundaryUploadForm(
        request.POST if method == "upload" else None, request.FILES if method == "upload" else None
    )
    point_form = BoundaryPointForm(request.POST if method == "point" else None)
    forms = {"draw": draw_form, "upload": upload_form, "point": point_form}
    status = 200
    if request.method == "POST" and method in forms and forms[method].is_valid():
        data = forms[method].cleaned_data
        try:
            if method == "draw":
                result = services.landscape_set_boundary(
                    actor=request.user,
                    landscape=landscape,
                    boundary=boundaries.from_geojson(geometry=data["geometry"]),
                    source="drawn",
                )
            elif method == "point":
                result = services.landscape_set_boundary(
                    actor=request.user,
                    landscape=landscape,
                    boundary=boundaries.from_point(lon=data["lon"], lat=data["lat"]),
                    source="point",
                )
            else:
                upload = data["file"]
                if upload.size > settings.BOUNDARY_MAX_BYTES:
                    raise ValidationFailed(
                        _("%(file)s is too large; the limit is %(limit)s MB.")
                        % {"file": upload.name, "limit": settings.BOUNDARY_MAX_BYTES // 2**20}
                    )
                result = services.landscape_upload_boundary(
                    actor=request.user, landscape=landscape, data=upload.read(), filename=upload.name
                )
        except DomainError as exc:
            form_error(forms[method], exc)
            status = 400
        else:
            if isinstance(result, Job):
                messages.info(
                    request, _("The file is large: it is being processed. You can follow its progress.")
                )
                return redirect("web:job", job_id=result.pk)
            messages.success(request, _("The boundary is saved."))
            if result.area_ha and result.area_ha > IMPLAUSIBLE_AREA_HA:
                messages.warning(
                    request,
                    _(
                        "The boundary covers %(area)s ha. If that is more than you meant, "
                        "zoom in and draw it again."
                    )
                    % {"area": f"{result.area_ha:,.0f}"},
                )
            if wizard:
                return redirect(f"{reverse('landscapes:profile', kwargs={'slug': slug})}?wizard=1")
            return redirect("landscapes:detail", slug=slug)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "landscapes/boundary.html",
        {
            "landscape": landscape,
            "forms": forms,
            "method": method or "draw",
            "wizard": wizard,
            "steps": WIZARD_STEPS,
            "step": "boundary",
        },
        status=status,
    )


@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 3: the profile (vocabularies, population, image)."""
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="change")
    wizard = request.GET.get("wizard") == "1"
    form = LandscapeProfileForm(request.POST or None, request.FILES or None, instance=landscape)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = {f: [t.code for t in data[f]] for f in form.vocabularies}
        changes = {
            f: data[f] for f in ("population", "profile_image", "profile_image_alt") if f in form.changed_data
        }
        try:
            services.landscape_update(actor=request.user, landscape=landscape, terms=terms, **changes)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("landscapes:detail", slug=slug)
    return render(
        request,
        "landscapes/profile.html",
        {"landscape": landscape, "form": form, "wizard": wizard, "steps": WIZARD_STEPS, "step": "profile"},
    )


@login_required
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="change")
    form = PartnershipForm(request.POST or None, instance=landscape.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.partnership_update(
                actor=request.user,
                landscape=landscape,
                name=data["name"],
                status=data["status"],
                year_founded=data["year_founded"],
                description=data["description"],
                lead_organisation_id=data["lead_organisation"].pk if data["lead_organisation"] else None,
                organisation_ids=[o.pk for o in data["organisations"]],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The partnership is saved."))
            return redirect("landscapes:detail", slug=slug)
    return render(request, "landscapes/partnership.html", {"landscape": landscape, "form": form})


@login_required
@require_POST
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="delete")
    if request.POST.get("confirm_name", "").strip() != landscape.name:
        messages.error(request, _("Type the landscape's exact name to delete it."))
        return redirect("landscapes:edit", slug=slug)
    services.landscape_delete(actor=request.user, landscape=landscape)
    messages.success(request, _("The landscape is deleted."))
    return redirect("landscapes:directory")


# --- Members ---------------------------------------------------------------------------------


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="view_members")
    can_manage = permissions.can(request.user, "manage_members", landscape)
    invite_form = InviteForm(request.POST or None) if can_manage else None
    if request.method == "POST" and can_manage and invite_form.is_valid():
        try:
            services.invitation_create(actor=request.user, landscape=landscape, **invite_form.cleaned_data)
        except DomainError as exc:
            form_error(invite_form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invite_form.cleaned_data["email"]}
            )
            return redirect("landscapes:members", slug=slug)
    return render(
        request,
        "landscapes/members.html",
        {
            "landscape": landscape,
            "members": selectors.landscape_members(actor=request.user, landscape=landscape),
            "can_manage": can_manage,
            "invite_form": invite_form,
            "role_form": RoleForm(),
            "invitations": selectors.landscape_invitations(actor=request.user, landscape=landscape)
            if can_manage
            else [],
            "join_requests": selectors.landscape_join_requests(actor=request.user, landscape=landscape)
            if can_manage
            else [],
        },
        status=400 if request.method == "POST" else 200,
    )


def _member_action(request: HttpRequest, slug: str, run) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug)
    try:
        run(landscape)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("landscapes:members", slug=slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    def run(landscape):
        membership = selectors.membership_get(
            actor=request.user, landscape=landscape, membership_id=member_id
        )
        services.membership_change_role(
            actor=request.user, membership=membership, role=request.POST.get("role", "")
        )
        messages.success(request, _("Role changed."))

    return _member_action(request, slug, run)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    left = False

    def run(landscape):
        nonlocal left
        membership = selectors.membership_get(
            actor=request.user, landscape=landscape, membership_id=member_id
        )
        services.membership_remove(actor=request.user, membership=membership)
        left = membership.user_id == request.user.pk
        messages.success(request, _("You have left the landscape.") if left else _("Member removed."))

    response = _member_action(request, slug, run)
    # Someone who left a private landscape can no longer see its members page.
    return redirect("landscapes:directory") if left else response


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    def run(landscape):
        invitation = (
            selectors.landscape_invitations(actor=request.user, landscape=landscape)
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is not None:
            services.invitation_revoke(actor=request.user, invitation=invitation)
            messages.success(request, _("Invitation withdrawn."))

    return _member_action(request, slug, run)


@login_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    def run(landscape):
        join_request = selectors.join_request_get(
            actor=request.user, landscape=landscape, request_id=request_id
        )
        approve = request.POST.get("decision") == "approve"
        services.join_request_decide(
            actor=request.user, request=join_request, approve=approve, role=request.POST.get("role", "member")
        )
        messages.success(request, _("Request approved.") if approve else _("Request declined."))

    return _member_action(request, slug, run)


@login_required
@require_POST
def join_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug)
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            services.join_request_create(
                actor=request.user, landscape=landscape, message=form.cleaned_data["message"]
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your request has been sent to the managers."))
    return redirect("landscapes:detail", slug=slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: sign up or in, then accept or decline."""
    invitation = selectors.invitation_get_by_token(token=token)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            if request.POST.get("decision") == "accept":
                services.invitation_accept(actor=request.user, invitation=invitation)
                messages.success(
                    request, _("Welcome to %(landscape)s!") % {"landscape": invitation.landscape.name}
                )
                return redirect("landscapes:detail", slug=invitation.landscape.slug)
            services.invitation_decline(actor=request.user, invitation=invitation)
            messages.info(request, _("Invitation declined."))
            return redirect("web:home")
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "landscapes/invitation.html", {"invitation": invitation})


@login_required
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.landscape_get(actor=request.user, slug=slug, action="view_audit")
    page = paginate(
        selectors.landscape_audit(actor=request.user, landscape=landscape),
        page=request.GET.get("page", 1),
        page_size=50,
    )
    return render(request, "landscapes/audit.html", {"landscape": landscape, "page": page})
