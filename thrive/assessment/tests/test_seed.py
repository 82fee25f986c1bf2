"""The demo seed gives assessment panels, declarations, scores and moderated results."""

from __future__ import annotations

import pytest

from thrive.assessment import selectors
from thrive.assessment.models import ConflictDeclaration, ModeratedScore, Panel, Score
from thrive.core.seeding import SCALES, SeedContext, run_seed

pytestmark = pytest.mark.django_db


def test_demo_seed_has_panels_declarations_scores_and_moderated_results() -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False))
    assert Panel.objects.exists()
    assert ConflictDeclaration.objects.exists()
    assert Score.objects.exists()
    assert ModeratedScore.objects.exists()
    moderated = Panel.objects.filter(moderation_opened_at__isnull=False).first()
    assert moderated is not None
    ranked = [r for _, rows in selectors.results_by_lot(moderated.opportunity) for r in rows]
    assert any(r.position == 1 for r in ranked)
