"""Session rules for signed-in people: idle timeout for staff, two-factor before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from thrive.accounts.services import two_factor
from thrive.core import policy

LAST_SEEN_KEY = "thrive_last_seen"
HAS_APP_KEY = "thrive_has_two_factor_app"
# Record activity at most this often, so a busy page does not write the session every time.
LAST_SEEN_GRANULARITY_SECONDS = 60
# Pages a person part-way through signing in may still open.
SIGN_IN_VIEWS = frozenset(
    {
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "core:healthz",
    }
)


def _now() -> float:
    return time.time()


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def idle_message(minutes: int) -> str:
    return f"You were signed out after {minutes} minutes without activity. Sign in again."


class IdleTimeoutMiddleware:
    """Sign staff out after ``THRIVE_STAFF_IDLE_MINUTES`` without a request.

    Provider users keep the full session (``SESSION_COOKIE_AGE``). After a timeout the next
    page asks them to sign in and returns them to where they were.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and policy.is_staff_user(user):
            now = _now()
            last_seen = request.session.get(LAST_SEEN_KEY)
            limit = settings.THRIVE_STAFF_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                return self._timed_out(request)
            if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _timed_out(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        if _is_api(request):
            return self.get_response(request)
        messages.info(request, idle_message(settings.THRIVE_STAFF_IDLE_MINUTES))
        next_path = request.get_full_path() if request.method == "GET" else request.path
        return redirect_to_login(next_path)


class TwoFactorMiddleware:
    """Hold a signed-in person at the code page until their session is verified.

    Anyone with a confirmed authenticator app enters a code after their password; system and
    council administrators without one are sent to set it up. Until then the pages are
    closed to them and the API treats their session as signed out (API tokens are their own
    credential and are unaffected).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SIGN_IN_VIEWS:
            return None
        step = _step_needed(request, user)
        if step is None:
            return None
        if _is_api(request):
            request.user = AnonymousUser()
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(f"{reverse(step)}?{query}" if query else reverse(step))


def _step_needed(request: HttpRequest, user: Any) -> str | None:
    """The page the person must pass first, if any.

    Whether they had an app when they signed in is kept in the session, so most requests ask
    the database nothing; administrators, who must have one, are always checked afresh.
    """
    required = two_factor.two_factor_required(user=user)
    if request.session.get(HAS_APP_KEY) is False and not required:
        return None
    has_app = two_factor.has_two_factor(user=user)
    request.session[HAS_APP_KEY] = has_app
    if has_app:
        return None if user.is_verified() else "accounts:two_factor_verify"
    return "accounts:two_factor_setup" if required else None


def remember_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: start the idle clock and note whether the person has an app."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN_KEY] = _now()
    request.session[HAS_APP_KEY] = two_factor.has_two_factor(user=user)


def note_app_changed(request: HttpRequest, *, has_app: bool) -> None:
    """Keep the session's note in step after setting up or removing an app in it."""
    request.session[HAS_APP_KEY] = has_app
