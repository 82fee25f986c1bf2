"""The assessment app's entries in the service's navigation."""

from __future__ import annotations

from thrive.core.navigation import NavItem

ITEMS = [
    NavItem("Assessment", "assessment:home", "assessment.home", 66, top=frozenset({"staff"})),
    NavItem(
        "Standstill and delegated limits",
        "assessment:settings",
        "assessment.settings.manage",
        875,
        top=frozenset(),
        section="Running the service",
        description="The standstill period and each role's delegated limit",
    ),
]
