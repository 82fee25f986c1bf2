"""The Content-Security-Policy header, built once from the settings: the same policy
django-csp gives, on pages and API answers alike, following the settings when they change,
and django-csp's own handling for a response that asks for a policy of its own."""

from __future__ import annotations

import json

import pytest
from csp.constants import NONCE, NONE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, RequestFactory

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.core.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def _both(view, path: str = "/somewhere/") -> tuple[HttpResponse, HttpResponse]:
    """The answers of our middleware and of django-csp's own, for one view."""
    ours = ContentSecurityPolicyMiddleware(view)(RequestFactory().get(path))
    theirs = CSPMiddleware(view)(RequestFactory().get(path))
    return ours, theirs


def _plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plain")


def test_pages_and_api_answers_carry_the_settings_policy_and_the_other_headers() -> None:
    member = MembershipFactory()
    _, secret = account_services.create_api_token(user=member.user, name="t")
    bearer = {"Authorization": f"Bearer {secret}"}
    for response in (
        Client().get("/"),
        Client().get("/api/v1/applications", headers=bearer),
        Client().post("/api/v1/applications", {}, "application/json", headers=bearer),
        Client().get("/api/v1/applications"),
    ):
        assert _directives(response["Content-Security-Policy"]) == _directives(build_policy())
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_the_header_follows_the_settings_when_they_change(settings) -> None:
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE]}}
    assert Client().get("/healthz")["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": [SELF]}}
    response = Client().get("/healthz")
    assert _directives(response["Content-Security-Policy-Report-Only"]) == {
        "default-src 'self'",
        "img-src 'self'",
    }
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [SELF]},
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
    }
    assert "Content-Security-Policy" not in Client().get("/healthz")
    assert Client().get("/")["Content-Security-Policy"] == "default-src 'self'"


def test_a_response_with_a_policy_of_its_own_gets_what_django_csp_gives() -> None:
    for view in (
        _plain,
        csp_update({"img-src": ["https://maps.example.org"]})(_plain),
        csp_exempt()(_plain),
    ):
        ours, theirs = _both(view)
        assert ours.has_header("Content-Security-Policy") == theirs.has_header(
            "Content-Security-Policy"
        )
        if theirs.has_header("Content-Security-Policy"):
            assert _directives(ours["Content-Security-Policy"]) == _directives(
                theirs["Content-Security-Policy"]
            )
    updated, _ = _both(csp_update({"img-src": ["https://maps.example.org"]})(_plain))
    assert "https://maps.example.org" in updated["Content-Security-Policy"]


def test_a_page_that_used_a_nonce_gets_it_in_its_policy(settings) -> None:
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}
    }

    def with_nonce(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"nonce": str(request.csp_nonce)})

    response = ContentSecurityPolicyMiddleware(with_nonce)(RequestFactory().get("/"))
    nonce = json.loads(response.content)["nonce"]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
