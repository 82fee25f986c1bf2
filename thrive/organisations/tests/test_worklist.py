"""Requests to join on the to-do lists of the organisation's admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.accounts.tests.factories import MembershipFactory
from thrive.core import worklist
from thrive.organisations.tests.factories import JoinRequestFactory

pytestmark = pytest.mark.django_db


def test_pending_join_request_waits_on_the_organisations_admins_only():
    request = JoinRequestFactory()
    admin = MembershipFactory(organisation=request.organisation, is_admin=True).user
    member = MembershipFactory(organisation=request.organisation).user

    [item] = worklist.items_of(admin, "organisations.join")
    assert item.url == reverse("organisations:members", args=[request.organisation_id])
    assert worklist.items_of(member, "organisations.join") == []
