"""The commissioning app's entries in the service's navigation."""

from __future__ import annotations

from thrive.core.navigation import NavItem

ITEMS = [
    NavItem(
        "Needs",
        "commissioning:needs",
        "commissioning.needs.view",
        320,
        top=frozenset(),
        section="Commissioning",
        description="Needs with their evidence and priority",
    ),
    NavItem(
        "Intentions",
        "commissioning:intentions",
        "commissioning.intentions.view",
        330,
        top=frozenset({"staff"}),
    ),
    NavItem(
        "Published intentions",
        "commissioning:public_intentions",
        "public",
        340,
        anonymous=True,
        top=frozenset({"anonymous"}),
        section="Commissioning",
        description="What the council plans to commission, as published",
    ),
    NavItem(
        "Consultations",
        "commissioning:consultations",
        "public",
        345,
        anonymous=True,
        top=frozenset({"anonymous"}),
        section="Commissioning",
        description="Have your say on what the council plans",
    ),
    NavItem(
        "Market testing",
        "commissioning:market_tests",
        "commissioning.respond",
        350,
        top=frozenset(),
        section="Commissioning",
        description="Soft market tests your organisation is invited to",
    ),
    NavItem(
        "Notices",
        "commissioning:notices",
        "commissioning.notices.view",
        355,
        top=frozenset(),
        section="Commissioning",
        description="Decommissioning notices to your organisations",
    ),
]
