"""The demo seed gives every part of strategy and commissioning something real to show."""

from __future__ import annotations

import pytest

from thrive.audit.services import verify_chain
from thrive.commissioning.models import (
    Consultation,
    DecommissioningNotice,
    EvidenceItem,
    Intention,
    IntentionStatus,
    MethodDecision,
    Need,
    SoftMarketTest,
)
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.strategy.models import FundingPot, PotKind
from thrive.strategy.services import committed_total

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_pots_needs_intentions_and_involvement() -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False))
    kinds = set(FundingPot.objects.values_list("kind", flat=True))
    assert kinds == set(PotKind.values)
    for pot in FundingPot.objects.all():
        assert 0 <= pot.committed_pence <= pot.budget_pence
        assert pot.committed_pence == committed_total(pot=pot)
    assert Need.objects.filter(statutory=True).exists()
    assert EvidenceItem.objects.count() >= Need.objects.count()
    statuses = set(Intention.objects.values_list("status", flat=True))
    assert {
        IntentionStatus.DRAFT,
        IntentionStatus.ASSESSED,
        IntentionStatus.APPROVED,
        IntentionStatus.PUBLISHED,
    } <= statuses
    for intention in Intention.objects.filter(status=IntentionStatus.PUBLISHED):
        assert intention.eqia.is_complete
    assert MethodDecision.objects.filter(confirmed_at__isnull=False).exists()
    assert Consultation.objects.filter(summary_published_at__isnull=False).exists()
    assert SoftMarketTest.objects.filter(no_commercial_market=True).exists()
    assert DecommissioningNotice.objects.exists()
    assert verify_chain()[1] is None
