"""Home, health check, statement pages and error pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from thrive.core import branding, health, policy
from thrive.core.selectors import home_context


@policy.rule(policy.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """Say what the service is for and route each kind of user onwards."""
    context = home_context(request.user)
    return render(request, context.pop("template"), context)


@never_cache
@policy.rule(policy.PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer the load balancer: 200 when healthy, 503 when the database or the cache does not
    answer or the oldest waiting task has waited too long (``thrive.core.health``)."""
    body, healthy = health.report()
    return JsonResponse(body, status=200 if healthy else 503)


@policy.rule(policy.PUBLIC)
def accessibility(request: HttpRequest) -> HttpResponse:
    branding.installation_page(request)
    return render(request, "core/accessibility.html", {"councils": branding.council_names()})


@policy.rule(policy.PUBLIC)
def privacy(request: HttpRequest) -> HttpResponse:
    branding.installation_page(request)
    return render(request, "core/privacy.html", {"councils": branding.council_names()})


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if isinstance(exception, policy.EmailUnverified):
        return _error(request, "core/verify_email_first.html", 403)
    return _error(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the page must not fail while reporting a failure
        return HttpResponse(
            "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
