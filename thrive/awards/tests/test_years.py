"""An award's money by financial year: split from its schedule or dates, each year's part
committed against that year's pot, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards import services
from thrive.awards.models import Award, AwardStatus, AwardYear, Instalment
from thrive.awards.tests.factories import (
    DirectorateFactory,
    committed_in,
    make_award,
    make_pot,
    make_pots,
)
from thrive.awards.years import split_by_dates
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import BudgetCommitment, PotKind
from thrive.strategy.selectors import same_pot_in_year


@pytest.fixture
def commissioner(db):
    return staff_with_role(Role.COMMISSIONER)


@pytest.fixture
def directorate(commissioner):
    return DirectorateFactory(council=commissioner.council)


def _three_year_award(commissioner, directorate, pot, **overrides):
    values = {
        "amount_pence": 3_000_000,
        "start_date": date(2027, 4, 1),
        "end_date": date(2030, 3, 31),
        "instalment_count": 3,
        **overrides,
    }
    return make_award(
        commissioner, OrganisationFactory(), pot=pot, directorate=directorate, **values
    )


def test_the_days_of_each_year_share_the_amount_to_the_penny() -> None:
    parts = split_by_dates(
        amount_pence=1_000_000, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31)
    )
    # 90 days of January to March fall in 2026/27 and 275 in 2027/28.
    assert [(p.label, p.amount_pence) for p in parts] == [
        ("2026/27", 246_575),
        ("2027/28", 753_425),
    ]


@given(
    amount=st.integers(min_value=1, max_value=10**11),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=0, max_value=3_000),
)
def test_the_parts_always_add_up_to_the_amount_and_fall_in_the_term(amount, start, days) -> None:
    end = date.fromordinal(start.toordinal() + days)
    parts = split_by_dates(amount_pence=amount, start_date=start, end_date=end)
    assert sum(p.amount_pence for p in parts) == amount
    assert all(p.amount_pence > 0 for p in parts)
    first = start.year if start.month >= 4 else start.year - 1
    last = end.year if end.month >= 4 else end.year - 1
    assert {p.start_year for p in parts} <= set(range(first, last + 1))
    assert [p.start_year for p in parts] == sorted({p.start_year for p in parts})


def test_a_three_year_award_commits_each_years_part_against_that_years_pot(
    commissioner, directorate
) -> None:
    before, *pots = make_pots(commissioner.council, directorate, years=(2026, 2027, 2028, 2029))
    award = _three_year_award(commissioner, directorate, before)
    assert committed_in([before]) == 0
    assert committed_in(pots) == 3_000_000
    assert [p.committed_pence for p in pots] == [1_000_000, 1_000_000, 1_000_000]
    rows = list(award.years.select_related("pot", "commitment"))
    assert [(y.label, y.pot, y.amount_pence) for y in rows] == [
        ("2027/28", pots[0], 1_000_000),
        ("2028/29", pots[1], 1_000_000),
        ("2029/30", pots[2], 1_000_000),
    ]
    assert all(y.commitment.pot == y.pot and y.commitment.released_at is None for y in rows)
    assert award.pot == pots[0]
    created = AuditEvent.objects.get(action="awards.award.created", object_id=str(award.pk))
    assert created.after["years"] == {
        "2027/28": 1_000_000,
        "2028/29": 1_000_000,
        "2029/30": 1_000_000,
    }


def test_a_year_without_a_pot_is_refused_by_name_and_nothing_changes(
    commissioner, directorate
) -> None:
    pots = make_pots(commissioner.council, directorate, years=(2027, 2028))
    with pytest.raises(ValidationError) as raised:
        _three_year_award(commissioner, directorate, pots[0])
    assert "There is no pot for 2029/30" in str(raised.value)
    assert committed_in(pots) == 0
    assert not Award.objects.exists()
    assert not BudgetCommitment.objects.exists()
    assert not AwardYear.objects.exists() and not Instalment.objects.exists()


def test_a_year_whose_pot_cannot_cover_its_part_is_refused_by_name(
    commissioner, directorate
) -> None:
    pots = make_pots(commissioner.council, directorate, years=(2027, 2028, 2029))
    pots[1].budget_pence = 999_999
    pots[1].save()
    with pytest.raises(ValidationError) as raised:
        _three_year_award(commissioner, directorate, pots[0])
    message = str(raised.value)
    assert "for the 2028/29 part of this award: £9,999.99 remains" in message
    assert "the 2028/29 part is £10,000.00" in message
    assert committed_in(pots) == 0
    assert not Award.objects.exists() and not BudgetCommitment.objects.exists()


def test_the_same_pot_in_another_year_is_the_same_line_by_name(commissioner, directorate) -> None:
    council = commissioner.council
    chosen = make_pot(council, directorate, start_year=2027)
    chosen.name = "Carers fund"
    chosen.save()
    other = make_pot(council, directorate, start_year=2028)
    assert same_pot_in_year(pot=chosen, start_year=2028) == other  # the line's only pot
    other.name = "Another fund"
    other.save()
    named = make_pot(council, directorate, start_year=2028)
    named.name = "Carers fund"
    named.save()
    assert same_pot_in_year(pot=chosen, start_year=2028) == named
    other.kind = PotKind.RING_FENCED
    other.save()
    named.directorate = DirectorateFactory(council=council, code="children", name="Children")
    named.save()
    assert same_pot_in_year(pot=chosen, start_year=2028) is None
    assert same_pot_in_year(pot=chosen, start_year=2027) == chosen


def test_a_new_end_date_splits_the_money_again(commissioner, directorate) -> None:
    pots = make_pots(commissioner.council, directorate, years=(2027, 2028, 2029))
    award = _three_year_award(commissioner, directorate, pots[0], status=AwardStatus.ACTIVE)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=commissioner.council)
    variation = services.request_variation(
        award=award, actor=commissioner, kind="end_date", new_end_date=date(2029, 3, 31),
        reason="Shorter",
    )  # fmt: skip
    services.decide_variation(variation=variation, actor=finance, approve=True)
    # The third instalment moves from 1 April 2029 to 31 March 2029, into 2028/29.
    assert {y.start_year: y.amount_pence for y in award.years.all()} == {
        2027: 1_000_000,
        2028: 2_000_000,
    }
    assert [committed_in([p]) for p in pots] == [1_000_000, 2_000_000, 0]


def test_the_award_page_and_api_show_the_money_by_year(client, commissioner, directorate) -> None:
    pots = make_pots(commissioner.council, directorate, years=(2027, 2028, 2029))
    award = _three_year_award(commissioner, directorate, pots[0])
    client.force_login(commissioner)
    page = client.get(f"/awards/{award.reference}/").content.decode()
    for pot in pots:
        label = pot.financial_year
        assert f"<li>{label}: £10,000.00 from {pot}, committed</li>" in page
    body = client.get(f"/api/v1/awards/{award.reference}").json()
    assert body["committed_pence"] == 3_000_000
    assert body["years"] == [
        {
            "financial_year": str(pot.financial_year),
            "start_year": pot.financial_year.start_year,
            "amount_pence": 1_000_000,
            "pot": str(pot),
            "committed_pence": 1_000_000,
        }
        for pot in pots
    ]


def test_saving_the_same_schedule_moves_no_money(commissioner, directorate) -> None:
    pots = make_pots(commissioner.council, directorate, years=(2027, 2028, 2029))
    award = _three_year_award(commissioner, directorate, pots[0])
    rows = [
        {"due_date": i.due_date, "amount_pence": i.amount_pence} for i in award.instalments.all()
    ]
    before = list(BudgetCommitment.objects.values_list("pk", "released_at"))
    services.set_schedule(award=award, rows=rows, actor=commissioner)
    assert list(BudgetCommitment.objects.values_list("pk", "released_at")) == before
    rows[1]["due_date"] = date(2028, 3, 31)  # the second payment moves into 2027/28
    services.set_schedule(award=award, rows=rows, actor=commissioner)
    assert [committed_in([p]) for p in pots] == [2_000_000, 0, 1_000_000]
    assert BudgetCommitment.objects.filter(released_at__isnull=True).count() == 2


def test_the_terms_page_offers_only_open_pots_of_this_year_or_later(
    client, commissioner, directorate
) -> None:
    from django.urls import reverse
    from django.utils import timezone

    from thrive.strategy.models import FinancialYear

    current = FinancialYear.start_year_for(timezone.localdate())
    past, this_year, next_year = make_pots(
        commissioner.council, directorate, years=(current - 1, current, current + 1)
    )
    award = make_award(
        commissioner,
        OrganisationFactory(),
        directorate=directorate,
        amount_pence=100_000,
        start_date=date(current, 4, 1),
        end_date=date(current + 1, 3, 31),
    )
    from thrive.commissioning.tests.factories import commissioner_of

    client.force_login(commissioner_of(directorate))
    page = client.get(reverse("awards:edit", args=[award.reference]))
    assert page.status_code == 200
    offered = {value for value, _ in page.context["form"].fields["pot"].choices}
    assert this_year.pk in offered and next_year.pk in offered
    assert past.pk not in offered
