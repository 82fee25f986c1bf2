"""{% load monitoring %}{% track_record organisation %}: the organisation's monitoring record."""

from __future__ import annotations

from typing import Any

from django import template

from thrive.monitoring import selectors

register = template.Library()


@register.inclusion_tag("monitoring/includes/track_record.html")
def track_record(organisation: Any) -> dict[str, Any]:
    """Render the track record (§3.2) for the organisation page and assessors."""
    return {"record": selectors.track_record(organisation), "organisation": organisation}
