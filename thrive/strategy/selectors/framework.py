"""Reads for the council a page is about, the outcomes framework and directorates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from thrive.accounts.models import Council
from thrive.core import policy
from thrive.strategy.models import Directorate, Outcome


def council_for(user: Any, council_id: Any = None) -> Council:
    """The council a staff user works in; a system administrator chooses one (default: first)."""
    if user.council_id:
        return user.council
    if policy.is_system_admin(user):
        councils = Council.objects.order_by("name")
        if council_id and str(council_id).isdigit():
            return get_object_or_404(councils, pk=int(council_id))
        council = councils.first()
        if council is not None:
            return council
    raise Http404("No council")


def outcome_tree(*, council: Council) -> list[tuple[Outcome, int]]:
    """The council's outcomes in framework order, each with its depth below a root."""
    outcomes = list(Outcome.objects.for_council(council.pk).order_by("order", "code"))
    children: dict[int | None, list[Outcome]] = {}
    for outcome in outcomes:
        children.setdefault(outcome.parent_id, []).append(outcome)
    result: list[tuple[Outcome, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for outcome in children.get(parent_id, []):
            result.append((outcome, depth))
            walk(outcome.pk, depth + 1)

    walk(None, 0)
    return result


def outcome_choices(*, council_id: int) -> QuerySet[Outcome]:
    return Outcome.objects.for_council(council_id).active().order_by("order", "code")


def directorates_for(*, council: Council) -> QuerySet[Directorate]:
    return Directorate.objects.filter(council=council).order_by("name")
