"""Inviting an organisation to quote: search the register, choose one of the results, send."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.opportunities.models import QuoteInvitation
from thrive.opportunities.selectors import INVITE_RESULTS
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page() -> tuple[Client, str, object]:
    opportunity = OpportunityFactory()
    commissioner = staff_with_role("commissioner", council=opportunity.council)
    commissioner.role_assignments.update(directorate=opportunity.directorate)
    client = Client()
    client.force_login(commissioner)
    return client, f"/opportunities/manage/{opportunity.pk}/invite/", opportunity


def test_the_page_starts_with_a_search_and_lists_no_organisations(page) -> None:
    client, url, _ = page
    OrganisationFactory(name="Hidden Valley Trust")
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "Hidden Valley Trust" not in response.text
    assert "<select" not in response.text


def test_search_finds_by_name_and_number_showing_numbers_and_town(page) -> None:
    client, url, _ = page
    leeds = OrganisationFactory(name="Meadow Carers", town="Leeds")
    IdentifierFactory(organisation=leeds, scheme="GB-CHC", value="1099001", org_id="GB-CHC-1099001")
    OrganisationFactory(name="Meadow Carers", town="York")
    OrganisationFactory(name="Unrelated Group")
    by_name = client.get(url, {"q": "Meadow"}).text
    assert "Meadow Carers (GB-CHC-1099001, Leeds)" in by_name
    assert "Meadow Carers (York)" in by_name
    assert "Unrelated Group" not in by_name
    assert f'type="radio" value="{leeds.pk}"' in by_name
    by_number = client.get(url, {"q": "1099001"}).text
    assert "Meadow Carers (GB-CHC-1099001, Leeds)" in by_number
    assert "Meadow Carers (York)" not in by_number
    assert "No active organisation on the register matches" in client.get(url, {"q": "zzzz"}).text


def test_many_matches_show_the_first_few_in_pinned_queries(
    page, django_assert_max_num_queries
) -> None:
    client, url, _ = page
    for n in range(INVITE_RESULTS + 5):
        IdentifierFactory(
            organisation=OrganisationFactory(name=f"Harbour Club {n:02}", town="Hull")
        )
    with django_assert_max_num_queries(12):
        response = client.get(url, {"q": "Harbour"})
    assert response.text.count('type="radio"') == INVITE_RESULTS
    assert "Harbour Club 00" in response.text
    assert f"The first {INVITE_RESULTS} are shown" in response.text


def test_choosing_a_result_sends_the_invitation_with_its_note(page) -> None:
    client, url, opportunity = page
    chosen = OrganisationFactory(name="Meadow Carers")
    response = client.post(f"{url}?q=Meadow", {"organisation": chosen.pk, "note": "Please quote"})
    assert response.status_code == 302
    invitation = QuoteInvitation.objects.get(opportunity=opportunity)
    assert (invitation.organisation, invitation.note) == (chosen, "Please quote")
    assert AuditEvent.objects.filter(action="opportunities.invitation.sent").count() == 1


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Select the organisation to invite"),
        ({"organisation": "999999"}, "Select an organisation from the search results"),
        ({"organisation": "not-a-number"}, "Select an organisation from the search results"),
        ("merged", "Select an organisation from the search results"),
    ],
)
def test_a_missing_unknown_or_merged_organisation_is_refused(page, posted, message) -> None:
    client, url, _ = page
    kept = OrganisationFactory(name="Meadow Carers")
    if posted == "merged":
        posted = {"organisation": OrganisationFactory(name="Meadow Old", merged_into=kept).pk}
    response = client.post(f"{url}?q=Meadow", posted)
    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-summary" in response.text
    assert "Meadow Carers" in response.text  # the results are shown again to choose from
    assert not QuoteInvitation.objects.exists()
