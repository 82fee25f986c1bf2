"""Market analysis from the register (§2.6): who offers what, who funds them, dependence."""

from __future__ import annotations

import pytest

from thrive.commissioning import selectors
from thrive.commissioning.selectors import settings_for
from thrive.commissioning.tests.factories import AreaFactory, AwardFactory, IntentionFactory
from thrive.opendata import market
from thrive.organisations.models import Service
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Outcome

pytestmark = pytest.mark.django_db


def provider(name, outcome, area=None, **fields):
    organisation = OrganisationFactory(name=name, **fields)
    Service.objects.create(organisation=organisation, name="Befriending").outcomes.add(outcome)
    if area is not None:
        organisation.areas.add(area)
    return organisation


@pytest.fixture
def intention(directorate):
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    intention.outcomes.add(Outcome.objects.get(council=directorate.council, code="PO3"))
    return intention


def test_providers_are_split_by_who_funds_them(intention, directorate) -> None:
    outcome = intention.outcomes.get()
    funded = provider("Funded", outcome, latest_income_pence=10_000_000, size_band="medium")
    AwardFactory(
        organisation=funded,
        council=directorate.council,
        directorate=directorate,
        amount_pence=3_000_000,
    )
    elsewhere = provider("Elsewhere", outcome, size_band="small")
    AwardFactory(organisation=elsewhere)
    open_data = provider("Open data", outcome, source="open_data")
    _external_grant(open_data)
    provider("Imported but unfunded", outcome, source="open_data")
    provider("Unfunded", outcome, size_band="micro")
    OrganisationFactory(name="Unrelated")
    analysis = market.analyse(intention=intention)
    assert analysis.total == 5 and analysis.contestable
    assert analysis.counts == {"council": 1, "others": 2, "unfunded": 2}
    assert [o.name for o in analysis.organisations["others"]] == ["Elsewhere", "Open data"]
    assert (
        "Micro (under £10,000)",
        {"council": 0, "others": 0, "unfunded": 1},
    ) in analysis.size_bands


def test_dependence_on_council_funding_warns_at_the_threshold(intention, directorate) -> None:
    outcome = intention.outcomes.get()
    dependent = provider("Dependent", outcome, latest_income_pence=4_000_000)
    AwardFactory(
        organisation=dependent,
        council=directorate.council,
        directorate=directorate,
        amount_pence=3_000_000,
    )
    secure = provider("Secure", outcome, latest_income_pence=100_000_000)
    AwardFactory(
        organisation=secure,
        council=directorate.council,
        directorate=directorate,
        amount_pence=3_000_000,
    )
    unknown = provider("Unknown income", outcome)
    AwardFactory(organisation=unknown, council=directorate.council, directorate=directorate)
    by_name = {d.organisation.name: d for d in market.analyse(intention=intention).dependencies}
    # 3,000,000 pence over two years is about 1,500,000 a year: 37% of 4,000,000.
    assert by_name["Dependent"].share_percent == 37 and by_name["Dependent"].at_risk
    assert by_name["Secure"].share_percent == 1 and not by_name["Secure"].at_risk
    assert by_name["Unknown income"].share_percent is None and by_name["Unknown income"].at_risk
    settings_ = settings_for(council=directorate.council)
    settings_.withdrawal_share_percent = 50
    settings_.save()
    assert not {d.organisation.name: d for d in market.analyse(intention=intention).dependencies}[
        "Dependent"
    ].at_risk


def test_areas_narrow_the_market_but_county_wide_providers_count(intention, directorate) -> None:
    outcome = intention.outcomes.get()
    here = AreaFactory(council=directorate.council, name="Brackenford")
    there = AreaFactory(council=directorate.council, name="Castlemere")
    county = AreaFactory(council=directorate.council, name="County-wide", county_wide=True)
    intention.areas.add(here)
    provider("Local", outcome, area=here)
    provider("Far", outcome, area=there)
    provider("Everywhere", outcome, area=county)
    names = sorted(o.name for o in selectors.matching_organisations(intention=intention))
    assert names == ["Everywhere", "Local"]


def test_a_provider_counts_once_however_many_services_and_areas_match(
    intention, directorate
) -> None:
    outcome = intention.outcomes.get()
    here = AreaFactory(council=directorate.council, name="Brackenford")
    near = AreaFactory(council=directorate.council, name="Dunmere")
    intention.areas.add(here, near)
    busy = provider("Busy", outcome, area=here)
    busy.areas.add(near)
    Service.objects.create(organisation=busy, name="Lunch club").outcomes.add(outcome)
    merged = provider("Merged away", outcome, area=here)
    merged.merged_into = busy
    merged.save()
    assert [o.name for o in selectors.matching_organisations(intention=intention)] == ["Busy"]
    analysis = market.analyse(intention=intention)
    assert analysis.total == 1
    assert [o.name for o in analysis.organisations["unfunded"]] == ["Busy"]


def _external_grant(organisation) -> None:
    """Another funder's grant to the organisation, as imported from 360Giving."""
    from datetime import date
    from decimal import Decimal

    from thrive.opendata.models import ExternalGrant, ImportRun

    ExternalGrant.objects.create(
        grant_id=f"360G-other-{organisation.pk}",
        title="Lunch club",
        currency="GBP",
        amount_awarded=Decimal("2500"),
        award_date=date(2025, 4, 1),
        funder_org_id="GB-CHC-1999001",
        funder_name="Other Trust",
        recipient_org_id=f"360G-other-org-{organisation.pk}",
        recipient_name=organisation.name,
        recipient=organisation,
        import_run=ImportRun.objects.create(source_name="other.json"),
    )
