"""Awards within budget: making them, their terms, offer and acceptance, payments and
variations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards import services
from thrive.awards.models import Award, AwardStatus, Instalment, VariationStatus
from thrive.awards.signals import award_activated
from thrive.awards.tests.factories import (
    DirectorateFactory,
    committed_in,
    make_award,
    make_pots,
)
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return staff_with_role(Role.COMMISSIONER)


@pytest.fixture
def finance(commissioner):
    return staff_with_role(Role.FINANCE_OFFICER, council=commissioner.council)


@pytest.fixture
def pots(commissioner):
    """Pots of one directorate for 2026/27, 2027/28 and 2028/29: an award's three years."""
    return make_pots(commissioner.council, DirectorateFactory(council=commissioner.council))


@pytest.fixture
def pot(pots):
    return pots[0]


def test_create_award_commits_the_money_builds_the_schedule_and_audits(commissioner, pots, pot):
    award = make_award(commissioner, OrganisationFactory(), pot=pot, directorate=pot.directorate)
    assert award.reference == f"AW-{timezone.now().year}-{award.pk:05d}"
    assert award.status == AwardStatus.DRAFT
    assert committed_in(pots) == 1_200_000
    by_year = {2026: 0, 2027: 0, 2028: 0}
    for instalment in award.instalments.all():
        due = instalment.due_date
        by_year[due.year if due.month >= 4 else due.year - 1] += instalment.amount_pence
    assert [p.committed_pence for p in pots] == list(by_year.values())
    assert [(y.pot, y.commitment.amount_pence) for y in award.years.all()] == list(
        zip(pots, by_year.values(), strict=True)
    )
    instalments = list(award.instalments.all())
    assert len(instalments) == 12  # quarterly over three years
    assert sum(i.amount_pence for i in instalments) == award.amount_pence
    assert instalments[0].due_date == award.start_date
    assert not instalments[0].requires_accepted_return
    assert all(i.requires_accepted_return for i in instalments[1:])
    assert AuditEvent.objects.filter(action="awards.award.created", object_id=str(award.pk))


def test_pot_exhaustion_is_refused_and_nothing_changes(commissioner, pot):
    pot.budget_pence = 300_000
    pot.save()
    with pytest.raises(ValidationError) as raised:
        make_award(commissioner, OrganisationFactory(), pot=pot, directorate=pot.directorate)
    assert "not enough left" in str(raised.value)
    pot.refresh_from_db()
    assert pot.committed_pence == 0
    assert Award.objects.count() == 0
    assert Instalment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="awards.award.created").exists()


def test_arrears_are_paid_at_the_end_of_each_period_and_odd_pence_spread(commissioner):
    award = make_award(
        commissioner,
        OrganisationFactory(),
        amount_pence=100_001,
        payment_timing="arrears",
        instalment_count=3,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        kind="small_grant",
    )
    amounts = [i.amount_pence for i in award.instalments.all()]
    assert amounts == [33_334, 33_334, 33_333]
    assert award.instalments.last().due_date == date(2026, 12, 31)


def test_an_offered_or_active_short_agreement_needs_a_reason(commissioner):
    with pytest.raises(ValidationError) as raised:
        make_award(
            commissioner,
            OrganisationFactory(),
            status=AwardStatus.OFFERED,
            end_date=date(2027, 3, 31),
        )
    assert "shorter than three years" in str(raised.value)
    draft = make_award(commissioner, OrganisationFactory(), end_date=date(2027, 3, 31))
    assert services.offer_problems(award=draft) == [
        "Explain why this agreement is shorter than three years (strategy §2.10)"
    ]
    services.update_terms(award=draft, actor=commissioner, short_term_reason="A one-year pilot")
    assert services.offer_problems(award=draft) == []
    # Exactly three years is not short; small grants never need a reason.
    assert not make_award(commissioner, OrganisationFactory()).is_short_term


def test_the_schedule_must_add_up_to_the_amount(commissioner):
    award = make_award(commissioner, OrganisationFactory(), amount_pence=100_000)
    rows = [
        {"due_date": date(2026, 4, 1), "amount_pence": 50_000},
        {"due_date": date(2026, 10, 1), "amount_pence": 40_000},
    ]
    with pytest.raises(ValidationError) as raised:
        services.set_schedule(award=award, rows=rows, actor=commissioner)
    assert "add up to £900.00; they must add up to the award's £1,000.00" in str(raised.value)
    assert award.instalments.count() == 12
    rows[1]["amount_pence"] = 50_000
    services.set_schedule(award=award, rows=rows, actor=commissioner)
    assert [i.amount_pence for i in award.instalments.all()] == [50_000, 50_000]


