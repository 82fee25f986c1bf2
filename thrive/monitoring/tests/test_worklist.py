"""Monitoring returns on to-do lists: to review for the lead officers, to fill in for providers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory
from thrive.commissioning.tests.factories import commissioner_of
from thrive.core import worklist
from thrive.monitoring import worklist as monitoring_worklist
from thrive.monitoring.models import ReturnStatus
from thrive.monitoring.tests.factories import award_with_plan
from thrive.strategy.tests.factories import DirectorateFactory

pytestmark = pytest.mark.django_db


def _first_return(plan, **changes):
    """The plan's first return changed as given; every other return already accepted."""
    item = plan.returns.order_by("due_date").first()
    plan.returns.exclude(pk=item.pk).update(status=ReturnStatus.ACCEPTED)
    for name, value in changes.items():
        setattr(item, name, value)
    item.save()
    return item


def test_submitted_return_waits_on_the_lead_directorates_commissioner_only():
    _award, plan = award_with_plan()
    item = _first_return(plan, status=ReturnStatus.SUBMITTED, submitted_at=timezone.now())
    lead = commissioner_of(plan.lead_directorate)
    other = commissioner_of(DirectorateFactory(council=plan.council))

    [review] = worklist.items_of(lead, "monitoring.review")
    assert review.url == reverse("monitoring:return", args=[item.pk])
    assert review.since == item.submitted_at
    assert worklist.items_of(other, "monitoring.review") == []


def test_provider_sees_an_overdue_return_as_overdue_and_a_queried_one_with_the_question():
    _award, plan = award_with_plan()
    today = timezone.localdate()
    first = _first_return(
        plan, period_end=today - timedelta(days=40), due_date=today - timedelta(days=2)
    )
    member = MembershipFactory(organisation=plan.organisation).user

    [due] = worklist.items_of(member, "monitoring.due")
    assert due.overdue is True
    assert due.url == reverse("monitoring:return", args=[first.pk])

    first.status = ReturnStatus.QUERIED
    first.queried_at = timezone.now()
    first.query_reason = "Add the spend on volunteers."
    first.save()
    worklist.forget(member)

    [queried] = worklist.items_of(member, "monitoring.queried")
    assert "Add the spend on volunteers." in queried.detail
    assert worklist.items_of(member, "monitoring.due") == []


def test_returns_far_from_due_are_not_yet_on_the_list():
    _award, plan = award_with_plan()
    today = timezone.localdate()
    plan.returns.update(
        status=ReturnStatus.DUE,
        period_start=today + timedelta(days=1),
        period_end=today + timedelta(days=60),
        due_date=today + timedelta(days=88),
    )
    member = MembershipFactory(organisation=plan.organisation).user

    assert worklist.items_of(member, "monitoring.due") == []


def test_review_list_takes_one_query(django_assert_max_num_queries):
    _award, plan = award_with_plan()
    plan.returns.update(status=ReturnStatus.SUBMITTED, submitted_at=timezone.now())
    lead = commissioner_of(plan.lead_directorate)
    lead.role_codes()
    lead.directorate_ids()

    expected = plan.returns.count()

    with django_assert_max_num_queries(1):
        assert len(list(monitoring_worklist.returns_to_review(lead))) == expected
