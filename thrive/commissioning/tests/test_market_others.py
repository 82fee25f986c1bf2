"""Market analysis counts organisations other funders reach in the intention's areas.

Not only through the services organisations declare: a trust's 360Giving grant with a
beneficiary location in one of the areas (its GSS code), or another buyer's contract whose
published data names the area, puts its recipient among those "Funded by others".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.awards.tests.factories import AwardFactory
from thrive.commissioning.tests.factories import AreaFactory, IntentionFactory
from thrive.core.models import BeneficiaryGroup
from thrive.opendata import market
from thrive.opendata.tests.factories import ExternalContractFactory, ExternalGrantFactory
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Outcome

pytestmark = pytest.mark.django_db

HERE = "E07000302"
THERE = "E07000303"


@pytest.fixture
def areas(council):
    return {
        "here": AreaFactory(council=council, name="Brackenford", gss_code=HERE),
        "there": AreaFactory(council=council, name="Castlemere", gss_code=THERE),
    }


@pytest.fixture
def intention(directorate, areas):
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    intention.outcomes.add(Outcome.objects.get(council=directorate.council, code="PO3"))
    intention.areas.add(areas["here"])
    intention.groups.add(BeneficiaryGroup.objects.get(code="older-people"))
    return intention


def test_an_imported_organisation_without_services_funded_here_counts(intention) -> None:
    here = OrganisationFactory(name="Brackenford Lunch Club", source="open_data")
    ExternalGrantFactory(recipient=here, geo_codes=[HERE])
    far = OrganisationFactory(name="Castlemere Choir", source="open_data")
    ExternalGrantFactory(recipient=far, geo_codes=[THERE])
    OrganisationFactory(name="Brackenford Unfunded", source="open_data")

    analysis = market.analyse(intention=intention)

    assert [o.name for o in analysis.organisations["others"]] == ["Brackenford Lunch Club"]
    assert analysis.counts == {"council": 0, "others": 1, "unfunded": 0}
    others = analysis.others_in_areas
    assert others.codes == [HERE]
    assert (others.grants, others.organisations) == (1, 1)


def test_another_buyers_contract_naming_the_area_counts(intention) -> None:
    supplier = OrganisationFactory(name="Day Care Brackenford")
    delivered = {"items": [{"deliveryLocation": {"gazetteer": {"identifiers": [HERE]}}}]}
    ExternalContractFactory(recipient=supplier, data=delivered)
    ExternalContractFactory(
        recipient=OrganisationFactory(name="Elsewhere Ltd"), data={"region": THERE}
    )

    analysis = market.analyse(intention=intention)

    assert [o.name for o in analysis.organisations["others"]] == ["Day Care Brackenford"]
    assert analysis.others_in_areas.contracts == 1


def test_grants_count_by_group_and_outcome_where_a_classification_names_them(
    intention,
) -> None:
    outcome = intention.outcomes.get()
    first = OrganisationFactory(name="First")
    second = OrganisationFactory(name="Second")
    ExternalGrantFactory(
        recipient=first, geo_codes=[HERE], classified=[("older-people", "Older adults")]
    )
    ExternalGrantFactory(
        recipient=second, geo_codes=[HERE], classified=[("x1", outcome.title), ("x2", "Arts")]
    )
    ExternalGrantFactory(recipient=second, geo_codes=[HERE], classified=[("x2", "Arts")])
    ExternalGrantFactory(recipient=first, geo_codes=[THERE], classified=[("x2", "Arts")])

    others = market.analyse(intention=intention).others_in_areas

    assert [(r.label, r.organisations, r.grants) for r in others.by_group] == [
        ("Older people", 1, 1)
    ]
    assert [(r.label, r.organisations, r.grants) for r in others.by_outcome] == [
        (outcome.label, 1, 1)
    ]
    by_title = {r.label: r for r in others.by_classification}
    assert (by_title["Arts"].grants, by_title["Arts"].organisations) == (2, 1)
    assert by_title["Arts"].maps_to == ""
    assert by_title["Older adults"].maps_to == "Older people"
    assert by_title[outcome.title].maps_to == outcome.label


def test_an_intention_without_areas_looks_at_every_area_of_the_council(intention, areas) -> None:
    intention.areas.clear()
    ExternalGrantFactory(recipient=OrganisationFactory(name="Far"), geo_codes=[THERE])
    analysis = market.analyse(intention=intention)
    assert analysis.others_in_areas.codes == [HERE, THERE]
    assert [o.name for o in analysis.organisations["others"]] == ["Far"]


def test_held_recipients_count_as_organisations_but_not_in_the_register(intention) -> None:
    ExternalGrantFactory(recipient=None, geo_codes=[HERE])
    analysis = market.analyse(intention=intention)
    assert analysis.others_in_areas.organisations == 1
    assert analysis.total == 0


def test_the_page_shows_other_funders_here_in_bounded_queries(
    client, commissioner, intention, django_assert_max_num_queries
) -> None:
    for n in range(5):
        club = OrganisationFactory(name=f"Club {n}")
        ExternalGrantFactory(recipient=club, geo_codes=[HERE], classified=[(f"c{n}", f"Theme {n}")])
        if n < 3:
            AwardFactory(organisation=club, council=intention.council)
    client.force_login(commissioner)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("commissioning:intention_market", args=[intention.pk]))
    html = response.content.decode()
    assert html.count("Income not known") == 3  # each provider the council funds
    assert "Other funders in these areas" in html
    assert "5 grants and 0 contracts to 5 organisations" in html
    assert "Theme 4" in html and "No mapping" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_market_analysis_with_other_funders_is_accessible(
    live_server, page, commissioner, intention
) -> None:
    from thrive.accounts.tests.factories import PASSWORD
    from thrive.testing.browser import assert_accessible, sign_in

    ExternalGrantFactory(
        recipient=OrganisationFactory(name="Brackenford Lunch Club"),
        geo_codes=[HERE],
        classified=[("older-people", "Older people")],
    )
    sign_in(page, live_server, commissioner.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('commissioning:intention_market', args=[intention.pk])}")
    assert page.get_by_role("heading", level=2, name="Other funders in these areas").is_visible()
    assert page.get_by_text("Brackenford Lunch Club").is_visible()
    assert_accessible(page)
