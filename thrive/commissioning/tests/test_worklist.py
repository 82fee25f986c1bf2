"""Decommissioning notices on to-do lists: to send for commissioners, to read for providers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory
from thrive.commissioning.models import Direction, IntentionStatus
from thrive.commissioning.tests.factories import (
    DecommissioningNoticeFactory,
    IntentionFactory,
    commissioner_of,
)
from thrive.core import worklist

pytestmark = pytest.mark.django_db


def test_approved_decommissioning_intention_asks_its_commissioner_to_send_notices():
    intention = IntentionFactory(
        direction=Direction.DECOMMISSIONING,
        status=IntentionStatus.PUBLISHED,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    IntentionFactory(
        council=intention.council,
        directorate=intention.directorate,
        status=IntentionStatus.PUBLISHED,
    )  # a new service: no notices
    commissioner = commissioner_of(intention.directorate)

    [item] = worklist.items_of(commissioner, "commissioning.notices.send")
    assert item.url == reverse("commissioning:intention_notices", args=[intention.pk])

    DecommissioningNoticeFactory(intention=intention)
    worklist.forget(commissioner)
    assert worklist.items_of(commissioner, "commissioning.notices.send") == []


def test_provider_is_asked_to_read_an_unread_notice():
    notice = DecommissioningNoticeFactory()
    member = MembershipFactory(organisation=notice.organisation).user
    MembershipFactory(user=member)  # another organisation, with no notice

    [item] = worklist.items_of(member, "commissioning.notices.read")
    assert item.url == reverse("commissioning:notice", args=[notice.pk])

    notice.read_at = timezone.now()
    notice.save()
    worklist.forget(member)
    assert worklist.items_of(member, "commissioning.notices.read") == []
