"""Start-up checks: warn when open data would be published under a wrong address."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def site_address_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With DEBUG off, THRIVE_SITE_URL must be set or the OCDS publication is refused."""
    from thrive.opendata.ocds import site_address_missing  # lazy: start-up

    if not site_address_missing():
        return []
    return [
        checks.Warning(
            "THRIVE_SITE_URL is not set: the OCDS contracting data is not published.",
            hint="Set THRIVE_SITE_URL to the service's public address, "
            "for example https://thrive.example.gov.uk.",
            id="opendata.W001",
        )
    ]
