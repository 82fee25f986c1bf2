"""Compliance, lead funder coverage, NI 6, targets against achievements and concerns,
each checked against the records (needs the monitoring and award target models)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.reporting import selectors
from thrive.reporting.selectors import Filters
from thrive.reporting.selectors.annual import concerns

pytestmark = pytest.mark.django_db


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        pytest.skip(f"{label} is not built yet")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def world():
    plan_model = _model("monitoring.MonitoringPlan")
    return_model = _model("monitoring.MonitoringReturn")
    lead_model = _model("monitoring.LeadFunder")
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    children = DirectorateFactory(council=council, code="children", name="Children's Services")
    shared, single = OrganisationFactory(), OrganisationFactory()
    first = AwardFactory(council=council, directorate=adults, organisation=shared,
                         start_date=date(2024, 4, 1), end_date=date(2027, 3, 31))  # fmt: skip
    second = AwardFactory(council=council, directorate=children, organisation=shared,
                          start_date=date(2024, 6, 1), end_date=date(2027, 5, 31))  # fmt: skip
    third = AwardFactory(council=council, directorate=adults, organisation=single,
                         start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))  # fmt: skip
    # Also multi-funded but without a lead funder: two directorates, one organisation.
    loose = OrganisationFactory()
    AwardFactory(council=council, directorate=adults, organisation=loose,
                 start_date=date(2024, 5, 1), end_date=date(2025, 4, 30))  # fmt: skip
    AwardFactory(council=council, directorate=children, organisation=loose,
                 start_date=date(2024, 5, 1), end_date=date(2025, 4, 30))  # fmt: skip
    plan = plan_model.objects.create(
        council=council, organisation=shared, lead_directorate=adults, schedule="quarterly",
        return_size="standard", start_date=date(2024, 4, 1), end_date=date(2027, 5, 31),
    )  # fmt: skip
    plan.awards.set([first, second])
    lead_model.objects.create(
        council=council, organisation=shared, directorate=adults, rule="largest", plan=plan
    )
    small = plan_model.objects.create(
        council=council, organisation=single, lead_directorate=adults,
        schedule="end_of_grant", return_size="light", start_date=date(2024, 4, 1),
        end_date=date(2025, 3, 31),
    )  # fmt: skip
    small.awards.set([third])

    def ret(p, end, due, *, sent=None, status="due", rating="", volunteers=None, hours=None):
        return return_model.objects.create(
            plan=p, period_start=end - timedelta(days=90), period_end=end, due_date=due,
            status=status, first_submitted_at=sent and _at(sent), submitted_at=sent and _at(sent),
            rating=rating, volunteers_count=volunteers, volunteer_hours=hours,
        )  # fmt: skip

    returns = [
        ret(plan, date(2024, 6, 30), date(2024, 7, 28), sent=date(2024, 7, 20),
            status="accepted", rating="green", volunteers=12, hours=Decimal("100.5")),
        ret(plan, date(2024, 9, 30), date(2024, 10, 28), sent=date(2024, 11, 5),
            status="accepted", rating="red", volunteers=15, hours=Decimal("120")),
        ret(plan, date(2024, 12, 31), date(2025, 1, 28)),
        ret(small, date(2025, 3, 31), date(2025, 4, 28), sent=date(2025, 4, 1),
            status="submitted", volunteers=4, hours=Decimal("30")),
    ]  # fmt: skip
    return council, adults, (first, second, third), returns


def test_compliance_counts_returns_due_by_how_they_were_sent(world) -> None:
    council, _, _, _ = world
    result = selectors.investment(Filters(council))
    assert (result.compliance.due, result.compliance.on_time) == (4, 2)
    assert (result.compliance.late, result.compliance.overdue, result.compliance.red) == (1, 1, 1)
    in_year = selectors.investment(Filters(council, year=2025)).compliance
    assert (in_year.due, in_year.on_time) == (1, 1)


def test_lead_funder_coverage_counts_multi_funded_organisations_with_a_lead(world) -> None:
    council, _, _, _ = world
    coverage = selectors.investment(Filters(council)).lead_funder
    assert (coverage.multi_funded, coverage.covered) == (2, 1)
    assert coverage.share == 0.5


def test_ni6_adds_hours_and_takes_each_plans_peak_volunteers(world) -> None:
    council, _, _, _ = world
    (year,) = selectors.indicators(council).ni6
    assert year.label == "2024/25"
    assert (year.returns, year.organisations_reporting) == (3, 2)
    assert year.volunteers == 15 + 4
    assert year.volunteer_hours == 250


def test_targets_against_latest_achievement_per_outcome(world) -> None:
    target_model = _model("awards.AwardTarget")
    progress_model = _model("monitoring.TargetProgress")
    council, _, (first, second, _), returns = world
    outcome = council.outcomes.create(code="PO1", kind="priority", title="Healthier lives")
    t1 = target_model.objects.create(
        award=first, outcome=outcome, description="People", unit="people", target_value=100
    )
    t2 = target_model.objects.create(
        award=second, outcome=outcome, description="People", unit="people", target_value=50
    )
    progress_model.objects.create(monitoring_return=returns[0], target=t1, achieved_value=20)
    progress_model.objects.create(monitoring_return=returns[1], target=t1, achieved_value=45)
    progress_model.objects.create(monitoring_return=returns[1], target=t2, achieved_value=10)
    progress_model.objects.create(monitoring_return=returns[2], target=t2, achieved_value=99)
    (line,) = selectors.outcome_progress(Filters(council))
    assert (line.code, line.unit, line.awards, line.targets) == ("PO1", "people", 2, 2)
    assert line.target_value == 150
    assert line.achieved_value == 45 + 10  # the unsent return's 99 does not count
    assert line.share == pytest.approx(55 / 150)


def test_the_latest_of_two_returns_for_one_period_counts_and_unreported_targets_add_nothing(
    world,
) -> None:
    target_model = _model("awards.AwardTarget")
    progress_model = _model("monitoring.TargetProgress")
    council, _, (first, second, third), returns = world
    outcome = council.outcomes.create(code="PO1", kind="priority", title="Healthier lives")
    again = returns[1].__class__.objects.create(
        plan=returns[1].plan, period_start=returns[1].period_start,
        period_end=returns[1].period_end, due_date=returns[1].due_date, status="submitted",
    )  # fmt: skip
    t1 = target_model.objects.create(
        award=first, outcome=outcome, description="People", unit="people", target_value=100
    )
    target_model.objects.create(
        award=second, outcome=outcome, description="People", unit="people", target_value=50
    )  # nothing reported against it
    hours = target_model.objects.create(
        award=third, outcome=None, description="Hours", unit="hours", target_value=10
    )
    progress_model.objects.create(monitoring_return=returns[1], target=t1, achieved_value=45)
    progress_model.objects.create(monitoring_return=again, target=t1, achieved_value=60)
    progress_model.objects.create(monitoring_return=returns[0], target=t1, achieved_value=70)
    progress_model.objects.create(monitoring_return=returns[3], target=hours, achieved_value=4)
    people, unplaced = selectors.outcome_progress(Filters(council))
    assert (people.code, people.targets, people.target_value) == ("PO1", 2, 150)
    assert people.achieved_value == 60  # the later of the period's two returns, not 70
    assert (unplaced.title, unplaced.unit, unplaced.achieved_value) == (
        "No outcome recorded",
        "hours",
        4,
    )


def test_concerns_list_overdue_and_red_returns(world) -> None:
    council, _, _, _ = world
    filters = Filters(council, year=2024)
    found = concerns(filters, selectors.feedback_summary(filters))
    assert (found.overdue_count, found.red_count) == (1, 1)
    assert found.any
