"""Pages show a link only to a reader who may follow it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.assessment.models import Panel
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_the_finance_officer_is_shown_no_panel_they_may_not_open(client) -> None:
    opportunity = OpportunityFactory(kind=OpportunityKind.GRANT_ROUND)
    Panel.objects.create(opportunity=opportunity)
    panel_url = reverse("assessment:panel", args=[opportunity.pk])
    for role, shown in ((Role.FINANCE_OFFICER, False), (Role.PROCUREMENT_OFFICER, True)):
        client.force_login(staff_with_role(role, council=opportunity.council))
        listed = panel_url in client.get(reverse("assessment:home")).content.decode()
        assert listed == shown, role
        assert (client.get(panel_url).status_code == 200) == shown, role


def test_staff_are_not_offered_the_start_button_of_an_open_opportunity(client) -> None:
    opportunity = OpportunityFactory()
    start = reverse("applications:start", args=[opportunity.pk])
    detail = reverse("opportunities:detail", args=[opportunity.pk])
    assert start in client.get(detail).content.decode()
    client.force_login(staff_with_role(Role.ASSESSOR, council=opportunity.council))
    assert start not in client.get(detail).content.decode()
    assert client.get(start).status_code == 403
