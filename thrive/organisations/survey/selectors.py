"""Reads for the survey that need the register: results by organisation size, open rounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from thrive.accounts.models import User
from thrive.organisations.models import SizeBand
from thrive.strategy.models import (
    POSITIVE_INFLUENCE,
    Agreement,
    Influence,
    SurveyResponse,
    SurveyRound,
)
from thrive.strategy.selectors import ni7_percentage
from thrive.strategy.survey import OVERALL_QUESTION, SUB_QUESTIONS

# Breakdowns with fewer respondents than this are not shown, so no answer can be traced.
SMALL_GROUP = 5


def _distribution(responses: QuerySet, field: str, choices: Any) -> list[dict[str, Any]]:
    counted = dict(responses.order_by().values_list(field).annotate(n=Count("pk")))
    total = sum(counted.values())
    return [
        {
            "value": value,
            "label": label,
            "count": counted.get(value, 0),
            "percent": round(100 * counted.get(value, 0) / total, 1) if total else 0,
        }
        for value, label in choices
    ]


def survey_results(survey: SurveyRound) -> dict[str, Any]:
    """Aggregate results of a round: respondents, NI 7, each question's answers and the NI 7
    figure by organisation size (groups under ``SMALL_GROUP`` respondents withheld)."""
    responses = SurveyResponse.objects.filter(round=survey)
    totals = responses.aggregate(
        respondents=Count("pk"),
        positive=Count("pk", filter=Q(overall__in=list(POSITIVE_INFLUENCE))),
    )
    questions = []
    for field, text in SUB_QUESTIONS:
        rows = _distribution(responses, field, Agreement.choices)
        views = [r for r in rows if r["value"] != Agreement.DONT_KNOW]
        with_view = sum(r["count"] for r in views)
        agree = sum(r["count"] for r in views if r["value"] >= Agreement.TEND_TO_AGREE)
        questions.append(
            {
                "field": field,
                "text": text,
                "rows": rows,
                "agree_percent": round(100 * agree / with_view, 1) if with_view else None,
            }
        )
    by_size = []
    counted = {
        band: (n, pos)
        for band, n, pos in responses.order_by()
        .values_list("size_band")
        .annotate(n=Count("pk"), pos=Count("pk", filter=Q(overall__in=list(POSITIVE_INFLUENCE))))
    }
    for band, label in SizeBand.choices:
        n, pos = counted.get(band, (0, 0))
        if n:
            by_size.append(
                {
                    "label": label,
                    "respondents": n,
                    "ni7": ni7_percentage(pos, n) if n >= SMALL_GROUP else None,
                    "withheld": n < SMALL_GROUP,
                }
            )
    comments = sorted(c for c in responses.exclude(comment="").values_list("comment", flat=True))
    return {
        "respondents": totals["respondents"],
        "positive": totals["positive"],
        "ni7": ni7_percentage(totals["positive"], totals["respondents"]),
        "overall": _distribution(responses, "overall", Influence.choices),
        "questions": questions,
        "by_size": by_size,
        "comments": comments if totals["respondents"] >= SMALL_GROUP else [],
        "comments_withheld": 0 < totals["respondents"] < SMALL_GROUP,
    }


def survey_result_rows(results: dict[str, Any]) -> list[list[Any]]:
    """The aggregate answers as rows for a download; no organisation appears."""
    rows: list[list[Any]] = [
        [OVERALL_QUESTION, r["label"], r["count"], r["percent"]] for r in results["overall"]
    ]
    for question in results["questions"]:
        rows += [[question["text"], r["label"], r["count"], r["percent"]] for r in question["rows"]]
    rows.append(["NI 7", "Very or fairly positive", results["positive"], results["ni7"]])
    return rows


def open_rounds_for_provider(*, user: User, today: date | None = None) -> list[dict[str, Any]]:
    """Rounds open today, each with the user's organisations and whether each has answered."""
    today = today or timezone.localdate()
    memberships = list(
        user.memberships.select_related("organisation").order_by("organisation__name")
    )
    rounds = list(
        SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("council", "financial_year")
        .order_by("council__name")
    )
    answered = set(
        SurveyResponse.objects.filter(
            round__in=rounds, organisation_id__in=[m.organisation_id for m in memberships]
        ).values_list("round_id", "organisation_id")
    )
    return [
        {
            "round": item,
            "organisations": [
                {
                    "organisation": m.organisation,
                    "is_admin": m.is_admin,
                    "answered": (item.pk, m.organisation_id) in answered,
                }
                for m in memberships
            ],
        }
        for item in rounds
    ]
