"""Request id: taken from a trusted X-Request-ID header or made here, echoed back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

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
            from thrive.audit.services import log_action

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


_FILENAME = re.compile(r'filename="?([^";]+)"?')
