"""The to-do list page: everything waiting on the signed-in person (issue 15, §4)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.core import policy, worklist


@policy.rule("tasks.view")
def todo_list(request: HttpRequest) -> HttpResponse:
    """Show the work waiting on the user, grouped by kind, oldest first, with links."""
    return render(
        request,
        "core/tasks.html",
        {
            "groups": worklist.grouped_for(request.user),
            "total": worklist.remember_total(request.user),
        },
    )
