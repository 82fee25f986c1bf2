"""Where higher apps add to the opportunity pages without being imported."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from thrive.core.extensions import Slot
from thrive.opportunities.models import Opportunity

# Parts of the commissioner's page under "Applications and bids" (applications add what was
# received and the opening of sealed bids): each renders its HTML for the user and opportunity.
ManageSection = Callable[[HttpRequest, Opportunity], SafeString]
manage_sections: Slot[ManageSection] = Slot("opportunities.manage_sections")
