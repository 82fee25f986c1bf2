"""Assessment services: declarations, blind scores, moderation, decisions, standstill, awards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus
from thrive.applications.tests.factories import BidOpeningFactory
from thrive.assessment import selectors
from thrive.assessment.models import Decision, DecisionStatus, ModeratedScore, Score
from thrive.assessment.services import decisions, panels, scores
from thrive.assessment.services import settings as settings_services
from thrive.assessment.services.scores import Given
from thrive.assessment.tests.factories import make_round
from thrive.audit.models import AuditEvent
from thrive.opportunities.models import OpportunityKind
from thrive.strategy.models import FinancialYear, FundingPot, PotKind
from thrive.strategy.services import get_financial_year

pytestmark = pytest.mark.django_db


def _declare_all(rnd, conflicts=None):
    conflicts = conflicts or {}
    for member in rnd.members:
        orgs = conflicts.get(member.pk, [])
        panels.declare_conflict(
            member=member,
            has_conflict=bool(orgs),
            organisations=orgs,
            note="Trustee" if orgs else "",
        )


def _given(rnd, quality=4, social=3, passed=True, comment="Clear evidence."):
    return [
        Given(criterion=rnd.quality, score=quality, comment=comment),
        Given(criterion=rnd.social, score=social, comment=comment),
        Given(criterion=rnd.gate, passed=passed, comment=comment),
    ]


def _moderated_round(kind=OpportunityKind.GRANT_ROUND, bids=(50_000_00, 40_000_00)):
    """Two assessors score both applications the same; the panel agrees those scores."""
    rnd = make_round(kind=kind, bids=bids)
    if rnd.opportunity.is_sealed:
        BidOpeningFactory(opportunity=rnd.opportunity, opened_by=rnd.runner)
    _declare_all(rnd)
    for member in rnd.members:
        for application, quality in zip(rnd.applications, (5, 3), strict=True):
            scores.record_scores(
                member=member, application=application, given=_given(rnd, quality=quality)
            )
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    for application, quality in zip(rnd.applications, (5, 3), strict=True):
        scores.moderate(application=application, actor=rnd.runner, agreed=_given(rnd, quality))
    return rnd


def _pot(opportunity, budget=100_000_00):
    """The directorate's community fund this year, and in each of the next four years."""
    this_year = FinancialYear.start_year_for(timezone.localdate())
    pots = [
        FundingPot.objects.create(
            council=opportunity.council,
            directorate=opportunity.directorate,
            financial_year=get_financial_year(start_year=year),
            name="Community fund",
            kind=PotKind.DIRECTORATE,
            budget_pence=budget,
        )
        for year in range(this_year, this_year + 5)
    ]
    return pots[0]


def limit_finance_officers(council, pence: int) -> None:
    """Set the finance officers' delegated limit (standstill 10 days), as a council admin."""
    settings_services.save_settings(
        council=council,
        standstill_days=10,
        limits={Role.FINANCE_OFFICER: pence},
        actor=staff_with_role(Role.COUNCIL_ADMIN, council=council),
    )


def _recommend(rnd, pot=None, winners=None):
    return decisions.recommend(
        opportunity=rnd.opportunity,
        lot=None,
        applications=winners or [rnd.applications[0]],
        pot=pot,
        start_date=timezone.localdate() + timedelta(days=30),
        end_date=timezone.localdate() + timedelta(days=30 + 3 * 366),
        reason="Highest weighted total",
        actor=rnd.runner,
    )


# --- panels and conflicts ------------------------------------------------------------


def test_only_assessors_or_commissioners_of_the_council_join_a_panel() -> None:
    rnd = make_round(assessors=0)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=rnd.opportunity.council)
    with pytest.raises(ValidationError, match="Choose an assessor or commissioner"):
        panels.assign_assessor(opportunity=rnd.opportunity, user=finance, actor=rnd.runner)
    assessor = staff_with_role(Role.ASSESSOR, council=rnd.opportunity.council)
    member = panels.assign_assessor(opportunity=rnd.opportunity, user=assessor, actor=rnd.runner)
    assert member.panel.opportunity == rnd.opportunity
    assert AuditEvent.objects.filter(action="assessment.panel.member_added").exists()


