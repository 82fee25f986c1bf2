"""API authentication: personal bearer tokens, or the pages' own session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from thrive.core.ratelimit import bearer_user


class BearerToken(HttpBearer):
    openapi_description = "A personal API token: `thrive token create USERNAME` prints one."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = bearer_user(request, token)
        if user is not None:
            request.user = user
        return user


class Session(APIKeyCookie):
    """The session cookie of a signed-in page user; unsafe methods also need the CSRF token."""

    param_name = "sessionid"
    openapi_description = "The session of a user signed in to the pages."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class OptionalAuth:
    """Let anonymous callers through to public endpoints, signing in anyone who sent credentials."""

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