def test_new_amount_moves_the_commitment_and_rebuilds_the_schedule(commissioner, pots, pot):
    award = make_award(commissioner, OrganisationFactory(), pot=pot, directorate=pot.directorate)
    services.update_terms(award=award, actor=commissioner, amount_pence=2_400_000)
    assert committed_in(pots) == 2_400_000
    assert sum(i.amount_pence for i in award.instalments.all()) == 2_400_000
    with pytest.raises(ValidationError):
        services.update_terms(award=award, actor=commissioner, amount_pence=40_000_000)
    award.refresh_from_db()
    assert (committed_in(pots), award.amount_pence) == (2_400_000, 2_400_000)


def test_offer_then_accept_activates_and_signals_within_the_transaction(
    commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    from thrive.accounts.tests.factories import MembershipFactory

    admin = MembershipFactory(is_admin=True).user
    organisation = admin.memberships.get().organisation
    award = make_award(commissioner, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_offer(award=award, actor=commissioner)
    assert award.status == AwardStatus.OFFERED and award.offered_at
    assert mailoutbox[-1].to == [admin.email]
    assert award.reference in mailoutbox[-1].subject
    with pytest.raises(ValidationError):
        services.update_terms(award=award, actor=commissioner, title="Changed")
    received = []

    def listener(sender, award, actor, **kwargs):
        received.append((award.pk, actor.pk))

    award_activated.connect(listener)
    try:
        with django_capture_on_commit_callbacks():
            services.accept_offer(award=award, actor=admin, name="Ada Lovelace")
            assert received == [(award.pk, admin.pk)]  # before anything commits
    finally:
        award_activated.disconnect(listener)
    assert received == [(award.pk, admin.pk)]
    assert (award.status, award.accepted_name, award.accepted_by) == (
        AwardStatus.ACTIVE,
        "Ada Lovelace",
        admin,
    )
    with pytest.raises(ValidationError):
        services.accept_offer(award=award, actor=admin, name="Ada Lovelace")


def test_decline_releases_the_budget(commissioner, pots, pot):
    award = make_award(
        commissioner,
        OrganisationFactory(),
        pot=pot,
        directorate=pot.directorate,
        status=AwardStatus.OFFERED,
    )
    services.decline_offer(award=award, actor=commissioner, reason="We have other funding")
    assert award.status == AwardStatus.DECLINED
    assert committed_in(pots) == 0
    assert all(y.commitment.released_at for y in award.years.select_related("commitment"))


def test_payments_are_refused_while_held_and_released_by_an_accepted_return(commissioner, finance):
    award = make_award(
        commissioner,
        OrganisationFactory(),
        status=AwardStatus.ACTIVE,
        start_date=timezone.localdate() - timedelta(days=120),
        end_date=timezone.localdate() + timedelta(days=1000),
    )
    first, second = award.instalments.all()[:2]
    assert (first.state, second.state) == ("due", "held")
    services.record_payment(instalment=first, actor=finance, note="BACS 123")
    first.refresh_from_db()
    assert first.state == "paid" and first.paid_by == finance
    with pytest.raises(ValidationError, match="held until a monitoring return"):
        services.record_payment(instalment=second, actor=finance)
    with pytest.raises(ValidationError, match="already been paid"):
        services.record_payment(instalment=first, actor=finance)
    released = services.release_instalments(award=award, actor=finance, reason="Return accepted")
    assert [i.number for i in released] == [2]
    second.refresh_from_db()
    assert second.state == "due"
    services.record_payment(instalment=second, actor=finance)
    # With nothing held, the next instalment that would wait is released in advance.
    released = services.release_instalments(award=award, actor=finance, reason="x")
    assert [i.number for i in released] == [3]


def test_a_draft_cannot_be_paid(commissioner, finance):
    award = make_award(commissioner, OrganisationFactory())
    with pytest.raises(ValidationError, match="once the award is accepted"):
        services.record_payment(instalment=award.instalments.first(), actor=finance)


def test_value_variation_needs_a_different_officer_and_stays_within_budget(
    commissioner, finance, pots, pot
):
    for each in pots:
        each.budget_pence = 500_000
        each.save()
    award = make_award(
        commissioner,
        OrganisationFactory(),
        pot=pot,
        directorate=pot.directorate,
        status=AwardStatus.ACTIVE,
    )
    too_much = services.request_variation(
        award=award, actor=finance, kind="value", new_amount_pence=1_600_000, reason="More"
    )
    with pytest.raises(ValidationError, match="different officer"):
        services.decide_variation(variation=too_much, actor=finance, approve=True)
    with pytest.raises(ValidationError, match="finance officer or council administrator"):
        services.decide_variation(variation=too_much, actor=commissioner, approve=True)
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=commissioner.council)
    with pytest.raises(ValidationError, match="not enough left"):
        services.decide_variation(variation=too_much, actor=admin, approve=True)
    award.refresh_from_db()
    too_much.refresh_from_db()
    assert (committed_in(pots), award.amount_pence) == (1_200_000, 1_200_000)
    assert too_much.status == VariationStatus.REQUESTED
    services.decide_variation(variation=too_much, actor=admin, approve=False, note="No budget")

    more = services.request_variation(
        award=award, actor=commissioner, kind="value", new_amount_pence=1_400_000, reason="More"
    )
    services.decide_variation(variation=more, actor=finance, approve=True)
    award.refresh_from_db()
    assert (committed_in(pots), award.amount_pence) == (1_400_000, 1_400_000)
    assert sum(i.amount_pence for i in award.instalments.all()) == 1_400_000

    less = services.request_variation(
        award=award, actor=commissioner, kind="value", new_amount_pence=1_000_000, reason="Less"
    )
    services.decide_variation(variation=less, actor=finance, approve=True)
    assert committed_in(pots) == 1_000_000
    assert AuditEvent.objects.filter(action="awards.variation.approved").count() == 2
    assert AuditEvent.objects.filter(action="awards.variation.rejected").count() == 1


def test_termination_respects_the_notice_period(commissioner, finance, pots, pot):
    award = make_award(
        commissioner,
        OrganisationFactory(),
        pot=pot,
        directorate=pot.directorate,
        status=AwardStatus.ACTIVE,
        start_date=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as raised:
        services.request_variation(
            award=award,
            actor=commissioner,
            kind="termination",
            notice_given_on=date(2027, 1, 1),
            new_end_date=date(2027, 3, 1),
            reason="Service no longer needed",
        )
    assert "notice period of 90 days, so it can end no earlier than 1 April 2027" in str(
        raised.value
    )
    variation = services.request_variation(
        award=award,
        actor=commissioner,
        kind="termination",
        notice_given_on=date(2027, 1, 1),
        new_end_date=date(2027, 4, 1),
        reason="Service no longer needed",
    )
    services.decide_variation(variation=variation, actor=finance, approve=True)
    award.refresh_from_db()
    kept = sum(i.amount_pence for i in award.instalments.all())
    assert award.status == AwardStatus.TERMINATED
    assert award.ended_on == date(2027, 4, 1)
    assert all(i.due_date <= date(2027, 4, 1) for i in award.instalments.all())
    assert award.amount_pence == kept == committed_in(pots) < 1_200_000
    assert {y.start_year: y.amount_pence for y in award.years.all()} == {
        2026: 400_000,
        2027: kept - 400_000,
    }


def test_end_date_change_moves_later_instalments(commissioner, finance):
    award = make_award(commissioner, OrganisationFactory(), status=AwardStatus.ACTIVE)
    variation = services.request_variation(
        award=award,
        actor=commissioner,
        kind="end_date",
        new_end_date=date(2028, 3, 31),
        reason="Shorter",
    )
    with pytest.raises(ValidationError, match="already waiting"):
        services.request_variation(
            award=award, actor=commissioner, kind="value", new_amount_pence=5, reason="x"
        )
    services.decide_variation(variation=variation, actor=finance, approve=True)
    award.refresh_from_db()
    assert award.end_date == date(2028, 3, 31)
    assert max(i.due_date for i in award.instalments.all()) <= date(2028, 3, 31)


def test_small_grants_commit_against_the_directorates_pot_and_are_active(commissioner, pot):
    from thrive.awards.small_grants import create_small_grant_award

    award = create_small_grant_award(
        organisation=OrganisationFactory(),
        council=commissioner.council,
        directorate=pot.directorate,
        title="Small grant: costumes",
        amount_pence=150_000,
        start_date=date(2026, 6, 1),
        actor=commissioner,
    )
    pot.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE and award.pot == pot
    assert pot.committed_pence == 150_000
    assert award.instalments.count() == 1


def test_targets_and_social_value_are_replaced_while_a_draft_and_audited(commissioner):
    from decimal import Decimal

    award = make_award(commissioner, OrganisationFactory(), kind="contract")
    services.set_targets(
        award=award,
        rows=[
            {"description": "People supported", "unit": "people", "target_value": Decimal(40)},
            {"description": "Sessions", "unit": "sessions", "target_value": Decimal(12)},
        ],
        actor=commissioner,
    )
    services.set_social_value(
        award=award,
        rows=[{"theme": "jobs", "description": "Local jobs", "target_value": Decimal(2)}],
        actor=commissioner,
    )
    assert [(t.order, t.description) for t in award.targets.all()] == [
        (0, "People supported"),
        (1, "Sessions"),
    ]
    assert award.social_value.get().get_theme_display() == "Local jobs"
    assert AuditEvent.objects.filter(action="awards.award.targets_changed").exists()
    services.issue_offer(award=award, actor=commissioner)
    with pytest.raises(ValidationError, match="only be changed while the award is a draft"):
        services.set_targets(award=award, rows=[], actor=commissioner)
    assert award.targets.count() == 2
