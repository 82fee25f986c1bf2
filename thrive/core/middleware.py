"""Request id: taken from a trusted X-Request-ID header or made here, echoed back; the
Content-Security-Policy header, built once; the session's middleware, passed by an API call
that sends no session cookie."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django_otp import middleware as otp_middleware

from thrive.core.request_context import current_request_id

_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


@lru_cache(maxsize=2)
def settings_policy(*, report_only: bool) -> str:
    """The policy of ``CONTENT_SECURITY_POLICY`` (or its ``_REPORT_ONLY``) as a header value."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _forget_policy(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()


_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once a process.

    django-csp builds the header from the settings again for every response, which took a
    fortieth of an API call's CPU. A response that sets no policy of its own (no
    ``csp_update``/``csp_replace``/``csp_override`` decorator) on a request that used no
    nonce gets exactly the settings' policy, so that is built once; any other response is
    left to django-csp, as are the exemptions both honour.
    """

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        own = any(
            getattr(response, f"{name}{ro}", None) is not None
            for name in _OWN_POLICY
            for ro in ("", "_ro")
        )
        if own or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only, exempt in (
            (HEADER, False, "_csp_exempt"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"),
        ):
            policy = settings_policy(report_only=report_only)
            if policy and header not in response and getattr(response, exempt, False) is False:
                setting = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
                if not request.path_info.startswith(tuple(prefixes or ())):
                    response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


# --- the session's middleware, for requests that have a session -------------------------


def sessionless_api_call(request: HttpRequest) -> bool:
    """An API call that sends no session cookie: a program with its token, or no one.

    Nothing such a call reaches reads or writes a session or its messages (the API's own
    authentication signs in the token's user), so the session, authentication, two-factor
    and messages middleware have nothing to do for it; passing them by was a twentieth of a
    token call's CPU at the deadline surge (``bench/results.md``). A cookie header that
    merely mentions the session cookie's name takes the whole way, as every page does.
    """
    return request.path_info.startswith("/api/") and (
        settings.SESSION_COOKIE_NAME not in request.META.get("HTTP_COOKIE", "")
    )


class _SessionOnly:
    """A middleware that a session-less API call passes by (``sessionless_api_call``).

    Each is a subclass of the one it replaces, so that checks looking for Django's (the
    admin's) find it."""

    get_response: Callable[[HttpRequest], HttpResponse]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if sessionless_api_call(request):
            self.pass_by(request)
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]

    def pass_by(self, request: HttpRequest) -> None:
        """What the request needs of this middleware when it passes it by."""


class SessionMiddleware(_SessionOnly, sessions_middleware.SessionMiddleware):
    pass


class AuthenticationMiddleware(_SessionOnly, auth_middleware.AuthenticationMiddleware):
    """Django's, and for a session-less API call no one signed in until its token is read."""

    def pass_by(self, request: HttpRequest) -> None:
        request.user = AnonymousUser()


class OTPMiddleware(_SessionOnly, otp_middleware.OTPMiddleware):
    pass


class MessageMiddleware(_SessionOnly, messages_middleware.MessageMiddleware):
    pass
