"""Applications on to-do lists: to screen for officers, drafts for organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.tests.factories import ApplicationFactory, SubmittedApplicationFactory
from thrive.commissioning.tests.factories import commissioner_of
from thrive.core import worklist
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory

pytestmark = pytest.mark.django_db


def test_submitted_small_grant_waits_for_screening_by_its_commissioner():
    application = SubmittedApplicationFactory()
    commissioner = commissioner_of(application.opportunity.directorate)

    [item] = worklist.items_of(commissioner, "applications.screen")
    assert item.url == reverse("applications:review", args=[application.pk])
    assert application.organisation.name in item.title


def test_round_is_screened_only_after_it_closes_and_a_sealed_bid_never_before_opening():
    open_round = OpportunityFactory(kind=OpportunityKind.GRANT_ROUND, max_award_pence=None)
    SubmittedApplicationFactory(opportunity=open_round)
    tender = TenderFactory(
        council=open_round.council,
        directorate=open_round.directorate,
        closes_at=timezone.now() - timedelta(hours=1),
    )
    SubmittedApplicationFactory(opportunity=tender)
    procurement = staff_with_role(Role.PROCUREMENT_OFFICER, council=open_round.council)

    assert worklist.items_of(procurement, "applications.screen") == []


def test_provider_sees_their_organisations_drafts_for_open_opportunities_only():
    draft = ApplicationFactory()
    ApplicationFactory(
        organisation=draft.organisation,
        opportunity=OpportunityFactory(
            opens_at=timezone.now() - timedelta(days=10),
            closes_at=timezone.now() - timedelta(days=1),
        ),
    )
    ApplicationFactory()  # another organisation's
    member = MembershipFactory(organisation=draft.organisation).user

    [item] = worklist.items_of(member, "applications.draft")
    assert item.url == reverse("applications:tasks", args=[draft.pk])
    assert item.detail.startswith("Closes ")
    assert (
        worklist.items_of(commissioner_of(draft.opportunity.directorate), "applications.draft")
        == []
    )
