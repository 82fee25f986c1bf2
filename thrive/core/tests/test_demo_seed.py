"""The demo data can be worked: whatever waits on someone has a demo sign-in to act on it, and
nothing that has happened is dated after now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from thrive.accounts.models import Role, RoleAssignment, User
from thrive.core import policy
from thrive.core.seeding import DEMO_USERNAMES, SCALES, SeedContext, run_seed
from thrive.monitoring.models import MonitoringPlan, MonitoringReturn, ReturnStatus

pytestmark = pytest.mark.django_db

# Timestamps named *_at that may lie ahead: deadlines, schedules and expiries, not events.
AHEAD = {"closes_at", "opens_at", "expires_at", "due_at", "scheduled_at", "starts_at", "ends_at"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[datetime]:
    with django_db_blocker.unblock():
        run_seed(SeedContext(scale=SCALES["demo"], random_seed=2026, show_progress=False))
        yield timezone.now()
        call_command("flush", "--no-input", verbosity=0)
        # The national thresholds are loaded by a migration; put back what the flush removed.
        from thrive.strategy.defaults import ensure_default_thresholds

        ensure_default_thresholds()


def _event_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.DateTimeField)
                and field.name.endswith("_at")
                and field.name not in AHEAD
            ):
                yield model, field.name


def test_nothing_that_has_happened_is_dated_after_the_seed_ran(seeded: datetime) -> None:
    future = [
        f"{model._meta.label}.{name}: {count}"
        for model, name in _event_fields()
        if (count := model.objects.filter(**{f"{name}__gt": seeded}).count())
    ]
    assert future == []


def test_every_directorate_that_leads_plans_has_a_demo_commissioner(seeded: datetime) -> None:
    leading = set(MonitoringPlan.objects.values_list("lead_directorate", flat=True))
    staffed = set(
        RoleAssignment.objects.filter(
            role=Role.COMMISSIONER, user__username__in=DEMO_USERNAMES
        ).values_list("directorate", flat=True)
    )
    assert leading and leading <= staffed


def test_a_demo_sign_in_may_review_each_of_the_providers_returns(seeded: datetime) -> None:
    provider = User.objects.get(username="provider")
    waiting = MonitoringReturn.objects.filter(
        plan__organisation__memberships__user=provider, status=ReturnStatus.SUBMITTED
    ).select_related("plan")
    demo = list(User.objects.filter(username__in=DEMO_USERNAMES))
    assert waiting.exists()
    for item in waiting:
        reviewers = [u.username for u in demo if policy.can(u, "monitoring.return.decide", item)]
        assert reviewers, item


def test_every_directorate_pot_this_year_has_its_line_in_the_next_two_years(
    seeded: datetime,
) -> None:
    """A three-year agreement starting now commits each year's part against that year's pot."""
    from thrive.strategy.models import FinancialYear, FundingPot, PotKind
    from thrive.strategy.selectors import same_pot_in_year

    current = FinancialYear.start_year_for(timezone.localdate())
    this_year = FundingPot.objects.filter(
        financial_year__start_year=current, kind=PotKind.DIRECTORATE
    ).select_related("financial_year")
    assert this_year.exists()
    missing = [
        f"{pot.name} {current + ahead}"
        for pot in this_year
        for ahead in (1, 2)
        if same_pot_in_year(pot=pot, start_year=current + ahead) is None
    ]
    assert missing == []
