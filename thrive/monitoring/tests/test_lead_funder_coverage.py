"""Appointing a lead funder never loses a reporting day of any award (§4.3)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.models import Award
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.monitoring import services
from thrive.monitoring.models import MonitoringReturn, PlanStatus, ReturnStatus
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AMOUNTS = [3_000_00, 30_000_00, 80_000_00]  # one report, six-monthly, quarterly


def _days_reported(award: Award) -> Counter[date]:
    """How many of the returns covering the award include each day."""
    counts: Counter[date] = Counter()
    for item in MonitoringReturn.objects.filter(plan__awards=award):
        day = item.period_start
        while day <= item.period_end:
            counts[day] += 1
            day += timedelta(days=1)
    return counts


def assert_every_day_in_exactly_one_return(award: Award) -> None:
    counts = _days_reported(award)
    day = award.start_date
    while day <= award.end_date:
        assert counts[day] == 1, f"{award.title}: {day} is in {counts[day]} returns"
        day += timedelta(days=1)


def _report(plan, reported: int, started: int | None) -> None:
    """Submit the plan's first ``reported`` returns; save something in return ``started``."""
    items = list(plan.returns.order_by("period_start"))
    done = [i.pk for i in items[:reported]]
    MonitoringReturn.objects.filter(pk__in=done).update(
        status=ReturnStatus.SUBMITTED, submitted_at=timezone.now()
    )
    if started is not None and items:
        chosen = items[started % len(items)]
        if chosen.pk not in done:
            MonitoringReturn.objects.filter(pk=chosen.pk).update(narrative="Begun")


award_shape = st.tuples(
    st.integers(min_value=-1100, max_value=200),  # start, in days from today
    st.integers(min_value=20, max_value=1200),  # length in days
    st.sampled_from(AMOUNTS),
    st.integers(min_value=0, max_value=14),  # returns already reported
    st.none() | st.integers(min_value=0, max_value=14),  # a return begun but not sent
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shapes=st.lists(award_shape, min_size=2, max_size=3), lead_index=st.integers(0, 2))
def test_consolidating_keeps_every_day_of_every_award_in_exactly_one_return(
    shapes, lead_index
) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        organisation = OrganisationFactory()
        first = CouncilFactory()
        awards = []
        for number, (start, length, amount, reported, started) in enumerate(shapes):
            directorate = DirectorateFactory(council=first, code=f"d{number}", name=f"D {number}")
            award = AwardFactory(
                organisation=organisation,
                council=first,
                directorate=directorate,
                amount_pence=amount,
                start_date=today + timedelta(days=start),
                end_date=today + timedelta(days=start + length),
            )
            plan = services.create_plan_for_award(award=award)
            _report(plan, reported, started)
            awards.append(award)
        lead = services.appoint_lead_funder(
            council=first,
            organisation=organisation,
            directorate=awards[lead_index % len(awards)].directorate,
            actor=None,
        )
        assert lead.plan.status == PlanStatus.ACTIVE
        for award in awards:
            assert_every_day_in_exactly_one_return(award)
        transaction.set_rollback(True)


def test_the_days_before_the_appointment_are_reported_to_each_awards_own_funder(client) -> None:
    from thrive.accounts.models import Role
    from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
    from thrive.monitoring import selectors

    today = timezone.localdate()
    organisation = OrganisationFactory()
    council = CouncilFactory()
    awards = [
        AwardFactory(
            organisation=organisation,
            council=council,
            directorate=DirectorateFactory(council=council, code=code, name=code.title()),
            amount_pence=amount,
            start_date=today - timedelta(days=400),
            end_date=today + timedelta(days=700),
        )
        for code, amount in (("adults", 80_000_00), ("children", 30_000_00))
    ]
    for award in awards:
        plan = services.create_plan_for_award(award=award)
        plan.returns.filter(period_end__lte=today - timedelta(days=65)).update(
            status=ReturnStatus.SUBMITTED, submitted_at=timezone.now()
        )
    lead = services.appoint_lead_funder(
        council=council, organisation=organisation, directorate=awards[0].directorate, actor=None
    )
    gap_day = today - timedelta(days=50)
    for award in awards:
        assert_every_day_in_exactly_one_return(award)
        owed = MonitoringReturn.objects.get(
            plan__awards=award, period_start__lte=gap_day, period_end__gte=gap_day
        )
        assert owed.status == ReturnStatus.DUE
        assert owed.plan != lead.plan
        assert owed.plan.lead_directorate == award.directorate
    children_owed = owed

    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    page = client.get(reverse("monitoring:provider"))
    assert reverse("monitoring:return", args=[children_owed.pk]) in page.content.decode()
    officer = staff_with_role(Role.COMMISSIONER, council=council)
    officer.role_assignments.update(directorate=awards[1].directorate)
    assert children_owed in selectors.filtered_returns(officer, status="due")
    services.send_due_notices(today=max(today, children_owed.due_date + timedelta(days=1)))
    assert children_owed.notices.exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=award_shape,
    new_length=st.integers(min_value=20, max_value=1500),
    new_amount=st.sampled_from(AMOUNTS),
)
@example(shape=(-400, 1000, 30_000_00, 0, 7), new_length=1200, new_amount=30_000_00)
def test_refitting_a_plan_keeps_every_day_of_its_award_in_exactly_one_return(
    shape, new_length, new_amount
) -> None:
    start, length, amount, reported, started = shape
    today = timezone.localdate()
    with transaction.atomic():
        award = AwardFactory(
            amount_pence=amount,
            start_date=today + timedelta(days=start),
            end_date=today + timedelta(days=start + length),
        )
        _report(services.create_plan_for_award(award=award), reported, started)
        award.amount_pence = new_amount
        award.end_date = award.start_date + timedelta(days=new_length)
        award.save()
        services.replan_for_award(award=award, actor=None)
        assert_every_day_in_exactly_one_return(award)
        transaction.set_rollback(True)
