"""Request id: taken from a trusted X-Request-ID header or made here, echoed back; the
Content-Security-Policy header, built once."""

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
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

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
