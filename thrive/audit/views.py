"""The audit log page and its download."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.audit import selectors, withholding
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response


def _action(request: HttpRequest) -> str:
    return request.GET.get("action", "").strip()[:100]


@policy.rule("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    """Recent decisions and changes, newest first, filterable by action."""
    action = _action(request)
    events = selectors.events_for_user(user=request.user, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = withholding.as_shown(page.object_list)
    rows = [(event, selectors.who(event)) for event in page.object_list]
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": rows,
            "action": action,
            "export_formats": EXPORT_FORMATS,
            "export_limit": f"{selectors.EXPORT_LIMIT:,}",
        },
    )


@policy.rule("audit.view")
def export(request: HttpRequest) -> HttpResponse:
    """The newest matching events as CSV, XLSX or ODS, sealed bidders' names withheld."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    events = selectors.events_for_user(user=request.user, action=_action(request))
    return export_response(
        headers=selectors.EXPORT_HEADERS,
        rows=selectors.export_rows(events),
        fmt=fmt,
        filename="audit-log",
        title="Audit log",
    )
