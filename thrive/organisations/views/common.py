"""Helpers shared by the register's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from thrive.core import policy
from thrive.organisations import selectors
from thrive.organisations.models import Organisation

PAGE_SIZE = 25
BACKEND = "thrive.accounts.backends.EmailOrUsernameBackend"


def load_organisation(request: HttpRequest, organisation_id: int, action: str) -> Organisation:
    organisation = selectors.get_organisation(pk=organisation_id)
    policy.require(request.user, action, organisation)
    return organisation


def merged_redirect(organisation: Organisation, name: str) -> HttpResponse | None:
    if organisation.merged_into_id:
        return HttpResponseRedirect(reverse(name, args=[organisation.merged_into_id]))
    return None


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address a page was given, when it is one of this site's own; else ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""
