"""What applications add to the commissioner's opportunity page: how many applications or
bids were received (never, while sealed, to those who may not know), and the opening of
sealed bids. Registered in ``opportunities.extensions.manage_sections``."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from thrive.applications.selectors import received_count_for
from thrive.core import policy
from thrive.opportunities.models import Opportunity


def bids_section(request: HttpRequest, opportunity: Opportunity) -> SafeString:
    """The applications and bids received, and the sealed bids' opening."""
    now = timezone.now()
    user = request.user
    return render_to_string(
        "applications/_opportunity_bids.html",
        {
            "opportunity": opportunity,
            "may_read_bids": policy.can(user, "applications.received.view", opportunity),
            "may_open_bids": policy.can(user, "applications.bids.open", opportunity),
            "received": received_count_for(user=user, opportunity=opportunity, now=now),
            "has_closed": opportunity.has_closed(now),
            "opening": getattr(opportunity, "bid_opening", None),
        },
        request=request,
    )
