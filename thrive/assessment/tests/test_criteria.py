"""Criteria per opportunity and per lot: weights add up to 100 per lot, gates, scales."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from thrive.accounts.tests.factories import staff_with_role
from thrive.opportunities import services as opportunity_services
from thrive.opportunities.models import DEFAULT_SCALE, CriterionKind, OpportunityStatus
from thrive.opportunities.tests.factories import LotFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _add(opportunity, **kwargs):
    actor = staff_with_role("procurement_officer", council=opportunity.council)
    return opportunity_services.add_criterion(opportunity=opportunity, actor=actor, **kwargs)


def test_each_lots_weights_must_add_up_to_100_with_a_clear_error() -> None:
    tender = TenderFactory(status=OpportunityStatus.DRAFT)
    lot1 = LotFactory(opportunity=tender, number=1)
    lot2 = LotFactory(opportunity=tender, number=2)
    _add(tender, title="Quality", weight=60)
    _add(tender, title="Price", weight=40, kind=CriterionKind.PRICE, lot=lot1)
    _add(tender, title="Social value", weight=30, kind=CriterionKind.SOCIAL_VALUE, lot=lot2)
    assert tender.weight_problems() == [
        "The criteria weights for lot 2 must add up to 100% (they add up to 90%)"
    ]
    with pytest.raises(ValidationError, match="for lot 2 would add up to 110%"):
        _add(tender, title="Local benefit", weight=20, lot=lot2)


def test_a_gate_has_no_weight_and_price_cannot_be_a_gate() -> None:
    tender = TenderFactory(status=OpportunityStatus.DRAFT)
    gate = _add(tender, title="Safeguarding policy in place", weight=25, is_gate=True)
    assert gate.weight == 0 and gate.is_gate
    with pytest.raises(ValidationError, match="Price cannot be a pass or fail gate"):
        _add(tender, title="Price", weight=0, is_gate=True, kind=CriterionKind.PRICE)


def test_the_default_scale_is_0_to_5_with_descriptors_and_a_custom_one_is_kept() -> None:
    tender = TenderFactory(status=OpportunityStatus.DRAFT)
    default = _add(tender, title="Quality", weight=50)
    assert [p["score"] for p in default.scale_points] == [0, 1, 2, 3, 4, 5]
    assert default.scale_points == DEFAULT_SCALE
    custom = _add(
        tender,
        title="Social value",
        weight=50,
        scale=[{"score": 10, "descriptor": "Top"}, {"score": 0, "descriptor": "None"}],
    )
    assert custom.max_score == 10
    assert custom.scale_points[0]["descriptor"] == "None"


def test_applicants_see_kinds_lots_scales_and_gates_before_applying(client) -> None:
    tender = TenderFactory(status=OpportunityStatus.DRAFT)
    lot = LotFactory(opportunity=tender, number=1)
    _add(tender, title="Quality of service", weight=70)
    _add(tender, title="Price", weight=30, kind=CriterionKind.PRICE, lot=lot)
    _add(tender, title="Safeguarding", weight=0, is_gate=True)
    tender.status = OpportunityStatus.PUBLISHED
    tender.save()
    page = client.get(f"/opportunities/{tender.pk}/").content.decode()
    assert "Quality of service" in page and "Pass or fail" in page
    assert "Lot 1" in page and "Lowest price ÷ bid price × weight" in page
    assert "Excellent: meets the need fully" in page
    assert "never scored as 0" in page


def test_the_criterion_form_reads_a_scale_written_one_score_a_line() -> None:
    from thrive.opportunities.forms import CriterionForm

    form = CriterionForm(
        {
            "title": "Quality",
            "kind": "quality",
            "weight": "50",
            "scale": "0: None\n1: Some\n2: All",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["scale"][2] == {"score": 2, "descriptor": "All"}
    bad = CriterionForm({"title": "Q", "kind": "quality", "weight": "5", "scale": "good"})
    assert not bad.is_valid()
    assert "colon" in bad.errors["scale"][0]
