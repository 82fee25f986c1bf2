"""The request size cap: a request whose declared body is over the limit is refused with 413
before any of it is read."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from thrive.core.uploads import max_upload_bytes, megabytes

logger = logging.getLogger(__name__)


def request_limit(path: str) -> int:
    """The largest body a request to ``path`` may declare.

    Pages may carry one upload and the form around it; the API takes no files, so its
    limit is Django's own cap on form and JSON data.
    """
    if path.startswith("/api/"):
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return max_upload_bytes() + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body at all when the length is not a number


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413: a JSON error for the API, a page in the service's style for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "too_large",
                "message": f"The request must be smaller than {megabytes(limit)}",
                "errors": {},
            },
            status=413,
        )
    context = {"upload_limit": megabytes(max_upload_bytes()), "back": request.path}
    return render(request, "413.html", context, status=413)


class UploadLimitMiddleware:
    """Refuse a request whose declared body is over the limit before any of it is read.

    It must come before anything that reads the body (the CSRF check reads the form in its
    view hook, which runs after every middleware's own turn).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_limit(request.path)
        declared = _declared_length(request)
        if declared > limit:
            logger.info("Refused a %s byte request to %s (limit %s)", declared, request.path, limit)
            return too_large(request, limit)
        return self.get_response(request)