def test_declaration_is_recorded_and_audited_and_a_conflict_names_organisations() -> None:
    rnd = make_round()
    member = rnd.members[0]
    with pytest.raises(ValidationError, match="Select the organisations"):
        panels.declare_conflict(member=member, has_conflict=True, note="Trustee")
    organisation = rnd.applications[0].organisation
    declaration = panels.declare_conflict(
        member=member, has_conflict=True, organisations=[organisation], note="I am a trustee"
    )
    assert list(declaration.organisations.all()) == [organisation]
    event = AuditEvent.objects.get(action="assessment.conflict.declared")
    assert event.after["organisations"] == [organisation.pk]


def test_nobody_scores_before_declaring() -> None:
    rnd = make_round()
    with pytest.raises(ValidationError, match="Declare any conflicts"):
        scores.record_scores(
            member=rnd.members[0], application=rnd.applications[0], given=_given(rnd)
        )


def test_conflicted_assessor_is_blocked_from_that_application_only() -> None:
    rnd = make_round()
    conflicted = rnd.members[0]
    _declare_all(rnd, {conflicted.pk: [rnd.applications[0].organisation]})
    with pytest.raises(PermissionDenied):
        scores.record_scores(member=conflicted, application=rnd.applications[0], given=_given(rnd))
    scores.record_scores(member=conflicted, application=rnd.applications[1], given=_given(rnd))
    assert Score.objects.filter(assessor=conflicted.user).count() == 3


def test_sealed_bids_stay_sealed_from_the_panel_until_opened() -> None:
    rnd = make_round(kind=OpportunityKind.TENDER)
    assert list(selectors.panel_applications(rnd.opportunity)) == []
    BidOpeningFactory(opportunity=rnd.opportunity, opened_by=rnd.runner)
    assert len(selectors.panel_applications(rnd.opportunity)) == 2


# --- scoring and moderation ---------------------------------------------------------


def test_scores_need_a_comment_and_a_score_on_the_scale() -> None:
    rnd = make_round()
    _declare_all(rnd)
    bad = [
        Given(criterion=rnd.quality, score=9, comment="x"),
        Given(criterion=rnd.social, score=3, comment=""),
        Given(criterion=rnd.gate, comment="x"),
    ]
    with pytest.raises(ValidationError) as caught:
        scores.record_scores(member=rnd.members[0], application=rnd.applications[0], given=bad)
    errors = caught.value.message_dict
    assert errors[f"criterion_{rnd.quality.pk}"] == ["Score Quality with one of 0, 1, 2, 3, 4, 5"]
    assert errors[f"comment_{rnd.social.pk}"] == ["Enter a comment for Social value"]
    assert errors[f"criterion_{rnd.gate.pk}"] == ["Select pass or fail for Safeguarding policy"]
    assert not Score.objects.exists()


def test_scoring_moves_the_application_under_assessment_and_is_audited() -> None:
    rnd = make_round()
    _declare_all(rnd)
    application = rnd.applications[0]
    scores.record_scores(member=rnd.members[0], application=application, given=_given(rnd))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_ASSESSMENT
    assert AuditEvent.objects.filter(action="assessment.scores.recorded").count() == 1


def test_not_applicable_is_recorded_explicitly_and_left_out_of_the_total() -> None:
    rnd = make_round(bids=(40_000_00,))
    _declare_all(rnd)
    application = rnd.applications[0]
    given = [
        Given(criterion=rnd.quality, score=4, comment="Good"),
        Given(criterion=rnd.social, not_applicable=True, comment="No social value asked"),
        Given(criterion=rnd.gate, passed=True, comment="Seen"),
    ]
    scores.record_scores(member=rnd.members[0], application=application, given=given)
    saved = Score.objects.get(criterion=rnd.social)
    assert saved.not_applicable and saved.score is None
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    scores.moderate(application=application, actor=rnd.runner, agreed=given)
    [result] = selectors.results_for_lot(rnd.opportunity, None)
    # quality 4/5 of 50 = 40, price (only bid) 30 of 30, social left out: 70 of 80.
    assert result.total == Decimal("87.50")


