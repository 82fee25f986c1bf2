"""Plans, returns, ratings, payments, reminders and the lead funder."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards.models import AwardStatus
from thrive.awards.signals import award_activated
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.monitoring import selectors, services
from thrive.monitoring.models import (
    LeadRule,
    MonitoringReturn,
    PlanStatus,
    Rating,
    ReturnNotice,
    ReturnStatus,
)
from thrive.monitoring.tests.factories import (
    AwardTargetFactory,
    award_with_plan,
    fill,
    held_instalment,
)
from thrive.monitoring.tests.test_lead_funder_coverage import (
    assert_every_day_in_exactly_one_return,
)
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_activating_an_award_gives_it_a_plan_that_says_which_rule_applied_and_why() -> None:
    award = AwardFactory(amount_pence=3_000_00, end_date=date(2026, 3, 31))
    award_activated.send(sender=type(award), award=award, actor=None)
    plan = award.monitoring_plans.get()
    assert plan.tier_name == "Up to £5,000"
    assert plan.schedule == "end_of_grant"
    assert plan.tier_reason == "Rule “Up to £5,000” applied: value £3,000.00 is up to £5,000.00."
    assert [(r.period_end, r.due_date, r.final) for r in plan.returns.all()] == [
        (date(2026, 3, 31), date(2026, 4, 28), True)
    ]
    assert AuditEvent.objects.filter(action="monitoring.plan.created").count() == 1


def test_a_repeated_activation_keeps_the_one_plan() -> None:
    award, plan = award_with_plan()
    assert services.create_plan_for_award(award=award) == plan
    assert award.monitoring_plans.count() == 1


def test_a_large_award_is_monitored_quarterly_with_annual_reviews() -> None:
    organisation = OrganisationFactory()
    AwardFactory(organisation=organisation, start_date=date(2022, 4, 1), end_date=date(2023, 3, 31))
    _award, plan = award_with_plan(organisation=organisation, amount_pence=120_000_00)
    assert plan.tier_name == "Above £50,000"
    assert plan.returns.count() == 12
    assert plan.annual_reviews() == [date(2026, 4, 1), date(2027, 4, 1)]


def test_a_red_rating_makes_the_next_plan_closer() -> None:
    award, plan = award_with_plan(amount_pence=20_000_00)
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    services.accept_return(
        monitoring_return=item, actor=None, rating=Rating.RED, rating_reason="Targets missed"
    )
    _second, later = award_with_plan(
        organisation=award.organisation, council=award.council, amount_pence=20_000_00
    )
    assert later.tier_name == "Past red rating"


def test_submit_names_everything_missing_and_changes_nothing() -> None:
    _award, plan = award_with_plan()
    item = plan.returns.first()
    with pytest.raises(ValidationError) as caught:
        services.submit_return(monitoring_return=item, actor=None)
    assert set(caught.value.message_dict) >= {"spend", "progress", "narrative"}
    item.refresh_from_db()
    assert item.status == ReturnStatus.DUE


def test_a_full_return_needs_case_studies() -> None:
    organisation = OrganisationFactory()
    AwardFactory(organisation=organisation, start_date=date(2022, 4, 1), end_date=date(2023, 3, 31))
    _award, plan = award_with_plan(organisation=organisation, amount_pence=120_000_00)
    item = fill(plan.returns.first())
    item.case_studies = ""
    item.save()
    with pytest.raises(ValidationError, match="case study"):
        services.submit_return(monitoring_return=item, actor=None)


def test_progress_on_another_plans_target_is_refused() -> None:
    _award, plan = award_with_plan()
    stranger = AwardTargetFactory()
    with pytest.raises(ValidationError, match="this plan's targets"):
        services.save_return(
            monitoring_return=plan.returns.first(),
            actor=None,
            spends={},
            progress={stranger.pk: (Decimal(1), "")},
        )


def test_submit_twice_makes_one_submission() -> None:
    _award, plan = award_with_plan()
    item = fill(plan.returns.first())
    first = services.submit_return(monitoring_return=item, actor=None)
    again = services.submit_return(monitoring_return=item, actor=None)
    assert first.submitted_at == again.submitted_at
    assert AuditEvent.objects.filter(action="monitoring.return.submitted").count() == 1


def test_query_then_resubmit_then_accept_with_a_rating(django_capture_on_commit_callbacks) -> None:
    award, plan = award_with_plan()
    MembershipFactory(organisation=award.organisation, user__email="fund@example.org")
    officer = staff_with_role(Role.COMMISSIONER, council=award.council)
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    with pytest.raises(ValidationError):
        services.query_return(monitoring_return=item, actor=officer, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.query_return(
            monitoring_return=item, actor=officer, reason="Add the spend on rent"
        )
    assert item.status == ReturnStatus.QUERIED
    assert "Add the spend on rent" in mail.outbox[-1].body
    item = services.submit_return(monitoring_return=fill(item), actor=None)
    assert item.status == ReturnStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="monitoring.return.resubmitted").exists()
    with pytest.raises(ValidationError) as caught:
        services.accept_return(monitoring_return=item, actor=officer, rating="", rating_reason="")
    assert set(caught.value.message_dict) == {"rating", "rating_reason"}
    item = services.accept_return(
        monitoring_return=item, actor=officer, rating=Rating.GREEN, rating_reason="On track"
    )
    assert (item.status, item.rating, item.accepted_by) == ("accepted", "green", officer)
    with pytest.raises(ValidationError, match="Only a submitted return"):
        services.query_return(monitoring_return=item, actor=officer, reason="Late thought")


def test_accepting_a_return_releases_the_held_instalment() -> None:
    award, plan = award_with_plan()
    instalment = held_instalment(award)
    assert instalment.state_on(date(2026, 1, 1)) == "held"
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    services.accept_return(
        monitoring_return=item, actor=None, rating=Rating.GREEN, rating_reason="Fine"
    )
    instalment.refresh_from_db()
    assert instalment.released_at is not None
    assert instalment.state_on(date(2026, 1, 1)) == "due"
    rows = selectors.payment_schedule([award], today=date(2026, 1, 1))
    assert [(r.number, r.state) for r in rows] == [(1, "due")]


def test_attachments_are_judged_by_content() -> None:
    _award, plan = award_with_plan()
    item = plan.returns.first()
    fake = SimpleUploadedFile("accounts.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.add_attachment(monitoring_return=item, upload=fake, actor=None)
    real = SimpleUploadedFile("accounts.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = services.add_attachment(monitoring_return=item, upload=real, actor=None)
    assert attachment.content_type == "application/pdf"


# --- reminders and escalation, with controlled time --------------------------------------


def test_reminder_before_due_then_escalation_when_overdue_each_once(
    django_capture_on_commit_callbacks,
) -> None:
    award, plan = award_with_plan(amount_pence=3_000_00, end_date=date(2026, 3, 31))
    MembershipFactory(organisation=award.organisation, user__email="org@example.org")
    lead = staff_with_role(Role.COMMISSIONER, council=award.council, email="lead@example.org")
    lead.role_assignments.update(directorate=award.directorate)
    item = plan.returns.get()
    assert item.due_date == date(2026, 4, 28)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_notices(today=date(2026, 4, 1)) == {
            "reminder": 0,
            "escalation": 0,
        }
        assert services.send_due_notices(today=date(2026, 4, 14))["reminder"] == 1
        assert services.send_due_notices(today=date(2026, 4, 20))["reminder"] == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["org@example.org"]
    assert "28 April 2026" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_notices(today=date(2026, 4, 28))["escalation"] == 0
        assert services.send_due_notices(today=date(2026, 4, 29))["escalation"] == 1
        assert services.send_due_notices(today=date(2026, 5, 9))["escalation"] == 0
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[1].to) == ["lead@example.org", "org@example.org"]
    assert "Overdue" in mail.outbox[1].subject
    assert ReturnNotice.objects.filter(monitoring_return=item).count() == 2
    assert AuditEvent.objects.filter(action="monitoring.return.escalated").count() == 1


def test_submitted_returns_are_not_chased() -> None:
    _award, plan = award_with_plan(amount_pence=3_000_00, end_date=date(2026, 3, 31))
    services.submit_return(monitoring_return=fill(plan.returns.get()), actor=None)
    assert services.send_due_notices(today=date(2026, 5, 30)) == {"reminder": 0, "escalation": 0}


def test_the_remind_command_runs_for_a_given_day(capsys) -> None:
    award_with_plan(amount_pence=3_000_00, end_date=date(2026, 3, 31))
    call_command("monitoring", "remind", "--today", "2026-04-20")
    call_command("monitoring", "remind", "--today", "2026-04-21")
    out = capsys.readouterr().out
    assert "Sent 1 reminder(s) and 0 escalation(s)." in out
    assert "Sent 0 reminder(s) and 0 escalation(s)." in out


# --- lead funder ---------------------------------------------------------------------------


def _multi_funded() -> tuple:
    organisation = OrganisationFactory()
    adults, _ = award_with_plan(organisation=organisation, amount_pence=40_000_00)
    council = adults.council
    children = DirectorateFactory(council=council, code="children", name="Children's Services")
    kids, _ = award_with_plan(
        organisation=organisation,
        council=council,
        directorate=children,
        amount_pence=15_000_00,
        start_date=date(2024, 4, 1),
    )
    extra, _ = award_with_plan(
        organisation=organisation,
        council=council,
        directorate=children,
        amount_pence=10_000_00,
    )
    return organisation, council, adults, kids, extra


def test_organisations_funded_by_several_directorates_get_a_proposed_lead() -> None:
    organisation, council, adults, kids, _extra = _multi_funded()
    AwardFactory(council=council)  # one funder only: not listed
    rows = selectors.multi_funded(council, LeadRule.LARGEST_VALUE)
    assert [r.organisation for r in rows] == [organisation]
    assert rows[0].proposed == adults.directorate
    assert rows[0].why == "it funds the most (£40,000.00)"
    most = selectors.multi_funded(council, LeadRule.MOST_AWARDS)[0]
    assert (most.proposed, most.why) == (kids.directorate, "it has the most awards (2)")
    longest = selectors.multi_funded(council, LeadRule.LONGEST_RELATIONSHIP)[0]
    assert longest.proposed == kids.directorate


def test_appointing_a_lead_consolidates_the_plans_into_one_return() -> None:
    organisation, council, adults, kids, extra = _multi_funded()
    strategist = staff_with_role(Role.STRATEGY_GROUP, council=council)
    lead = services.appoint_lead_funder(
        council=council,
        organisation=organisation,
        directorate=adults.directorate,
        actor=strategist,
        reason="Largest funder",
    )
    plan = lead.plan
    assert plan.consolidated and plan.lead_directorate == adults.directorate
    assert set(plan.awards.all()) == {adults, kids, extra}
    assert plan.tier_name == "Above £50,000"  # the awards together
    assert organisation.monitoring_plans.filter(status=PlanStatus.ACTIVE).get() == plan
    for award in (adults, kids, extra):
        assert_every_day_in_exactly_one_return(award)
    event = AuditEvent.objects.get(action="monitoring.lead_funder.appointed")
    assert event.reason == "Largest funder"

    # a later award from either directorate joins the consolidated plan
    later = AwardFactory(organisation=organisation, council=council, directorate=kids.directorate)
    assert services.create_plan_for_award(award=later) == plan


def test_each_funder_sees_only_its_own_awards_in_a_consolidated_return() -> None:
    organisation, council, adults, kids, extra = _multi_funded()
    lead = services.appoint_lead_funder(
        council=council, organisation=organisation, directorate=adults.directorate, actor=None
    )
    children_officer = staff_with_role(Role.COMMISSIONER, council=council)
    children_officer.role_assignments.update(directorate=kids.directorate)
    lead_officer = staff_with_role(Role.COMMISSIONER, council=council)
    lead_officer.role_assignments.update(directorate=adults.directorate)
    assert set(selectors.visible_awards(children_officer, lead.plan)) == {kids, extra}
    assert set(selectors.visible_awards(lead_officer, lead.plan)) == {adults, kids, extra}
    from thrive.core import policy

    item = lead.plan.returns.first()
    assert policy.can(lead_officer, "monitoring.return.decide", item)
    assert not policy.can(children_officer, "monitoring.return.decide", item)
    assert policy.can(children_officer, "monitoring.return.view", item)
    assert policy.can(lead_officer, "monitoring.visits.record", lead.plan)
    assert not policy.can(children_officer, "monitoring.visits.record", lead.plan)


def test_a_lead_needs_several_funders_and_one_of_them() -> None:
    award, _plan = award_with_plan()
    with pytest.raises(ValidationError, match="several directorates"):
        services.appoint_lead_funder(
            council=award.council,
            organisation=award.organisation,
            directorate=award.directorate,
            actor=None,
        )
    organisation, council, _adults, _kids, _extra = _multi_funded()
    stranger = DirectorateFactory(council=council, code="place", name="Place")
    with pytest.raises(ValidationError):
        services.appoint_lead_funder(
            council=council, organisation=organisation, directorate=stranger, actor=None
        )


def test_visits_are_recorded_and_audited() -> None:
    _award, plan = award_with_plan()
    visit = services.record_visit(
        plan=plan, actor=None, kind="inspection", planned_for=date(2026, 6, 1)
    )
    assert list(plan.visits.all()) == [visit]
    assert AuditEvent.objects.filter(action="monitoring.visit.recorded").exists()


# --- track record -----------------------------------------------------------------------------


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_track_record_counts_returns_on_time_targets_met_and_ratings() -> None:
    award, plan = award_with_plan(targets=2)
    first, second, _third = list(plan.returns.order_by("due_date")[:3])
    services.submit_return(monitoring_return=fill(first), actor=None)
    MonitoringReturn.objects.filter(pk=first.pk).update(
        first_submitted_at=_noon(first.due_date - timedelta(days=1))
    )
    services.accept_return(
        monitoring_return=first, actor=None, rating=Rating.AMBER, rating_reason="Slow start"
    )
    services.submit_return(monitoring_return=fill(second), actor=None)
    MonitoringReturn.objects.filter(pk=second.pk).update(
        first_submitted_at=_noon(second.due_date + timedelta(days=10))
    )
    services.accept_return(
        monitoring_return=second, actor=None, rating=Rating.GREEN, rating_reason="Good"
    )
    record = selectors.track_record(award.organisation)
    assert record.returns_total == 2
    assert record.on_time == 1
    assert (record.targets_met, record.targets_total) == (4, 4)
    assert record.latest_rating == "green"
    assert sum(sum(v.values()) for v in record.ratings_by_year.values()) == 2
    assert record.overdue >= 1  # the third, long past due in the factory's dates
    assert selectors.track_record(OrganisationFactory()).has_record is False


def test_awards_not_active_are_not_planned_by_a_lead_appointment() -> None:
    organisation, council, *_ = _multi_funded()
    ended = AwardFactory(organisation=organisation, council=council, status=AwardStatus.COMPLETED)
    lead = services.appoint_lead_funder(
        council=council,
        organisation=organisation,
        directorate=ended.directorate,
        actor=None,
    )
    assert ended not in lead.plan.awards.all()


def test_the_daily_task_sends_due_notices(django_capture_on_commit_callbacks) -> None:
    from thrive.monitoring import daily

    award, plan = award_with_plan(amount_pence=3_000_00)
    MembershipFactory(organisation=award.organisation, user__email="daily@example.org")
    MonitoringReturn.objects.filter(plan=plan).update(
        due_date=timezone.localdate() + timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = daily.run_daily_notices.enqueue()
    assert result.return_value == {"reminder": 1, "escalation": 0}
    assert mail.outbox[-1].to == ["daily@example.org"]
