"""Benchmarks for the awards register: its filters, searches and later pages.

Targets (server time, p95, at ``large`` scale and with a million awards on PostgreSQL):
searches and filters 100 ms, every other page 200 ms. The register counts its awards only up
to 10,000 and reads a page's rows by id, so a later page costs what the first does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from thrive.accounts.models import User
from thrive.awards.models import Award
from thrive.organisations.models import Identifier


def _get(path: str, user: str = "commissioner") -> Any:
    return lambda client_for: client_for(user).get(path)


def _first(path: str, lookup: Any) -> Any:
    """A page about the first council's first award (or its provider's org-id)."""
    return lambda client_for: client_for("commissioner").get(path.format(lookup()))


@cache  # looked up once, not timed with each request
def _reference() -> str:
    council = User.objects.get(username="commissioner").council_id
    return Award.objects.filter(council_id=council).order_by("pk").first().reference


@cache  # looked up once, not timed with each request
def _org_id() -> str:
    return Identifier.objects.order_by("pk").first().org_id


CASES = [
    ("Awards register", 0.2, _get("/awards/")),
    ("Awards register, page 200", 0.2, _get("/awards/?page=200")),
    ("Awards register, contracts", 0.1, _get("/awards/?kind=contract")),
    ("Awards register, active", 0.1, _get("/awards/?status=active")),
    ("Awards register, one year", 0.1, _get("/awards/?year=2024")),
    ("Awards register, search a title word", 0.1, _get("/awards/?q=advice")),
    ("Awards register, search nothing found", 0.1, _get("/awards/?q=zzzznothing")),
    ("Awards register, search a reference", 0.1, _first("/awards/?q={}", _reference)),
    ("Awards register, search an org-id", 0.1, _first("/awards/?q={}", _org_id)),
    ("An award's page", 0.2, _first("/awards/{}/", _reference)),
    ("A provider's awards", 0.2, _get("/awards/yours/", "provider")),
]
