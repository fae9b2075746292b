"""Pages for signing up and in, the profile, API tokens and organisations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError
from landmosaic.core.forms import form_error
from landmosaic.core.pagination import paginate

from . import selectors, services
from .forms import LoginForm, OrganisationForm, ProfileForm, SignupForm, TokenForm
from .models import Organisation


def _next_url(request: HttpRequest, default: str = "web:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset page; the new password also becomes usable for HTTP Digest (collection apps)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.digest_credential_store(user=form.user, password=form.cleaned_data["new_password1"])
        return response


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                language=request.LANGUAGE_CODE,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            if settings.ACCOUNT_EMAIL_VERIFICATION:
                messages.info(request, _("Check your inbox: we sent a link to confirm your email address."))
                return redirect("accounts:login")
            login(request, user, backend="landmosaic.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to Landmosaic!"))
            return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], _client_ip(request)
        try:
            services.login_check_allowed(email=email, ip=ip)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_record_failure(email=email, ip=ip)
                form.add_error(None, _("The email address or password is not correct."))
            elif settings.ACCOUNT_EMAIL_VERIFICATION and not user.email_verified:
                services.user_send_verification(user=user)
                form.add_error(None, _("Confirm your email address first: we have sent you a new link."))
            else:
                login(request, user)
                services.login_record_success(user=user, ip=ip)
                services.digest_credential_store(user=user, password=form.cleaned_data["password"])
                return redirect(_next_url(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request, "")}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("web:home")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.user_verify_email(token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your email address is confirmed. You can sign in."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        if changes:
            services.user_update_profile(user=request.user, actor=request.user, **changes)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def photo(request: HttpRequest, user_id: int) -> FileResponse:
    """Profile photos are shown to signed-in people only, through this view (never a public URL)."""
    person = selectors.user_get(user_id=user_id)
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": selectors.token_list(user=request.user)},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_get(user=request.user, token_id=token_id)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def organisation_list(request: HttpRequest) -> HttpResponse:
    search, type_ = request.GET.get("q", "").strip(), request.GET.get("type", "")
    page = paginate(selectors.organisation_list(search=search, type=type_), page=request.GET.get("page", 1))
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "q": search, "type": type_, "types": Organisation.Type.choices},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The organisation is created."))
            return redirect("accounts:organisation", slug=org.slug)
    return render(request, "accounts/organisation_form.html", {"form": form})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.organisation_get(actor=request.user, slug=slug)
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": org, "can_change": permissions.can(request.user, "change", org)},
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.organisation_get(actor=request.user, slug=slug)
    permissions.check(request.user, "change", org)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=selectors.organisation_get(actor=request.user, slug=slug),
                actor=request.user,
                **{f: form.cleaned_data[f] for f in form.changed_data},
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("accounts:organisation", slug=org.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": org})
