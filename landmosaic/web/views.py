"""Pages that belong to no single app: home, language, notifications, jobs, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from landmosaic.accounts.services import user_update_profile
from landmosaic.core.notifications import notifications_for, notifications_mark_read
from landmosaic.core.pagination import paginate
from landmosaic.core.selectors import job_get
from landmosaic.landscapes import selectors as landscape_selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        context = {
            "my_memberships": landscape_selectors.landscapes_of_user(user=request.user),
            "my_invitations": landscape_selectors.invitations_for_user(user=request.user),
        }
    return render(request, "web/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; for a signed-in person it is remembered in their profile too."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        if request.user.is_authenticated and request.user.language != language:
            user_update_profile(user=request.user, actor=request.user, language=language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = paginate(notifications_for(user=request.user), page=request.GET.get("page", 1), page_size=30)
    response = render(request, "web/notifications.html", {"page": page})
    notifications_mark_read(user=request.user)
    return response


@login_required
def job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A job's progress; htmx polls the partial until the job is finished."""
    job = job_get(actor=request.user, job_id=job_id)
    template = "web/_job.html" if request.htmx else "web/job.html"
    return render(request, template, {"job": job})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/403.html", {"message": str(exception or "")}, status=403)
