"""Reads for outcomes, directorates, pots and thresholds, already scoped by the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Council, Role
from thrive.core import policy
from thrive.strategy.models import (
    CORPORATE_KINDS,
    OVERDUE,
    POSITIVE_INFLUENCE,
    PROGRESS_LABELS,
    ActionStatus,
    Agreement,
    Directorate,
    FinancialYear,
    FundingPot,
    Influence,
    Outcome,
    PlanAction,
    SurveyResponse,
    SurveyRound,
    ThresholdSet,
)


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


def pots_for_user(*, user: Any, council: Council, year: FinancialYear | None = None) -> QuerySet:
    """The pots the user may see in a council, with what remains, in the year if given."""
    pots = (
        FundingPot.objects.for_council(council.pk)
        .with_remaining()
        .select_related("directorate", "financial_year", "merged_into")
    )
    if year is not None:
        pots = pots.filter(financial_year=year)
    commissioner_only = policy.has_council_role(user, Role.COMMISSIONER) and not any(
        policy.has_council_role(user, role)
        for role in (
            Role.FINANCE_OFFICER,
            Role.PROCUREMENT_OFFICER,
            Role.STRATEGY_GROUP,
            Role.COUNCIL_ADMIN,
        )
    )
    if commissioner_only:
        ids = user.directorate_ids()
        pots = pots.filter(
            Q(kind__in=list(CORPORATE_KINDS))
            | Q(directorate_id__in=ids)
            | Q(contributions__directorate_id__in=ids)
        ).distinct()
    return pots


def pot_totals(pots: QuerySet) -> dict[str, int]:
    """Budget, committed and remaining across the pots, summed in the database."""
    totals = pots.order_by().aggregate(budget=Sum("budget_pence"), committed=Sum("committed_pence"))
    budget, committed = totals["budget"] or 0, totals["committed"] or 0
    return {"budget": budget, "committed": committed, "remaining": budget - committed}


def get_pot(*, user: Any, pot_id: int) -> FundingPot:
    """One pot the user may see, or 404/403."""
    pot = get_object_or_404(
        FundingPot.objects.select_related(
            "directorate", "financial_year", "council", "merged_into"
        ),
        pk=pot_id,
    )
    policy.require(user, "strategy.pots.view", pot)
    return pot


def same_pot_in_year(*, pot: FundingPot, start_year: int) -> FundingPot | None:
    """The pot of the same line as ``pot`` in another financial year, or None.

    A pot's line is its council, owning directorate and kind; a pot's name is unique in
    its year, so a line's pots usually share a name from year to year. The open pot of the
    line with the same name is chosen, else the line's only open pot that year.
    """
    if pot.financial_year.start_year == start_year:
        return pot
    line = (
        FundingPot.objects.for_council(pot.council_id)
        .open()
        .filter(
            financial_year__start_year=start_year, directorate_id=pot.directorate_id, kind=pot.kind
        )
        .select_related("financial_year")
        .order_by("pk")
    )
    candidates = list(line[:20])
    named = [found for found in candidates if found.name == pot.name]
    if named:
        return named[0]
    return candidates[0] if len(candidates) == 1 else None


def pots_to_commit(*, user: Any, council: Council, today: date | None = None) -> QuerySet:
    """The pots the user may commit an award's money from: open (not merged into another),
    of this financial year or a later one, among the pots the user may see."""
    current = FinancialYear.start_year_for(today or timezone.localdate())
    return (
        pots_for_user(user=user, council=council)
        .open()
        .filter(financial_year__start_year__gte=current)
        .order_by("financial_year__start_year", "name")
    )


def default_pot(*, choices: QuerySet, planned: FundingPot | None) -> FundingPot | None:
    """The planned pot (an intention's) if it is among the choices, else its line's pot of
    the earliest year offered."""
    if planned is None:
        return None
    offered = {pot.pk: pot for pot in choices}
    if planned.pk in offered:
        return planned
    for year in sorted({pot.financial_year.start_year for pot in offered.values()}):
        found = same_pot_in_year(pot=planned, start_year=year)
        if found is not None and found.pk in offered:
            return found
    return None


def years_with_pots(*, council: Council) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(pots__council=council).distinct().order_by("-start_year")


def threshold_sets_for(*, council: Council) -> QuerySet[ThresholdSet]:
    """National sets and the council's own, newest first."""
    return ThresholdSet.objects.filter(Q(council__isnull=True) | Q(council=council)).order_by(
        "-valid_from", "council_id"
    )


# --- the annual action plan (§5.1) ---------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One action as the plan and the annual report show it."""

    pk: int
    title: str
    description: str
    owner: str
    due_date: date
    status: str  # not_started | in_progress | done | overdue
    status_label: str
    recorded_status: str  # the status as recorded (never "overdue")
    section: str
    section_label: str
    progress_note: str
    overdue: bool


@dataclass(frozen=True)
class ActionPlanProgress:
    """Counts by status (overdue replaces not started/in progress once past due), total, rows."""

    year: FinancialYear | None
    counts: dict[str, int]
    total: int
    actions: list[ActionRow]

    @property
    def not_started(self) -> int:
        return self.counts[ActionStatus.NOT_STARTED]

    @property
    def in_progress(self) -> int:
        return self.counts[ActionStatus.IN_PROGRESS]

    @property
    def done(self) -> int:
        return self.counts[ActionStatus.DONE]

    @property
    def overdue(self) -> int:
        return self.counts[OVERDUE]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def bars(self) -> list[dict[str, Any]]:
        """One bar per status, widths as a share of the total, for the SVG display."""
        return [
            {
                "key": key,
                "label": PROGRESS_LABELS[key],
                "count": self.counts[key],
                "percent": round(100 * self.counts[key] / self.total) if self.total else 0,
            }
            for key in PROGRESS_ORDER
        ]


PROGRESS_ORDER = (
    OVERDUE,
    ActionStatus.NOT_STARTED.value,
    ActionStatus.IN_PROGRESS.value,
    ActionStatus.DONE.value,
)


def _financial_year(year: Any) -> FinancialYear | None:
    """A FinancialYear from itself, its start year (2026) or its label ("2026/27")."""
    if year is None or isinstance(year, FinancialYear):
        return year
    start = str(year).split("/", 1)[0].strip()
    if not start.isdigit():
        return None
    return FinancialYear.objects.filter(start_year=int(start)).first()


def plan_actions(*, council: Council, year: Any) -> QuerySet[PlanAction]:
    """The council's actions for a financial year (a FinancialYear or its start year)."""
    found = _financial_year(year)
    if found is None:
        return PlanAction.objects.none()
    return (
        PlanAction.objects.for_council(council.pk)
        .filter(financial_year=found)
        .select_related("owner", "financial_year")
        .order_by("due_date", "pk")
    )


def action_plan_progress(
    council: Council, year: Any, *, today: date | None = None
) -> ActionPlanProgress:
    """Progress of the council's action plan for a year, in one query.

    ``year`` is a FinancialYear or its start year (2026 for 2026/27). Counts have the keys
    ``not_started``, ``in_progress``, ``done`` and ``overdue``; an action not done by its
    due date counts as overdue only, so the four counts add up to the total.
    """
    today = today or timezone.localdate()
    rows = []
    counts = {key: 0 for key in PROGRESS_ORDER}
    for action in plan_actions(council=council, year=year):
        shown = str(action.progress_status(today))
        counts[shown] += 1
        rows.append(
            ActionRow(
                pk=action.pk,
                title=action.title,
                description=action.description,
                owner=action.owner_label,
                due_date=action.due_date,
                status=shown,
                status_label=PROGRESS_LABELS[shown],
                recorded_status=action.status,
                section=action.section,
                section_label=action.section_label,
                progress_note=action.progress_note,
                overdue=shown == OVERDUE,
            )
        )
    return ActionPlanProgress(
        year=_financial_year(year), counts=counts, total=len(rows), actions=rows
    )


def plan_years(*, council: Council) -> list[FinancialYear]:
    """Years with actions, newest first, and the current year even when its plan is empty."""
    current = FinancialYear.start_year_for(timezone.localdate())
    years = list(
        FinancialYear.objects.filter(plan_actions__council=council)
        .distinct()
        .order_by("-start_year")
    )
    if all(y.start_year != current for y in years):
        from thrive.strategy.services import get_financial_year

        years.append(get_financial_year(start_year=current))
        years.sort(key=lambda y: -y.start_year)
    return years


def get_action(*, user: Any, action_id: int, action: str = "strategy.plan.manage") -> PlanAction:
    found = get_object_or_404(
        PlanAction.objects.select_related("council", "financial_year", "owner"), pk=action_id
    )
    policy.require(user, action, found)
    return found


def owner_choices(*, council: Council) -> QuerySet:
    from thrive.accounts.models import User

    return User.objects.filter(council=council, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


# --- the NI 7 survey (§5.1) ----------------------------------------------------


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
    from thrive.organisations.models import SizeBand
    from thrive.strategy.survey import SUB_QUESTIONS

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
    from thrive.strategy.survey import OVERALL_QUESTION

    rows: list[list[Any]] = [
        [OVERALL_QUESTION, r["label"], r["count"], r["percent"]] for r in results["overall"]
    ]
    for question in results["questions"]:
        rows += [[question["text"], r["label"], r["count"], r["percent"]] for r in question["rows"]]
    rows.append(["NI 7", "Very or fairly positive", results["positive"], results["ni7"]])
    return rows


def open_rounds_for_provider(*, user: Any, today: date | None = None) -> list[dict[str, Any]]:
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
