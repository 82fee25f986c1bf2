"""The audit log page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.audit import selectors
from thrive.core import policy


@policy.rule("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    """Recent decisions and changes, newest first, filterable by action."""
    action = request.GET.get("action", "").strip()[:100]
    events = selectors.events_for_user(user=request.user, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "action": action})
