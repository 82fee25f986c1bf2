"""Benchmarks for the organisation register: search, each filter, later pages, an
organisation's page and the public directory.

Targets (server time, p95, at ``large`` scale with a million other funders' grants imported,
on PostgreSQL): search and filters 100 ms, every other page 200 ms and 20 queries.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from thrive.accounts.models import Membership
from thrive.organisations.models import Identifier, Organisation


def _get(path: str, user: str | None = "commissioner") -> Any:
    return lambda client_for: client_for(user).get(path)


@cache  # looked up once, not timed with each request
def _org_id() -> str:
    return Identifier.objects.order_by("pk").first().org_id


@cache  # looked up once, not timed with each request
def _funded_organisation() -> int:
    """The first organisation with an award (a funded one shows the most)."""
    funded = Organisation.objects.filter(awards__isnull=False).order_by("pk")
    return funded.values_list("pk", flat=True).first()


@cache  # looked up once, not timed with each request
def _providers_organisation() -> int:
    return Membership.objects.get(user__username="provider").organisation_id


def _page(user: str, lookup: Any) -> Any:
    return lambda client_for: client_for(user).get(f"/organisations/{lookup()}/")


def _search_org_id(client_for: Any) -> Any:
    return client_for("commissioner").get("/organisations/", {"q": _org_id()})


CASES = [
    ("Register", 0.2, _get("/organisations/")),
    ("Register, page 50", 0.2, _get("/organisations/?page=50")),
    ("Register, search a word", 0.1, _get("/organisations/?q=food")),
    ("Register, search two words", 0.1, _get("/organisations/?q=food+bank")),
    ("Register, search a misspelling", 0.1, _get("/organisations/?q=playgrop")),
    ("Register, search a postcode", 0.1, _get("/organisations/?q=OL5")),
    ("Register, search an org-id", 0.1, _search_org_id),
    ("Register, legal form", 0.1, _get("/organisations/?legal_form=cio")),
    ("Register, size", 0.1, _get("/organisations/?size_band=micro")),
    ("Register, funded by us", 0.1, _get("/organisations/?funded=yes")),
    ("Register, not funded by us", 0.1, _get("/organisations/?funded=no")),
    ("Register, funded by others", 0.1, _get("/organisations/?funded_by_others=yes")),
    ("Register, charity register flags", 0.1, _get("/organisations/?charity_register=yes")),
    ("Register, Third Sector test", 0.1, _get("/organisations/?third_sector=passes")),
    ("Organisation page, staff", 0.2, _page("commissioner", _funded_organisation)),
    ("Organisation page, its member", 0.2, _page("provider", _providers_organisation)),
    ("Directory search", 0.1, _get("/directory/?q=food", None)),
]