def test_moderation_needs_a_reason_where_the_agreed_score_differs() -> None:
    rnd = make_round(bids=(40_000_00,))
    _declare_all(rnd)
    application = rnd.applications[0]
    scores.record_scores(member=rnd.members[0], application=application, given=_given(rnd, 4))
    scores.record_scores(member=rnd.members[1], application=application, given=_given(rnd, 4))
    with pytest.raises(ValidationError, match="Moderation has not opened"):
        scores.moderate(application=application, actor=rnd.runner, agreed=_given(rnd, 4))
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    agreed = _given(rnd, quality=2, comment="")
    with pytest.raises(ValidationError) as caught:
        scores.moderate(application=application, actor=rnd.runner, agreed=agreed)
    assert caught.value.message_dict == {
        f"comment_{rnd.quality.pk}": [
            "Give the reason the agreed score for Quality differs from the assessors' scores"
        ]
    }
    assert not ModeratedScore.objects.exists()
    agreed[0].comment = "The evidence was weaker than it seemed"
    scores.moderate(application=application, actor=rnd.runner, agreed=agreed)
    row = ModeratedScore.objects.get(criterion=rnd.quality)
    assert row.score == 2 and row.assessor_mean == Decimal("4.00")
    assert row.reason == "The evidence was weaker than it seemed"


def test_scoring_closes_when_moderation_opens() -> None:
    rnd = make_round()
    _declare_all(rnd)
    for application in rnd.applications:
        scores.record_scores(member=rnd.members[0], application=application, given=_given(rnd))
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    with pytest.raises(ValidationError, match="Scoring has closed"):
        scores.record_scores(
            member=rnd.members[1], application=rnd.applications[0], given=_given(rnd)
        )


def test_ranking_uses_price_formula_and_a_failed_gate_is_not_ranked() -> None:
    rnd = _moderated_round()
    first, second = selectors.results_for_lot(rnd.opportunity, None)
    # A: quality 5 -> 50, social 3/5*20 -> 12, price 40k/50k*30 -> 24: 86.
    # B: quality 3 -> 30, social 12, price 30: 72.
    assert (first.application, first.total, first.position) == (
        rnd.applications[0],
        Decimal("86.00"),
        1,
    )
    assert (second.total, second.position) == (Decimal("72.00"), 2)
    failing = _given(rnd, quality=5, passed=False, comment="No policy")
    scores.moderate(application=rnd.applications[0], actor=rnd.runner, agreed=failing)
    ordered = selectors.results_for_lot(rnd.opportunity, None)
    assert [(r.application, r.position) for r in ordered] == [
        (rnd.applications[1], 1),
        (rnd.applications[0], None),
    ]


# --- decisions ------------------------------------------------------------------------


def test_over_limit_approval_is_refused_with_a_clear_message_and_nothing_changes() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    council = rnd.opportunity.council
    limit_finance_officers(council, 10_000_00)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    with pytest.raises(ValidationError) as caught:
        decisions.approve(decision=decision, actor=finance)
    assert caught.value.messages == [
        "The recommendation is for £50,000.00, more than your delegated limit of £10,000.00. "
        "Ask an officer with a higher limit to approve it."
    ]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECOMMENDED
    rnd.applications[0].refresh_from_db()
    assert rnd.applications[0].status == ApplicationStatus.UNDER_ASSESSMENT
    assert not AuditEvent.objects.filter(action="assessment.decision.approved").exists()


def test_an_officer_cannot_approve_their_own_recommendation() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    with pytest.raises(ValidationError, match="cannot approve your own recommendation"):
        decisions.approve(decision=decision, actor=rnd.runner)


def test_a_recommendation_needs_moderated_passing_applications() -> None:
    rnd = make_round()
    with pytest.raises(ValidationError, match="has not been moderated"):
        _recommend(rnd)


def test_grant_approval_tells_everyone_and_makes_the_award_against_the_pot(
    django_capture_on_commit_callbacks,
) -> None:
    rnd = _moderated_round()
    for application in rnd.applications:
        MembershipFactory(organisation=application.organisation)
    pot = _pot(rnd.opportunity)
    decision = _recommend(rnd, pot=pot)
    finance = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.approve(decision=decision, actor=finance, note="Within budget")
    winner, loser = rnd.applications
    winner.refresh_from_db()
    loser.refresh_from_db()
    assert (winner.status, loser.status) == (
        ApplicationStatus.SUCCESSFUL,
        ApplicationStatus.UNSUCCESSFUL,
    )
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        f"The result of your application {loser.reference}",
        f"Your application {winner.reference} was successful",
    ]
    award = decision.winners.get().award
    assert award is not None and award.amount_pence == 50_000_00
    assert award.application_id == winner.pk and award.pot_id == pot.pk
    assert AuditEvent.objects.filter(action="assessment.award.made").exists()


