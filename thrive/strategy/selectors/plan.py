"""Reads for the annual action plan (§5.1): its years, actions and progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Council, User
from thrive.core import policy
from thrive.strategy.models import (
    OVERDUE,
    PROGRESS_LABELS,
    ActionStatus,
    FinancialYear,
    PlanAction,
)


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
    if found is None or found.pk is None:
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
        # shown, not saved: a page view writes nothing
        found = FinancialYear.objects.filter(start_year=current).first()
        years.append(found or FinancialYear(start_year=current))
        years.sort(key=lambda y: -y.start_year)
    return years


def get_action(*, user: Any, action_id: int, action: str = "strategy.plan.manage") -> PlanAction:
    found = get_object_or_404(
        PlanAction.objects.select_related("council", "financial_year", "owner"), pk=action_id
    )
    policy.require(user, action, found)
    return found


def owner_choices(*, council: Council) -> QuerySet:
    return User.objects.filter(council=council, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
