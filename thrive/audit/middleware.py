"""Record in the audit log every file a signed-in person downloads."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from thrive.audit.services import log_action

_FILENAME = re.compile(r'filename="?([^";]+)"?')


class DownloadAuditMiddleware:
    """Record in the audit log every file a signed-in person downloads.

    Exports (CSV, XLSX, ODS), PDFs, attachments and documents all leave as attachments, so
    one check here covers every one of them, now and in apps still to come: who, which
    address with which filters, and the file's name. Anonymous downloads of published open
    data are not recorded (nothing about a person to record).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and disposition.startswith("attachment")
            and user is not None
            and user.is_authenticated
        ):
            name = _FILENAME.search(disposition)
            log_action(
                action="core.file.downloaded",
                actor=user,
                after={
                    "path": request.path[:300],
                    "query": request.GET.urlencode()[:500],
                    "file": name.group(1)[:200] if name else "",
                    "content_type": response.get("Content-Type", "")[:100],
                },
            )
        return response
