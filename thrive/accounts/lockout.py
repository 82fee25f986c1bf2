"""Sign-in lockout (django-axes): failures count against the account, however it was named.

``volunteer``, ``VOLUNTEER`` and the account's email address in any case are one account, so
they share one failure count; a name that matches no account is counted in lower case.
Settings: ``AXES_USERNAME_CALLABLE`` and ``AXES_LOCKOUT_CALLABLE`` point here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from thrive.accounts.models import User

LOCKED_OUT_STATUS = 429


def _typed_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    if credentials:
        return str(credentials.get("username") or "")
    if request is None:
        return ""
    return str(getattr(request, "POST", {}).get("username", ""))


def account_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name failures are counted under: the account's own username, in lower case."""
    typed = _typed_name(request, credentials).strip()
    if not typed:
        return None
    username = (
        User.objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .values_list("username", flat=True)
        .first()
    )
    return (username or typed).lower()[:255]


def retry_at(request: HttpRequest, key: str | None) -> datetime:
    """When the lockout that refused this request ends."""
    ip_address = getattr(request, "axes_ip_address", None)
    matching = Q(ip_address=ip_address) if ip_address else Q(pk__in=[])
    if key:
        matching |= Q(username=key)
    latest = AccessAttempt.objects.filter(matching).aggregate(latest=Max("attempt_time"))
    return (latest["latest"] or timezone.now()) + get_cool_off(request)


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The GOV.UK-styled page saying the account or address is locked, and until when."""
    key = account_key(request, credentials)
    until = timezone.localtime(retry_at(request, key))
    return render(
        request,
        "accounts/locked_out.html",
        {"retry_at": until, "same_day": until.date() == timezone.localdate()},
        status=LOCKED_OUT_STATUS,
    )


def clear_lockout(*, user: User, request: HttpRequest) -> None:
    """Forget the failed sign-ins of an account whose password was just reset, and its owner's.

    Both counts go: the account's, and the address the owner reset it from (their own typing
    may have locked that too).
    """
    reset(username=user.username.lower())
    ip_address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    if ip_address:
        reset(ip=ip_address)
