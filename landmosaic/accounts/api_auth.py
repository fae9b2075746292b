"""How API callers are identified: bearer tokens for scripts, the session (with CSRF) for the browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from .selectors import user_for_token


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(secret=token)
        if user is None:
            # A wrong token must fail loudly, never fall back to anonymous access.
            raise AuthenticationError(401, _("Invalid or revoked API token."))
        request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The browser's session; CSRF is checked only when there is a signed-in session to protect."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class AnonymousAuth:
    """Lets a request through as anonymous (public reads); it must come last in the auth list."""

    def __call__(self, request: HttpRequest) -> Any:
        return AnonymousUser()


bearer_auth = BearerTokenAuth()
session_auth = CsrfSessionAuth(csrf=True)
anonymous_auth = AnonymousAuth()

#: Endpoints that need a signed-in caller.
SIGNED_IN = [bearer_auth, session_auth]
#: Endpoints that also answer anonymous callers (what they return is still permission-filtered).
ANYONE = [bearer_auth, session_auth, anonymous_auth]
