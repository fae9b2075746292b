"""Turn domain errors that escape a view into the right HTTP answer."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from .errors import DomainError, Forbidden, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message)
        if isinstance(exception, DomainError):
            html = render_to_string(
                "core/error.html", {"status": exception.status, "message": exception.message}, request=request
            )
            return HttpResponse(html, status=exception.status)
        return None
