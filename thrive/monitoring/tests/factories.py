"""Factories for monitoring: awards with targets and instalments, plans made by the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from thrive.awards.models import Award, AwardTarget, Instalment
from thrive.awards.tests.factories import AwardFactory
from thrive.monitoring import services
from thrive.monitoring.models import MonitoringPlan, MonitoringTier, ReturnAttachment


class AwardTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardTarget

    award = factory.SubFactory(AwardFactory)
    description = factory.Sequence(lambda n: f"People supported {n}")
    unit = "people"
    target_value = Decimal("100")
    order = factory.Sequence(int)


class MonitoringTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringTier

    council = factory.SubFactory("thrive.accounts.tests.factories.CouncilFactory")
    order = 100
    name = factory.Sequence(lambda n: f"Tier {n}")
    schedule = "six_monthly"
    return_size = "standard"


class ReturnAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnAttachment

    monitoring_return = None
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n")
    original_name = "report.pdf"
    content_type = "application/pdf"
    size = 9
    sha256 = "0" * 64


def award_with_plan(*, targets: int = 1, **award_kwargs: Any) -> tuple[Award, MonitoringPlan]:
    """An active award with targets and its monitoring plan, made by the service."""
    award = AwardFactory(**award_kwargs)
    for _ in range(targets):
        AwardTargetFactory(award=award)
    plan = services.create_plan_for_award(award=award, actor=None)
    return award, plan


def held_instalment(award: Award, *, number: int = 1, due: date | None = None) -> Instalment:
    return Instalment.objects.create(
        award=award,
        number=number,
        due_date=due or date(2025, 1, 1),
        amount_pence=award.amount_pence // 2,
        requires_accepted_return=True,
    )


def fill(item: Any, *, narrative: str = "A good quarter.") -> Any:
    """Answer everything a return of any size asks for."""
    plan = item.plan
    spends = {a.pk: 1_000_00 for a in plan.awards.all()}
    progress = {
        t.pk: (Decimal("120"), "") for t in AwardTarget.objects.filter(award__in=plan.awards.all())
    }
    return services.save_return(
        monitoring_return=item,
        actor=None,
        spends=spends,
        progress=progress,
        volunteers_count=4,
        volunteer_hours=Decimal("80"),
        case_studies="Mrs B now goes out weekly.",
        narrative=narrative,
    )
