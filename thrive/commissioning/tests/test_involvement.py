"""Consultations, soft market testing and decommissioning notices: rules, timing, email."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory
from thrive.audit.models import AuditEvent
from thrive.commissioning.models import IntentionStatus
from thrive.commissioning.services import involvement, notices
from thrive.commissioning.tests.factories import (
    AwardFactory,
    ConsultationFactory,
    IntentionFactory,
    SoftMarketTestFactory,
)
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Outcome

pytestmark = pytest.mark.django_db


def test_consultation_lasts_twelve_weeks_by_default(commissioner, directorate) -> None:
    consultation = involvement.open_consultation(
        directorate=directorate,
        title="Draft priorities",
        description="d",
        opens_on=date(2027, 1, 4),
        actor=commissioner,
    )
    assert consultation.closes_on == date(2027, 3, 29)
    assert (
        AuditEvent.objects.get(action="commissioning.consultation.opened").after["closes_on"]
        == "2027-03-29"
    )


def test_a_shorter_consultation_needs_a_reason(commissioner, directorate) -> None:
    with pytest.raises(
        ValidationError,
        match="Enter why the consultation is shorter than 12 weeks, as the Compact asks",
    ):
        involvement.open_consultation(
            directorate=directorate,
            title="t",
            description="d",
            opens_on=date(2027, 1, 4),
            closes_on=date(2027, 2, 1),
            actor=commissioner,
        )
    with pytest.raises(ValidationError, match="The closing date must be after the opening date"):
        involvement.open_consultation(
            directorate=directorate,
            title="t",
            description="d",
            opens_on=date(2027, 1, 4),
            closes_on=date(2027, 1, 4),
            actor=commissioner,
        )
    consultation = involvement.open_consultation(
        directorate=directorate,
        title="t",
        description="d",
        opens_on=date(2027, 1, 4),
        closes_on=date(2027, 2, 1),
        short_reason="Statutory deadline",
        actor=commissioner,
    )
    assert consultation.short_reason == "Statutory deadline"


def test_the_consultation_length_is_configurable(commissioner, directorate) -> None:
    from thrive.commissioning.selectors import settings_for

    settings_ = settings_for(council=directorate.council)
    settings_.consultation_weeks = 8
    settings_.save()
    consultation = involvement.open_consultation(
        directorate=directorate,
        title="t",
        description="d",
        opens_on=date(2027, 1, 4),
        actor=commissioner,
    )
    assert consultation.closes_on == date(2027, 3, 1)


def test_organisations_respond_while_open_and_may_change_their_response(council) -> None:
    membership = MembershipFactory(is_admin=True)
    consultation = ConsultationFactory(council=council)
    involvement.respond_to_consultation(
        consultation=consultation,
        organisation=membership.organisation,
        user=membership.user,
        body="First",
    )
    involvement.respond_to_consultation(
        consultation=consultation,
        organisation=membership.organisation,
        user=membership.user,
        body="Second",
    )
    assert [r.body for r in consultation.responses.all()] == ["Second"]
    with pytest.raises(ValidationError, match="Choose an organisation you belong to"):
        involvement.respond_to_consultation(
            consultation=consultation,
            organisation=OrganisationFactory(),
            user=membership.user,
            body="x",
        )
    with pytest.raises(ValidationError, match="Enter your response"):
        involvement.respond_to_consultation(
            consultation=consultation,
            organisation=membership.organisation,
            user=membership.user,
            body=" ",
        )


def test_a_closed_consultation_refuses_responses_with_its_date(council) -> None:
    membership = MembershipFactory()
    consultation = ConsultationFactory(
        council=council, opens_on=date(2026, 1, 5), closes_on=date(2026, 3, 30)
    )
    with pytest.raises(ValidationError, match="This consultation closed on 30 March 2026"):
        involvement.respond_to_consultation(
            consultation=consultation,
            organisation=membership.organisation,
            user=membership.user,
            body="Late",
        )


def test_summary_and_you_said_we_did_after_closing(commissioner, council) -> None:
    consultation = ConsultationFactory(council=council)
    with pytest.raises(
        ValidationError, match="Publish the summary once the consultation has closed on"
    ):
        involvement.publish_consultation_summary(
            consultation=consultation, summary="s", you_said_we_did="w", actor=commissioner
        )
    consultation.opens_on, consultation.closes_on = date(2026, 1, 5), date(2026, 3, 30)
    with pytest.raises(ValidationError) as exc:
        involvement.publish_consultation_summary(
            consultation=consultation, summary="", you_said_we_did="", actor=commissioner
        )
    assert exc.value.message_dict == {
        "summary": ["Enter a summary of the responses"],
        "you_said_we_did": ["Enter what you did about what respondents said"],
    }
    involvement.publish_consultation_summary(
        consultation=consultation,
        summary="Most agreed",
        you_said_we_did="You asked for evening sessions; we added them",
        actor=commissioner,
    )
    assert consultation.summary_published_at is not None


def test_soft_market_answers_commit_to_nothing_and_close_on_time(council) -> None:
    membership = MembershipFactory()
    test = SoftMarketTestFactory(intention=IntentionFactory(council=council))
    involvement.respond_to_market_test(
        test=test,
        organisation=membership.organisation,
        user=membership.user,
        answers=["With volunteers", ""],
        interested=True,
        is_commercial=False,
    )
    assert test.responses.get().interested
    with pytest.raises(ValidationError, match="Answer at least one question"):
        involvement.respond_to_market_test(
            test=test,
            organisation=membership.organisation,
            user=membership.user,
            answers=["", ""],
            interested=False,
            is_commercial=False,
        )
    test.closes_on = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="This questionnaire closed on"):
        involvement.respond_to_market_test(
            test=test,
            organisation=membership.organisation,
            user=membership.user,
            answers=["x"],
            interested=False,
            is_commercial=False,
        )


def test_market_findings_need_words(commissioner, council) -> None:
    test = SoftMarketTestFactory(intention=IntentionFactory(council=council))
    with pytest.raises(ValidationError, match="Enter what the soft market testing found"):
        involvement.record_market_findings(
            test=test, findings="", no_commercial_market=True, actor=commissioner
        )


# --- decommissioning notices ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "due"),
    [
        (date(2027, 6, 30), date(2027, 3, 30)),
        (date(2027, 5, 31), date(2027, 2, 28)),
        (date(2028, 5, 31), date(2028, 2, 29)),
        (date(2027, 2, 15), date(2026, 11, 15)),
    ],
)
def test_notice_is_due_three_months_before_funding_ends(end, due) -> None:
    assert notices.months_before(day=end, months=3) == due


@pytest.fixture
def stopping(commissioner, directorate):
    intention = IntentionFactory(
        council=directorate.council,
        directorate=directorate,
        direction="decommissioning",
        status=IntentionStatus.PUBLISHED,
    )
    intention.stopped_outcomes.add(Outcome.objects.get(council=directorate.council, code="PO3"))
    return intention


def _for_po3(award):
    award.outcomes.add(Outcome.objects.get(council=award.council, code="PO3"))
    return award


def test_affected_awards_are_active_awards_of_the_directorate(stopping, directorate) -> None:
    mine = _for_po3(AwardFactory(council=directorate.council, directorate=directorate))
    _for_po3(AwardFactory(council=directorate.council, directorate=directorate, status="completed"))
    _for_po3(AwardFactory(council=directorate.council))
    _for_po3(
        AwardFactory(
            council=directorate.council,
            directorate=directorate,
            start_date=date(2020, 1, 1),
            end_date=timezone.localdate() - timedelta(days=1),
        )
    )
    assert notices.affected_awards(intention=stopping) == [mine]


def test_notices_are_emailed_and_recorded_in_time(
    stopping, directorate, commissioner, django_capture_on_commit_callbacks
) -> None:
    award = _for_po3(
        AwardFactory(
            council=directorate.council,
            directorate=directorate,
            end_date=timezone.localdate() + timedelta(days=200),
        )
    )
    admin = MembershipFactory(organisation=award.organisation, is_admin=True)
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = notices.send_notices(
            intention=stopping,
            awards=[award],
            message="We will stop funding this.",
            actor=commissioner,
        )
    assert not notice.is_late
    assert notice.notice_due_by == notices.months_before(day=award.end_date, months=3)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin.user.email]
    assert "will no longer be prioritised" in mail.outbox[0].subject
    notice.refresh_from_db()
    assert notice.emailed_to == [admin.user.email]
    assert AuditEvent.objects.get(action="commissioning.notice.sent").after["late"] is False
    assert notices.affected_awards(intention=stopping) == []


def test_a_late_notice_warns_and_needs_a_reason(stopping, directorate, commissioner) -> None:
    award = _for_po3(
        AwardFactory(
            council=directorate.council,
            directorate=directorate,
            end_date=timezone.localdate() + timedelta(days=40),
        )
    )
    with pytest.raises(ValidationError) as exc:
        notices.send_notices(intention=stopping, awards=[award], message="m", actor=commissioner)
    message = exc.value.message_dict["late_reason"][0]
    assert message.startswith(f"Notice is late for {award.organisation}")
    assert "less than 3 months remain" in message
    [notice] = notices.send_notices(
        intention=stopping,
        awards=[award],
        message="m",
        late_reason="Budget decision came late",
        actor=commissioner,
    )
    assert notice.is_late and notice.late_reason == "Budget decision came late"


def test_a_notice_on_its_last_day_is_on_time(stopping, directorate, commissioner) -> None:
    today = timezone.localdate()
    end = today.replace(day=1) + timedelta(days=130)
    award = _for_po3(
        AwardFactory(council=directorate.council, directorate=directorate, end_date=end)
    )
    with mock.patch(
        "thrive.commissioning.services.notices.timezone.localdate",
        return_value=notices.months_before(day=end, months=3),
    ):
        [notice] = notices.send_notices(
            intention=stopping, awards=[award], message="m", actor=commissioner
        )
    assert not notice.is_late


def test_notices_need_an_intention_that_stops_something(directorate, commissioner) -> None:
    intention = IntentionFactory(
        council=directorate.council, directorate=directorate, status=IntentionStatus.PUBLISHED
    )
    award = AwardFactory(council=directorate.council, directorate=directorate)
    with pytest.raises(
        ValidationError, match="This intention does not stop prioritising any outcome or service"
    ):
        notices.send_notices(intention=intention, awards=[award], message="m", actor=commissioner)


def test_reading_a_notice_is_recorded_once(stopping, directorate, commissioner) -> None:
    award = _for_po3(AwardFactory(council=directorate.council, directorate=directorate))
    member = MembershipFactory(organisation=award.organisation)
    [notice] = notices.send_notices(
        intention=stopping, awards=[award], message="m", actor=commissioner
    )
    notices.mark_read(notice=notice, user=member.user)
    first = notice.read_at
    notices.mark_read(notice=notice, user=member.user)
    assert notice.read_at == first and notice.read_by == member.user
    assert AuditEvent.objects.filter(action="commissioning.notice.read").count() == 1


def test_invited_organisations_are_emailed_about_soft_market_testing(
    commissioner, council, django_capture_on_commit_callbacks
) -> None:
    admin = MembershipFactory(is_admin=True)
    MembershipFactory(organisation=admin.organisation)
    intention = IntentionFactory(council=council, title="Village befriending")
    with django_capture_on_commit_callbacks(execute=True):
        involvement.start_market_test(
            intention=intention,
            questions="How?",
            closes_on=timezone.localdate() + timedelta(days=10),
            invited=[admin.organisation],
            actor=commissioner,
        )
    assert [m.to for m in mail.outbox] == [[admin.user.email]]
    assert "how Village befriending might be delivered" in mail.outbox[0].subject
    assert "commits you to nothing" in mail.outbox[0].body