def test_budget_exhaustion_in_create_award_refuses_approval_and_changes_nothing() -> None:
    rnd = _moderated_round()
    pot = _pot(rnd.opportunity, budget=10_000_00)
    decision = _recommend(rnd, pot=pot)
    approver = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    with pytest.raises(ValidationError) as caught:
        decisions.approve(decision=decision, actor=approver)
    assert caught.value.messages
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECOMMENDED
    assert decision.winners.get().award is None
    rnd.applications[0].refresh_from_db()
    assert rnd.applications[0].status == ApplicationStatus.UNDER_ASSESSMENT


def test_contract_award_waits_for_the_standstill_period() -> None:
    rnd = _moderated_round(kind=OpportunityKind.RFQ)
    decision = _recommend(rnd)
    approver = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    decided = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=decided):
        decisions.approve(decision=decision, actor=approver)
    decision.refresh_from_db()
    assert decision.standstill_ends_at == decided + timedelta(days=10)
    winner = decision.winners.get()
    assert winner.award is None
    early = decided + timedelta(days=9)
    with (
        mock.patch("django.utils.timezone.now", return_value=early),
        pytest.raises(ValidationError, match="The standstill period ends at"),
    ):
        decisions.make_award(winner=winner, actor=rnd.runner)
    winner.refresh_from_db()
    assert winner.award is None
    with mock.patch("django.utils.timezone.now", return_value=decided + timedelta(days=10)):
        award = decisions.make_award(winner=winner, actor=rnd.runner)
    assert award.kind == "contract"
    with pytest.raises(ValidationError, match="already been made"):
        decisions.make_award(winner=winner, actor=rnd.runner)


def test_sending_back_needs_a_reason_and_lets_the_panel_recommend_again() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    approver = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    with pytest.raises(ValidationError, match="Enter why"):
        decisions.send_back(decision=decision, actor=approver, note=" ")
    decisions.send_back(decision=decision, actor=approver, note="Check the price")
    assert Decision.objects.get().status == DecisionStatus.REJECTED
    _recommend(rnd, winners=[rnd.applications[1]])
    assert Decision.objects.count() == 2


def test_default_limits_and_standstill_are_sensible_and_configurable() -> None:
    rnd = make_round()
    council = rnd.opportunity.council
    commissioner = staff_with_role(Role.COMMISSIONER, council=council)
    assert selectors.delegated_limit(commissioner, council) == 100_000_00
    assert selectors.standstill_days(council) == 10
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=council)
    settings_services.save_settings(
        council=council, standstill_days=14, limits={Role.COMMISSIONER: 1_00}, actor=admin
    )
    assert selectors.delegated_limit(commissioner, council) == 1_00
    assert selectors.standstill_days(council) == 14
    assert AuditEvent.objects.filter(action="assessment.settings.changed").exists()


def test_a_member_who_has_not_taken_part_can_be_taken_off_the_panel_with_a_reason() -> None:
    rnd = make_round()
    first, second = rnd.members[:2]
    with pytest.raises(ValidationError, match="Enter why"):
        panels.remove_member(member=first, actor=rnd.runner, reason=" ")
    panels.remove_member(member=first, actor=rnd.runner, reason="Added by mistake")
    panel = second.panel
    assert list(panel.members.all()) == [second]
    event = AuditEvent.objects.get(action="assessment.panel.member_removed")
    assert event.reason == "Added by mistake"
    assert event.before["user"] == first.user_id


def test_a_member_who_has_declared_or_scored_stays_on_the_record() -> None:
    rnd = make_round()
    declared, scorer = rnd.members[:2]
    panels.declare_conflict(member=declared, has_conflict=False)
    with pytest.raises(ValidationError, match="has declared their interests"):
        panels.remove_member(member=declared, actor=rnd.runner, reason="Changed my mind")
    panels.declare_conflict(member=scorer, has_conflict=False)
    scores.record_scores(member=scorer, application=rnd.applications[0], given=_given(rnd))
    scorer.declarations.all().delete()  # even without its declaration, a score keeps it
    with pytest.raises(ValidationError, match="has scored"):
        panels.remove_member(member=scorer, actor=rnd.runner, reason="Changed my mind")
    assert declared.panel.members.count() == len(rnd.members)
    assert not AuditEvent.objects.filter(action="assessment.panel.member_removed").exists()
