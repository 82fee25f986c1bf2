"""What opportunities add to the apps below them once the registry is ready: navigation and
to-do items."""

from __future__ import annotations

from thrive.core import navigation
from thrive.core.navigation import NavItem
from thrive.opportunities import worklist  # noqa: F401 - registers the app's to-do items


def register() -> None:
    """Add the app's items to the lower apps' slots (``OpportunitiesConfig.ready``)."""
    navigation.add(
        NavItem(
            "Opportunities",
            "opportunities:list",
            "public",
            40,
            anonymous=True,
            top=frozenset({"anonymous", "provider"}),
            section="Opportunities and assessment",
            description="Open funding opportunities, as applicants see them",
        )
    )
    navigation.add(
        NavItem(
            "Run opportunities",
            "opportunities:manage",
            "opportunities.manage",
            45,
            top=frozenset({"staff"}),
        )
    )
