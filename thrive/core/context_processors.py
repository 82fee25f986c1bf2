from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from thrive.core import navigation


def service(request: HttpRequest) -> dict[str, Any]:
    """The council's name, the service name and the navigation for every page."""
    user = getattr(request, "user", None)
    council = getattr(user, "council", None) if user is not None and user.is_authenticated else None
    return {
        "service_name": settings.THRIVE_SERVICE_NAME,
        "council_name": council.name if council else settings.THRIVE_COUNCIL_NAME,
        "nav_items": navigation.items_for(user, request.path) if user is not None else [],
    }
