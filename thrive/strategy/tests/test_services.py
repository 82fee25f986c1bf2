"""Outcomes, pots, merges, contributions, commitments and thresholds: every rule."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.strategy import services
from thrive.strategy.models import FinancialYear, FundingPot, Outcome, PotKind, ThresholdSet
from thrive.strategy.tests.factories import (
    DirectorateFactory,
    FundingPotFactory,
    OutcomeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    return staff_with_role(Role.FINANCE_OFFICER)


@pytest.fixture
def pot(finance):
    return FundingPotFactory(council=finance.council, budget_pence=100_000)


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("sequence")


# --- financial years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start_year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2027, 1, 15), 2026)],
)
def test_financial_years_run_april_to_march(day, start_year) -> None:
    year = services.financial_year_for(day=day)
    assert year.start_year == start_year
    assert year.starts_on == date(start_year, 4, 1)
    assert year.ends_on == date(start_year + 1, 3, 31)
    assert str(year) == f"{start_year}/{(start_year + 1) % 100:02d}"


def test_financial_year_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="Enter a year between 2000 and 2100"):
        services.get_financial_year(start_year=1999)


# --- outcomes --------------------------------------------------------------------


def test_saving_an_outcome_is_audited(finance) -> None:
    outcome = Outcome(council=finance.council, kind="priority", code="X1", title="Greener")
    services.save_outcome(outcome=outcome, actor=finance)
    assert last_event("strategy.outcome.created").after["title"] == "Greener"
    outcome.title = "Greener still"
    services.save_outcome(outcome=outcome, actor=finance)
    event = last_event("strategy.outcome.changed")
    assert event.before["title"] == "Greener"
    assert event.after["title"] == "Greener still"


def test_outcome_cannot_sit_under_itself_or_its_child(finance) -> None:
    parent = OutcomeFactory(council=finance.council)
    child = OutcomeFactory(council=finance.council, parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="An outcome cannot sit under itself"):
        services.save_outcome(outcome=parent, actor=finance)


def test_outcome_parent_must_be_of_the_same_council(finance) -> None:
    other = OutcomeFactory()
    outcome = Outcome(council=finance.council, kind="priority", code="X2", title="T", parent=other)
    with pytest.raises(ValidationError, match="Choose an outcome of the same council"):
        services.save_outcome(outcome=outcome, actor=finance)


# --- pots ------------------------------------------------------------------------


def test_create_pot_records_kind_and_budget(finance) -> None:
    directorate = DirectorateFactory(council=finance.council)
    pot = services.create_pot(
        council=finance.council,
        name="Corporate infrastructure",
        kind=PotKind.RING_FENCED,
        directorate=directorate,
        financial_year=services.get_financial_year(start_year=2026),
        budget_pence=250_000_00,
        actor=finance,
    )
    assert pot.remaining_pence == 250_000_00
    assert last_event("strategy.pot.created").after["kind"] == "ring_fenced"


@pytest.mark.parametrize(
    ("kind", "budget", "message"),
    [
        (PotKind.MERGED, 0, "Merge former pots to make a merged pot"),
        (PotKind.POOLED, 100, "A pooled or aligned budget is the sum of its contributions"),
        (PotKind.DIRECTORATE, -1, "Budget must be £0 or more"),
    ],
)
def test_create_pot_refuses(finance, kind, budget, message) -> None:
    directorate = DirectorateFactory(council=finance.council)
    with pytest.raises(ValidationError, match=message):
        services.create_pot(
            council=finance.council,
            name="P",
            kind=kind,
            directorate=directorate,
            financial_year=services.get_financial_year(start_year=2026),
            budget_pence=budget,
            actor=finance,
        )


def test_create_pot_refuses_another_councils_directorate(finance) -> None:
    with pytest.raises(ValidationError, match="Choose a directorate of this council"):
        services.create_pot(
            council=finance.council,
            name="P",
            kind=PotKind.DIRECTORATE,
            directorate=DirectorateFactory(),
            financial_year=services.get_financial_year(start_year=2026),
            actor=finance,
        )


def test_budget_cannot_fall_below_committed(finance, pot) -> None:
    services.commit_budget(pot=pot, amount_pence=60_000, description="Award", actor=finance)
    with pytest.raises(ValidationError, match=r"Budget must be at least £600\.00"):
        services.set_pot_budget(pot=pot, budget_pence=50_000, actor=finance, reason="Cut")
    services.set_pot_budget(pot=pot, budget_pence=60_000, actor=finance, reason="Cut")
    pot.refresh_from_db()
    assert pot.remaining_pence == 0
    assert last_event("strategy.pot.budget_changed").reason == "Cut"


def test_budget_change_needs_a_reason(finance, pot) -> None:
    with pytest.raises(ValidationError, match="Enter the reason for changing the budget"):
        services.set_pot_budget(pot=pot, budget_pence=1, actor=finance, reason=" ")


def test_pooled_pot_fills_from_contributions(finance) -> None:
    directorate = DirectorateFactory(council=finance.council)
    other = DirectorateFactory(council=finance.council)
    pot = FundingPotFactory(
        council=finance.council, directorate=directorate, kind=PotKind.POOLED, budget_pence=0
    )
    services.add_contribution(pot=pot, amount_pence=30_000, directorate=other, actor=finance)
    services.add_contribution(pot=pot, amount_pence=20_000, partner_name="NHS", actor=finance)
    assert pot.budget_pence == 50_000
    assert [c.contributor for c in pot.contributions.all()] == [other.name, "NHS"]
    assert last_event("strategy.pot.contribution_added").after["contributor"] == "NHS"
    with pytest.raises(ValidationError, match="Change a pooled budget through its contributions"):
        services.set_pot_budget(pot=pot, budget_pence=1, actor=finance, reason="x")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount_pence": 0, "partner_name": "NHS"}, "Amount must be more than £0"),
        ({"amount_pence": 5, "partner_name": ""}, "Choose a directorate or enter a partner"),
    ],
)
def test_contribution_rules(finance, kwargs, message) -> None:
    pot = FundingPotFactory(council=finance.council, kind=PotKind.ALIGNED, budget_pence=0)
    with pytest.raises(ValidationError, match=message):
        services.add_contribution(pot=pot, actor=finance, **kwargs)


def test_only_shared_pots_take_contributions(finance, pot) -> None:
    with pytest.raises(ValidationError, match="Only pooled and aligned pots take contributions"):
        services.add_contribution(pot=pot, amount_pence=5, partner_name="NHS", actor=finance)


def test_merge_moves_uncommitted_money_and_records_the_merge(finance) -> None:
    year = services.get_financial_year(start_year=2026)
    a = FundingPotFactory(council=finance.council, financial_year=year, budget_pence=100_000)
    b = FundingPotFactory(council=finance.council, financial_year=year, budget_pence=50_000)
    services.commit_budget(pot=a, amount_pence=30_000, description="Award", actor=finance)
    merged = services.merge_pots(
        pots=[a, b],
        name="Developing local communities",
        directorate=a.directorate,
        actor=finance,
        reason="§2.4 merges the two pots",
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert merged.kind == PotKind.MERGED
    assert merged.budget_pence == 120_000
    assert (a.budget_pence, a.committed_pence, a.merged_into) == (30_000, 30_000, merged)
    assert (b.budget_pence, b.merged_into) == (0, merged)
    assert merged.merge.reason == "§2.4 merges the two pots"
    assert set(merged.former_pots.all()) == {a, b}
    event = last_event("strategy.pot.merged")
    assert {p["name"] for p in event.before["pots"]} == {a.name, b.name}
    with pytest.raises(ValidationError, match="This pot has been merged into"):
        services.commit_budget(pot=a, amount_pence=1, description="x", actor=finance)


def test_merge_rules(finance) -> None:
    a = FundingPotFactory(council=finance.council)
    b = FundingPotFactory(
        council=finance.council, financial_year=services.get_financial_year(start_year=2027)
    )
    with pytest.raises(ValidationError, match="Choose at least two pots to merge"):
        services.merge_pots(
            pots=[a], name="M", directorate=a.directorate, actor=finance, reason="r"
        )
    with pytest.raises(ValidationError, match="Enter the reason for merging the pots"):
        services.merge_pots(
            pots=[a, b], name="M", directorate=a.directorate, actor=finance, reason=""
        )
    with pytest.raises(ValidationError, match="Choose pots of the same council and financial year"):
        services.merge_pots(
            pots=[a, b], name="M", directorate=a.directorate, actor=finance, reason="r"
        )


def test_released_money_of_a_merged_pot_moves_to_the_merged_pot(finance) -> None:
    a = FundingPotFactory(council=finance.council, budget_pence=100)
    b = FundingPotFactory(council=finance.council, budget_pence=100)
    commitment = services.commit_budget(pot=a, amount_pence=40, description="A", actor=finance)
    merged = services.merge_pots(
        pots=[a, b], name="M", directorate=a.directorate, actor=finance, reason="r"
    )
    services.release_commitment(commitment=commitment, actor=finance, reason="Ended")
    a.refresh_from_db()
    merged.refresh_from_db()
    assert (a.budget_pence, a.committed_pence) == (0, 0)
    assert merged.budget_pence == 200


# --- commitments -----------------------------------------------------------------


def test_commit_budget_reduces_remaining_and_is_audited(finance, pot) -> None:
    commitment = services.commit_budget(
        pot=pot, amount_pence=40_000, description="Befriending award", actor=finance, reason="Panel"
    )
    assert pot.committed_pence == 40_000
    assert pot.remaining_pence == 60_000
    assert commitment.committed_by == finance
    event = last_event("strategy.budget.committed")
    assert (event.before, event.reason) == ({"committed_pence": 0}, "Panel")
    assert event.after["committed_pence"] == 40_000


def test_commitment_past_the_budget_is_refused_with_what_remains(finance, pot) -> None:
    services.commit_budget(pot=pot, amount_pence=99_000, description="A", actor=finance)
    with pytest.raises(ValidationError) as exc:
        services.commit_budget(pot=pot, amount_pence=1_001, description="B", actor=finance)
    assert exc.value.message_dict["amount"] == [
        f"There is not enough left in {pot.name}: £10.00 remains and this commitment is £10.01"
    ]
    services.commit_budget(pot=pot, amount_pence=1_000, description="Last pounds", actor=finance)
    assert pot.remaining_pence == 0


@pytest.mark.parametrize(
    ("amount", "description", "message"),
    [(0, "A", "Amount must be more than £0"), (5, " ", "Enter what the money is for")],
)
def test_commit_budget_input_rules(finance, pot, amount, description, message) -> None:
    with pytest.raises(ValidationError, match=message):
        services.commit_budget(pot=pot, amount_pence=amount, description=description, actor=finance)


def test_release_gives_money_back_once(finance, pot) -> None:
    commitment = services.commit_budget(pot=pot, amount_pence=500, description="A", actor=finance)
    with pytest.raises(ValidationError, match="Enter the reason for releasing the money"):
        services.release_commitment(commitment=commitment, actor=finance, reason="")
    services.release_commitment(commitment=commitment, actor=finance, reason="Award ended")
    pot.refresh_from_db()
    assert pot.committed_pence == 0
    assert services.committed_total(pot=pot) == 0
    with pytest.raises(ValidationError, match="already been released"):
        services.release_commitment(commitment=commitment, actor=finance, reason="Again")


def test_database_refuses_over_commitment_even_without_the_service(pot) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingPot.objects.filter(pk=pot.pk).update(committed_pence=pot.budget_pence + 1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    budget=st.integers(min_value=0, max_value=10_000_000),
    amounts=st.lists(st.integers(min_value=1, max_value=5_000_000), max_size=12),
)
def test_commitments_never_exceed_the_budget(finance, budget, amounts) -> None:
    pot = FundingPotFactory(council=finance.council, budget_pence=budget)
    accepted = 0
    for amount in amounts:
        try:
            services.commit_budget(pot=pot, amount_pence=amount, description="x", actor=finance)
        except ValidationError:
            assert accepted + amount > budget
        else:
            accepted += amount
        pot.refresh_from_db()
        assert pot.committed_pence == accepted == services.committed_total(pot=pot)
        assert 0 <= pot.committed_pence <= pot.budget_pence


# --- thresholds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "goods"),
    [
        (date(2025, 2, 24), 21_490_400),
        (date(2025, 12, 31), 21_490_400),
        (date(2026, 1, 1), 20_772_000),
        (date(2027, 6, 1), 20_772_000),
    ],
)
def test_thresholds_in_force_on_the_procurement_start_date(day, goods) -> None:
    found = services.thresholds_on(day=day)
    assert found.goods_services_pence == goods
    assert found.light_touch_pence == 66_354_000


def test_no_thresholds_before_the_act() -> None:
    with pytest.raises(
        ValidationError, match="No procurement thresholds are in force on 1 January 2024"
    ):
        services.thresholds_on(day=date(2024, 1, 1))


@settings(max_examples=30, deadline=None)
@given(day=st.dates(min_value=date(2025, 2, 24), max_value=date(2035, 12, 31)))
def test_the_latest_set_started_on_or_before_the_day_applies(day) -> None:
    found = services.thresholds_on(day=day)
    assert found.valid_from <= day
    assert not ThresholdSet.objects.filter(
        council__isnull=True, valid_from__gt=found.valid_from, valid_from__lte=day
    ).exists()


def test_council_set_takes_precedence_from_its_date(finance) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=finance.council)
    own = ThresholdSet(
        council=finance.council,
        valid_from=date(2026, 6, 1),
        goods_services_pence=20_772_000,
        works_pence=519_300_000,
        light_touch_pence=66_354_000,
        small_grant_limit_pence=1_000_000,
    )
    services.save_threshold_set(threshold_set=own, actor=admin)
    assert services.thresholds_on(day=date(2026, 5, 31), council=finance.council).council is None
    assert services.thresholds_on(day=date(2026, 6, 1), council=finance.council) == own
    assert last_event("strategy.thresholds.created").after["small_grant_limit_pence"] == 1_000_000
    clash = ThresholdSet(
        council=finance.council,
        valid_from=date(2026, 6, 1),
        goods_services_pence=1,
        works_pence=1,
        light_touch_pence=1,
    )
    with pytest.raises(ValidationError, match="A set of thresholds already starts on this date"):
        services.save_threshold_set(threshold_set=clash, actor=admin)


def test_financial_year_model_names_itself() -> None:
    assert FinancialYear.start_year_for(date(2026, 4, 1)) == 2026
