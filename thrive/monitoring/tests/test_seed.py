"""The demo seed gives every funded award a plan and a realistic spread of returns."""

from __future__ import annotations

import pytest

from thrive.awards.models import Award
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.monitoring.models import LeadFunder, MonitoringPlan, MonitoringReturn, TargetProgress

pytestmark = pytest.mark.django_db


def test_demo_seed_plans_every_funded_award_with_returns_in_every_state() -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=3, show_progress=False))
    funded = Award.objects.funded().count()
    assert funded > 0
    planned = Award.objects.funded().filter(monitoring_plans__isnull=False).distinct().count()
    assert planned == funded
    statuses = set(MonitoringReturn.objects.values_list("status", flat=True))
    assert statuses >= {"due", "accepted"}
    assert MonitoringReturn.objects.exclude(rating="").exists()
    assert TargetProgress.objects.exists()
    assert MonitoringPlan.objects.exclude(tier_reason="").count() == MonitoringPlan.objects.count()
    assert LeadFunder.objects.count() <= 1
