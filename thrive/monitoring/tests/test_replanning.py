"""A plan follows its award: varied value or term, termination, and closing when done."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards import services as award_services
from thrive.awards.models import AwardStatus
from thrive.awards.tests.factories import make_award
from thrive.monitoring import services
from thrive.monitoring.models import PlanStatus, Rating, ReturnStatus
from thrive.monitoring.tests.factories import award_with_plan, fill
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _returns(plan):
    return list(plan.returns.order_by("period_start"))


def _assert_contiguous_to(plan, end) -> None:
    """Every day from the plan's first period to ``end`` is in exactly one return."""
    items = _returns(plan)
    for before, after in itertools.pairwise(items):
        assert after.period_start == before.period_end + timedelta(days=1)
    assert items[-1].period_end == end
    assert [i.final for i in items] == [False] * (len(items) - 1) + [True]


def _award(**kwargs):
    today = timezone.localdate()
    values = {
        "amount_pence": 30_000_00,
        "start_date": today - timedelta(days=400),
        "end_date": today + timedelta(days=700),
        **kwargs,
    }
    return award_with_plan(**values)


def test_a_larger_award_moves_to_a_heavier_tier_and_keeps_past_returns() -> None:
    award, plan = _award()
    today = timezone.localdate()
    past = [r.pk for r in _returns(plan) if r.period_end < today]
    assert past and plan.annual_review_meeting is False
    lighter = plan.tier_name
    award.amount_pence = 80_000_00
    award.save()
    services.replan_for_award(award=award, actor=None)
    plan.refresh_from_db()
    assert plan.schedule == "quarterly"
    assert plan.annual_review_meeting is True
    assert plan.tier_name != lighter
    assert set(past) <= set(plan.returns.values_list("pk", flat=True))
    _assert_contiguous_to(plan, award.end_date)
    assert AuditEvent.objects.filter(action="monitoring.plan.replanned").exists()


def test_a_shortened_award_ends_its_plan_with_a_final_return_then() -> None:
    award, plan = _award()
    new_end = timezone.localdate() + timedelta(days=30)
    award.end_date = new_end
    award.save()
    services.replan_for_award(award=award, actor=None)
    plan.refresh_from_db()
    assert plan.end_date == new_end
    assert not plan.returns.filter(period_start__gt=new_end).exists()
    _assert_contiguous_to(plan, new_end)


def test_started_returns_are_never_dropped_when_the_term_changes() -> None:
    award, plan = _award()
    today = timezone.localdate()
    current = plan.returns.filter(period_end__gte=today).order_by("period_start").first()
    fill(current)  # the provider has started it
    award.end_date = today + timedelta(days=2)
    award.save()
    services.replan_for_award(award=award, actor=None)
    assert plan.returns.filter(pk=current.pk).exists()
    assert plan.returns.order_by("-period_end").first().final is True


def test_an_approved_variation_replans_through_the_signal(
    django_capture_on_commit_callbacks,
) -> None:
    commissioner = staff_with_role(Role.COMMISSIONER)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=commissioner.council)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        award = make_award(
            commissioner,
            OrganisationFactory(),
            status=AwardStatus.ACTIVE,
            start_date=today - timedelta(days=100),
            end_date=today + timedelta(days=900),
            short_term_reason="A pilot year",
        )
    plan = services.active_plan_for(award=award)
    longer = award.end_date + timedelta(days=365)
    with django_capture_on_commit_callbacks(execute=True):
        variation = award_services.request_variation(
            award=award, actor=commissioner, kind="end_date", new_end_date=longer, reason="More"
        )
        award_services.decide_variation(variation=variation, actor=finance, approve=True)
    plan.refresh_from_db()
    assert plan.end_date == longer
    _assert_contiguous_to(plan, longer)


def _accept(item) -> None:
    submitted = services.submit_return(monitoring_return=fill(item), actor=None)
    services.accept_return(
        monitoring_return=submitted, actor=None, rating=Rating.GREEN, rating_reason="Fine"
    )


def test_a_plan_closes_once_its_final_return_is_accepted_and_nothing_is_outstanding() -> None:
    today = timezone.localdate()
    _award_done, plan = _award(
        start_date=today - timedelta(days=500), end_date=today - timedelta(days=40)
    )
    *earlier, final = _returns(plan)
    assert earlier and final.final
    _accept(final)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE  # earlier returns are still outstanding
    for item in earlier:
        _accept(item)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert not plan.returns.exclude(status=ReturnStatus.ACCEPTED).exists()
    assert AuditEvent.objects.filter(action="monitoring.plan.closed").count() == 1


def test_a_closed_plan_opens_again_when_its_award_is_extended() -> None:
    today = timezone.localdate()
    award, plan = _award(
        start_date=today - timedelta(days=500), end_date=today - timedelta(days=40)
    )
    for item in _returns(plan):
        _accept(item)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    award.end_date = today + timedelta(days=200)
    award.save()
    services.replan_for_award(award=award, actor=None)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    _assert_contiguous_to(plan, award.end_date)
    assert plan.returns.filter(status=ReturnStatus.DUE).exists()
