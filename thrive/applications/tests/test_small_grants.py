"""The Small Grants Scheme: the eligibility checker, screening and the one-officer decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.defaults import small_grants_settings
from thrive.applications.models import ApplicationStatus, ScreeningResult
from thrive.applications.services import screening, small_grants
from thrive.applications.services.small_grants import EligibilityAnswers, _amount_check
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.audit.models import AuditEvent
from thrive.awards.models import Award, AwardKind
from thrive.awards.tests.factories import AwardFactory
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.models import TestOutcome

pytestmark = pytest.mark.django_db

GOOD = dict(
    third_sector="yes",
    income_pence=800_000,
    local_benefit="yes",
    purpose="materials",
    amount_pence=250_000,
    current_grant="no",
)


def _council():
    return OpportunityFactory().council


def test_an_eligible_group_gets_yes_to_every_check() -> None:
    checks = small_grants.check_eligibility(council=_council(), answers=EligibilityAnswers(**GOOD))
    assert all(c.passed for c in checks)
    assert [c.code for c in checks] == [
        "third_sector",
        "small",
        "local_benefit",
        "purpose",
        "amount",
        "no_current_grant",
    ]


@pytest.mark.parametrize(
    ("change", "code", "reason"),
    [
        ({"third_sector": "no"}, "third_sector", "independent of government"),
        ({"income_pence": 20_000_000}, "small", "£100,000 or less; yours is £200,000"),
        ({"local_benefit": "no"}, "local_benefit", "benefits communities in"),
        ({"purpose": "other"}, "purpose", "The scheme funds: Buying materials"),
        ({"amount_pence": 500_001}, "amount", "£5,000 or less; you asked for £5,000.01"),
        ({"current_grant": "yes"}, "no_current_grant", "one small grant at a time"),
    ],
)
def test_each_no_comes_with_its_reason(change, code, reason) -> None:
    checks = small_grants.check_eligibility(
        council=_council(), answers=EligibilityAnswers(**{**GOOD, **change})
    )
    failed = [c for c in checks if not c.passed]
    assert [c.code for c in failed] == [code]
    assert reason in failed[0].reason


def test_the_limit_and_purposes_are_configurable_data() -> None:
    council = _council()
    scheme = small_grants_settings(council)
    scheme.limit_pence = 300_000
    scheme.save()
    council.small_grant_purposes.filter(code="materials").update(is_active=False)
    checks = small_grants.check_eligibility(council=council, answers=EligibilityAnswers(**GOOD))
    assert {c.code for c in checks if not c.passed} == {"purpose"}
    over = small_grants.check_eligibility(
        council=council, answers=EligibilityAnswers(**{**GOOD, "amount_pence": 300_001})
    )
    assert "£3,000 or less" in next(c.reason for c in over if c.code == "amount")


@given(limit=st.integers(min_value=1, max_value=10**9), amount=st.integers(0, 2 * 10**9))
def test_amount_check_is_exactly_the_limit(limit, amount) -> None:
    check = _amount_check(amount, limit)
    assert check.passed == (0 < amount <= limit)


def _decidable(**kwargs):
    application = SubmittedApplicationFactory(**kwargs)
    commissioner = staff_with_role("commissioner", council=application.opportunity.council)
    return application, commissioner


def test_one_officer_approves_within_the_delegated_limit_and_the_award_is_created(
    django_capture_on_commit_callbacks,
) -> None:
    application, officer = _decidable()
    MembershipFactory(organisation=application.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        decision = small_grants.decide_small_grant(
            application=application,
            actor=officer,
            approve=True,
            amount_pence=150_000,
            reason="Meets the scheme's purposes",
        )
    award = decision.award
    assert award.kind == AwardKind.SMALL_GRANT
    assert award.amount_pence == 150_000
    assert award.organisation == application.organisation
    assert application.status == ApplicationStatus.SUCCESSFUL
    assert AuditEvent.objects.filter(action="applications.small_grant.decided").exists()
    assert AuditEvent.objects.filter(action="awards.award.created").exists()
    assert "approved" in mail.outbox[0].body


def test_a_decision_over_the_delegated_limit_is_refused() -> None:
    application, officer = _decidable(amount_requested_pence=400_000)
    scheme = small_grants_settings(application.opportunity.council)
    scheme.delegated_limit_pence = 200_000
    scheme.save()
    with pytest.raises(ValidationError, match="more than the delegated limit of £2,000"):
        small_grants.decide_small_grant(
            application=application, actor=officer, approve=True, amount_pence=300_000, reason="ok"
        )
    assert not Award.objects.exists()


def test_an_award_cannot_exceed_what_was_asked_for() -> None:
    application, officer = _decidable()
    with pytest.raises(ValidationError, match=r"no more than the £1,500\.00 asked for"):
        small_grants.decide_small_grant(
            application=application, actor=officer, approve=True, amount_pence=150_001, reason="ok"
        )


def test_a_decline_needs_reasons_and_creates_no_award() -> None:
    application, officer = _decidable()
    with pytest.raises(ValidationError, match="Enter the reasons"):
        small_grants.decide_small_grant(
            application=application, actor=officer, approve=False, amount_pence=0, reason=""
        )
    small_grants.decide_small_grant(
        application=application, actor=officer, approve=False, amount_pence=0, reason="Duplicate"
    )
    assert application.status == ApplicationStatus.UNSUCCESSFUL
    assert not Award.objects.exists()
    with pytest.raises(ValidationError, match="already been decided"):
        small_grants.decide_small_grant(
            application=application, actor=officer, approve=False, amount_pence=0, reason="x"
        )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=st.integers(min_value=1, max_value=1_000_000))
def test_decisions_never_exceed_the_scheme_limit(amount) -> None:
    application, officer = _decidable(amount_requested_pence=1_000_000)
    try:
        decision = small_grants.decide_small_grant(
            application=application, actor=officer, approve=True, amount_pence=amount, reason="r"
        )
    except ValidationError:
        assert amount > 500_000
    else:
        assert decision.amount_pence == amount <= 500_000


# --- screening -------------------------------------------------------------------------


def _closed_application(**kwargs):
    application = SubmittedApplicationFactory(**kwargs)
    opportunity = application.opportunity
    return application, opportunity.closes_at + timedelta(seconds=1)


def test_screening_waits_for_the_deadline() -> None:
    application = SubmittedApplicationFactory()
    officer = staff_with_role("commissioner")
    with pytest.raises(ValidationError, match="screened after the deadline"):
        screening.screen_application(
            application=application, actor=officer, eligible=True, reason="fine"
        )


def test_automatic_checks_explain_what_is_not_met() -> None:
    application, after = _closed_application()
    application.organisation.third_sector_outcome = TestOutcome.DOES_NOT_MEET
    application.organisation.latest_income_pence = None
    application.organisation.save()
    AwardFactory(
        organisation=application.organisation,
        council=application.opportunity.council,
        kind=AwardKind.SMALL_GRANT,
        end_date=date(2099, 1, 1),
    )
    checks = {c.code: c for c in screening.automatic_checks(application=application, now=after)}
    assert checks["on_time"].passed
    assert checks["complete"].passed
    assert checks["third_sector"].reason == "The register records that it does not"
    assert checks["small"].reason == "No annual income is recorded for the organisation"
    assert (
        checks["no_current_grant"].reason == "The organisation already holds a current small grant"
    )


def test_officer_confirms_eligibility_with_reasons_after_close() -> None:
    application, after = _closed_application()
    officer = staff_with_role("commissioner")
    with pytest.raises(ValidationError, match="Enter the reasons"):
        screening.screen_application(
            application=application, actor=officer, eligible=False, reason="", now=after
        )
    result = screening.screen_application(
        application=application,
        actor=officer,
        eligible=False,
        reason="Not a Third Sector organisation",
        now=after,
    )
    assert result.result == ScreeningResult.INELIGIBLE
    assert application.status == ApplicationStatus.INELIGIBLE
    event = AuditEvent.objects.get(action="applications.application.screened")
    assert event.reason == "Not a Third Sector organisation"
    assert event.after["checks"]


def test_council_admins_change_the_scheme_with_a_reason() -> None:
    from django.test import Client

    council = _council()
    admin = staff_with_role("council_admin", council=council)
    client = Client()
    client.force_login(admin)
    page = client.get("/applications/small-grants/settings/")
    assert page.status_code == 200
    response = client.post(
        "/applications/small-grants/settings/",
        {
            "limit_pence": "3,000",
            "delegated_limit_pence": "2,000",
            "max_income_pence": "50,000",
            "one_current_grant": "on",
            "purposes": ["materials", "training"],
            "reason": "Cabinet decision 12/2026",
        },
    )
    assert response.status_code == 302
    scheme = small_grants_settings(council)
    assert (scheme.limit_pence, scheme.delegated_limit_pence) == (300_000, 200_000)
    assert set(
        council.small_grant_purposes.filter(is_active=True).values_list("code", flat=True)
    ) == {
        "materials",
        "training",
    }
    event = AuditEvent.objects.get(action="applications.small_grants.settings_changed")
    assert event.reason == "Cabinet decision 12/2026"
    assert event.before["limit_pence"] == 500_000


def test_scheme_changes_need_a_reason() -> None:
    from thrive.applications.services.settings import change_small_grants_settings

    with pytest.raises(ValidationError, match="Enter why"):
        change_small_grants_settings(
            council=_council(),
            actor=staff_with_role("council_admin"),
            limit_pence=1,
            delegated_limit_pence=1,
            max_income_pence=1,
            one_current_grant=True,
            purposes=["materials"],
            reason="",
        )
