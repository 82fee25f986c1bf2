from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from thrive.core import branding, navigation


def service(request: HttpRequest) -> dict[str, Any]:
    """Whose page this is (its council or the installation), the service name and the
    navigation, for every page."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.THRIVE_SERVICE_NAME,
        **branding.branding(branding.council_of_page(request)),
        "nav_items": navigation.items_for(user, request.path) if user is not None else [],
    }
