"""Pots near their limit (finance) and overdue plan actions (plan keepers) on to-do lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.core import worklist
from thrive.strategy.models import ActionStatus
from thrive.strategy.tests.factories import (
    FinancialYearFactory,
    FundingPotFactory,
    PlanActionFactory,
)

pytestmark = pytest.mark.django_db


def test_finance_officer_sees_pots_at_ninety_percent_committed_or_more():
    this_year = FinancialYearFactory(
        start_year=timezone.localdate().year - (timezone.localdate().month < 4)
    )
    full = FundingPotFactory(
        financial_year=this_year, budget_pence=1_000_000, committed_pence=900_000
    )
    FundingPotFactory(
        council=full.council,
        financial_year=this_year,
        budget_pence=1_000_000,
        committed_pence=899_999,
    )
    FundingPotFactory(
        council=full.council,
        financial_year=FinancialYearFactory(start_year=this_year.start_year - 1),
        budget_pence=1_000_000,
        committed_pence=1_000_000,
    )  # a past year
    finance = staff_with_role(Role.FINANCE_OFFICER, council=full.council)

    [item] = worklist.items_of(finance, "strategy.pot")
    assert item.url == reverse("strategy:pot_detail", args=[full.pk])
    assert "90% committed" in item.detail
    assert (
        worklist.items_of(staff_with_role(Role.COMMISSIONER, council=full.council), "strategy.pot")
        == []
    )


def test_strategy_group_sees_overdue_actions_but_not_done_or_future_ones():
    late = PlanActionFactory(due_date=timezone.localdate() - timedelta(days=3))
    PlanActionFactory(council=late.council, due_date=timezone.localdate() + timedelta(days=3))
    PlanActionFactory(
        council=late.council,
        due_date=timezone.localdate() - timedelta(days=3),
        status=ActionStatus.DONE,
    )
    keeper = staff_with_role(Role.STRATEGY_GROUP, council=late.council)

    [item] = worklist.items_of(keeper, "strategy.action")
    assert item.overdue is True
    assert item.url == reverse("strategy:action_status", args=[late.pk])
