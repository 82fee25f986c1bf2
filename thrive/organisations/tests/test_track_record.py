"""Application history on the profile, and merges that would combine clashing rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.tests.factories import ApplicationFactory, SubmittedApplicationFactory
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory
from thrive.organisations import duplicates
from thrive.organisations.tests.factories import OrganisationFactory


def test_staff_see_received_applications_but_never_sealed_bids(client, db) -> None:
    staff = staff_with_role(Role.STRATEGY_GROUP)
    org = OrganisationFactory()
    SubmittedApplicationFactory(
        organisation=org, opportunity=OpportunityFactory(title="Summer activities grants")
    )
    SubmittedApplicationFactory(
        organisation=org, opportunity=TenderFactory(title="Secret carers tender")
    )
    client.force_login(staff)
    page = client.get(reverse("organisations:detail", args=[org.pk]))
    assert "Summer activities grants" in page.text
    assert "Secret carers tender" not in page.text


def test_a_merge_that_would_combine_two_applications_is_refused(db) -> None:
    opportunity = OpportunityFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    ApplicationFactory(organisation=first, opportunity=opportunity)
    ApplicationFactory(organisation=second, opportunity=opportunity)
    with pytest.raises(ValidationError, match="cannot be merged yet"):
        duplicates.merge_organisations(survivor=first, merged=second, actor=None, reason="x")
    second.refresh_from_db()
    assert second.merged_into is None
    assert second.applications.count() == 1


def test_applications_move_with_a_merge(db) -> None:
    first, second = OrganisationFactory(), OrganisationFactory()
    application = ApplicationFactory(organisation=second)
    duplicates.merge_organisations(survivor=first, merged=second, actor=None, reason="Same")
    application.refresh_from_db()
    assert application.organisation == first
