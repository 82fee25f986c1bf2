"""Reads for the yearly NI 7 survey (§5.1): rounds and the NI 7 figure."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from thrive.accounts.models import Council
from thrive.core import policy
from thrive.strategy.models import POSITIVE_INFLUENCE, SurveyRound


def ni7_percentage(positive: int, respondents: int) -> float | None:
    """NI 7: the share of respondents saying local statutory bodies influence their success
    positively (very or fairly), as a percentage to one decimal place; None with no answers."""
    if respondents < 0 or positive < 0 or positive > respondents:
        raise ValueError("positive answers must be between 0 and the number of respondents")
    if respondents == 0:
        return None
    return round(100 * positive / respondents, 1)


class NI7Point(NamedTuple):
    year: str
    respondents: int
    ni7: float | None


def _positive_filter() -> Q:
    return Q(responses__overall__in=[int(v) for v in POSITIVE_INFLUENCE])


def ni7_series(council: Council) -> list[NI7Point]:
    """(financial year label, respondents, NI 7 %) for each of the council's survey rounds,
    oldest first, computed by the database in one query."""
    rounds = (
        SurveyRound.objects.filter(council=council)
        .select_related("financial_year")
        .annotate(
            respondents=Count("responses"), positive=Count("responses", filter=_positive_filter())
        )
        .order_by("financial_year__start_year")
    )
    return [
        NI7Point(str(r.financial_year), r.respondents, ni7_percentage(r.positive, r.respondents))
        for r in rounds
    ]


def survey_rounds(*, council: Council) -> list[SurveyRound]:
    """The council's rounds, newest first, with respondents and NI 7 figures."""
    rounds = list(
        SurveyRound.objects.filter(council=council)
        .select_related("financial_year")
        .annotate(
            respondents=Count("responses"), positive=Count("responses", filter=_positive_filter())
        )
        .order_by("-financial_year__start_year")
    )
    for item in rounds:
        item.ni7 = ni7_percentage(item.positive, item.respondents)
    return rounds


def get_round(*, user: Any, round_id: int, action: str) -> SurveyRound:
    found = get_object_or_404(
        SurveyRound.objects.select_related("council", "financial_year"), pk=round_id
    )
    policy.require(user, action, found)
    return found
