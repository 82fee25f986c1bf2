"""API authentication: personal bearer tokens, or the pages' own session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import APIKeyCookie, HttpBearer

from thrive.core.api.errors import ApiError
from thrive.core.ratelimit import bearer_user


class InvalidToken(ApiError):
    """A bearer token was sent that is not an active token: it is answered 401 even where
    no credentials are needed, so that a program whose token stopped working is told."""

    def __init__(self) -> None:
        message = (
            "The API token sent is not valid: it is mistyped or has been revoked. Send an "
            "active token (the tokens page lists yours), or no Authorization header on "
            "operations open to everyone."
        )
        super().__init__(401, "invalid_token", message)


class CsrfFailed(ApiError):
    """A change made with the pages' session without the CSRF token."""

    def __init__(self, reason: str) -> None:
        message = (
            f"The CSRF check failed: {reason} A change made with the pages' session must send "
            "the csrftoken cookie's value in the X-CSRFToken header; a program should send "
            "an API token (Authorization: Bearer …) instead."
        )
        super().__init__(403, "csrf_failed", message)


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> Any:
        return reason


def _no_view() -> None:
    """The view the CSRF check is asked about: any view not exempt from it."""


def csrf_failure(request: HttpRequest) -> str | None:
    """Why the request fails Django's CSRF check (its own words), or None when it passes."""
    check = _CsrfCheck(lambda _request: None)
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    check.process_request(request)
    return check.process_view(request, _no_view, (), {})


class BearerToken(HttpBearer):
    openapi_description = "A personal API token: `thrive token create USERNAME` prints one."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = bearer_user(request, token)
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class Session(APIKeyCookie):
    """The session cookie of a signed-in page user; unsafe methods also need the CSRF token."""

    param_name = "sessionid"
    openapi_description = "The session of a user signed in to the pages."

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check is made in authenticate(), only for a signed-in session: a request
        # with no credentials at all is a 401, not a CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            reason = csrf_failure(request)
            if reason:
                raise CsrfFailed(reason)
        return user


class OptionalAuth:
    """Let anonymous callers through to public endpoints, signing in anyone who sent a token
    (and refusing a token that is not valid)."""

    def __init__(self) -> None:
        self.bearer = BearerToken()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            self.bearer(request)
        return True


bearer = BearerToken()
session = Session(csrf=True)
AUTH = [bearer, session]
PUBLIC_AUTH = [OptionalAuth()]
