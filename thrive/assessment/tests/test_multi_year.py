"""Multi-year money on the recommend and decision pages: the pot comes from the intention,
only open pots the officer may use are offered, and a lost budget race shows the truth."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.assessment.models import Decision, DecisionStatus
from thrive.assessment.services import decisions
from thrive.assessment.tests.factories import make_round
from thrive.assessment.tests.test_views import _moderate_both
from thrive.awards.tests.factories import DirectorateFactory, committed_in, make_pot
from thrive.commissioning.tests.factories import IntentionFactory, commissioner_of
from thrive.strategy.models import FinancialYear, FundingPot, PotKind
from thrive.strategy.services import commit_budget, merge_pots

pytestmark = pytest.mark.django_db

THIS_YEAR = FinancialYear.start_year_for(timezone.localdate())


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _line(council, directorate, years, *, budget_pence=10_000_000, name="Community fund"):
    """A pot named ``name`` of the directorate in each of the years."""
    pots = []
    for year in years:
        pot = make_pot(council, directorate, budget_pence=budget_pence, start_year=year)
        pot.name = name
        pot.save()
        pots.append(pot)
    return pots


def _choices(page: str) -> list[str]:
    start = page.index('name="pot"')
    return [
        chunk.split(">", 1)[1].split("<", 1)[0]
        for chunk in page[start : page.index("</select>", start)].split("<option")[1:]
    ]


def test_the_pot_defaults_from_the_intention_and_only_open_pots_are_offered() -> None:
    rnd = make_round()
    opportunity, council = rnd.opportunity, rnd.opportunity.council
    directorate = opportunity.directorate
    last, planned, following = _line(
        council, directorate, (THIS_YEAR - 1, THIS_YEAR, THIS_YEAR + 1)
    )
    opportunity.intention = IntentionFactory(council=council, directorate=directorate, pot=planned)
    opportunity.save()
    other = DirectorateFactory(council=council, code="children", name="Children's Services")
    theirs = make_pot(council, other, start_year=THIS_YEAR)
    corporate = FundingPot.objects.create(
        council=council,
        directorate=other,
        financial_year=theirs.financial_year,
        name="Corporate infrastructure",
        kind=PotKind.RING_FENCED,
        budget_pence=1_000_000,
    )
    former = [
        make_pot(council, directorate, start_year=THIS_YEAR + 1),
        make_pot(council, DirectorateFactory(council=council, code="x", name="X"),
                 start_year=THIS_YEAR + 1),
    ]  # fmt: skip
    former[0].name = "Old fund"
    former[0].save()
    merged = merge_pots(
        pots=former, name="Merged fund", directorate=directorate, actor=rnd.runner, reason="§2.4"
    )
    _moderate_both(rnd)
    commissioner = commissioner_of(directorate)
    page = _client(commissioner).get(f"/assessment/opportunities/{opportunity.pk}/recommend/")
    assert page.status_code == 200
    html = page.content.decode()
    offered = _choices(html)
    assert str(planned) in offered and str(following) in offered and str(merged) in offered
    assert str(corporate) in offered  # a corporate pot serves every directorate
    for hidden in (last, theirs, *former):
        assert str(hidden) not in offered
    assert f'<option value="{planned.pk}" selected>{planned}</option>' in html


def test_the_recommend_page_takes_dates_as_people_type_them() -> None:
    rnd = make_round()
    _moderate_both(rnd)
    response = _client(rnd.runner).post(
        f"/assessment/opportunities/{rnd.opportunity.pk}/recommend/",
        {
            "applications": [rnd.applications[0].pk],
            "start_date": "15/2/2027",
            "end_date": "14/2/2030",
            "reason": "Highest weighted total",
        },
    )
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert (decision.start_date.isoformat(), decision.end_date.isoformat()) == (
        "2027-02-15",
        "2030-02-14",
    )


def test_a_lost_budget_race_leaves_the_decision_recommended_and_names_the_year() -> None:
    rnd = make_round()
    _moderate_both(rnd)
    council, directorate = rnd.opportunity.council, rnd.opportunity.directorate
    years = (THIS_YEAR + 1, THIS_YEAR + 2, THIS_YEAR + 3)
    pots = _line(council, directorate, years, budget_pence=2_000_000)
    start = f"1/4/{THIS_YEAR + 1}"
    end = f"31/3/{THIS_YEAR + 4}"
    decision = decisions.recommend(
        opportunity=rnd.opportunity,
        lot=None,
        applications=[rnd.applications[0]],  # £50,000: £16,666.67 in each year
        pot=pots[0],
        start_date=timezone.datetime.strptime(start, "%d/%m/%Y").date(),
        end_date=timezone.datetime.strptime(end, "%d/%m/%Y").date(),
        reason="Highest weighted total",
        actor=rnd.runner,
    )
    finance = staff_with_role(Role.STRATEGY_GROUP, council=council)
    client = _client(finance)
    before = client.get(f"/assessment/decisions/{decision.pk}/").content.decode()
    later = f"{THIS_YEAR + 2}/{(THIS_YEAR + 3) % 100:02d}"
    assert "Money by financial year" in before and f"{later}</th>" in before
    # Between reading the page and approving, another award takes the middle year's money.
    commit_budget(pot=pots[1], amount_pence=1_000_000, description="Another award", actor=finance)
    page = client.post(f"/assessment/decisions/{decision.pk}/", {"decision": "approve"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"for the {later} part of this award: £10,000.00 remains" in html
    assert "govuk-error-summary" in html
    assert 'list__value">Recommended, awaiting approval</dd>' in html
    assert "Make the award" not in html
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECOMMENDED
    assert decision.winners.get().award is None
    assert committed_in(pots) == 1_000_000


def test_the_decision_api_shows_the_money_by_year() -> None:
    rnd = make_round()
    _moderate_both(rnd)
    council, directorate = rnd.opportunity.council, rnd.opportunity.directorate
    pots = _line(council, directorate, (THIS_YEAR + 1, THIS_YEAR + 2), budget_pence=3_000_000)
    decision = decisions.recommend(
        opportunity=rnd.opportunity,
        lot=None,
        applications=[rnd.applications[1]],  # £40,000 over two years
        pot=pots[0],
        start_date=pots[0].financial_year.starts_on,
        end_date=pots[1].financial_year.ends_on,
        reason="Highest weighted total",
        actor=rnd.runner,
    )
    client = _client(staff_with_role(Role.STRATEGY_GROUP, council=council))
    body = client.get(f"/api/v1/assessment/decisions/{decision.pk}").json()
    assert body["years"] == [
        {
            "financial_year": str(pot.financial_year),
            "amount_pence": 2_000_000,
            "pot": str(pot),
            "remaining_pence": 3_000_000,
        }
        for pot in pots
    ]
