"""Factories for assessment: panels, members, declarations, scores, decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.models import ApplicationStatus
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.assessment.models import (
    ConflictDeclaration,
    Decision,
    ModeratedScore,
    Panel,
    PanelMember,
    Score,
    Winner,
)
from thrive.opportunities.models import CriterionKind, OpportunityKind
from thrive.opportunities.tests.factories import CriterionFactory, OpportunityFactory


class ClosedRoundFactory(OpportunityFactory):
    """A grant round (funding agreement) that has closed."""

    kind = OpportunityKind.GRANT_ROUND
    max_award_pence = None
    value_pence = 20_000_000
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class EligibleApplicationFactory(SubmittedApplicationFactory):
    status = ApplicationStatus.ELIGIBLE
    opportunity = factory.SubFactory(ClosedRoundFactory)
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    opportunity = factory.SubFactory(ClosedRoundFactory)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.LazyAttribute(
        lambda m: staff_with_role(Role.ASSESSOR, council=m.panel.opportunity.council)
    )


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    member = factory.SubFactory(PanelMemberFactory)
    has_conflict = False


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    score = 3
    comment = "Meets the need with minor gaps."


class ModeratedScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModeratedScore

    score = 3


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    opportunity = factory.SubFactory(ClosedRoundFactory)
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30 + 3 * 365))
    reason = "Highest weighted total."
    recommended_by = factory.LazyAttribute(
        lambda d: staff_with_role(Role.PROCUREMENT_OFFICER, council=d.opportunity.council)
    )


class WinnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Winner

    decision = factory.SubFactory(DecisionFactory)
    application = factory.SubFactory(
        EligibleApplicationFactory, opportunity=factory.SelfAttribute("..decision.opportunity")
    )
    amount_pence = 5_000_000
    rank = 1


@dataclass
class Round:
    """A closed round with criteria, eligible applications and a panel of assessors."""

    opportunity: Any
    quality: Any
    social: Any
    gate: Any
    price: Any
    applications: list = field(default_factory=list)
    members: list = field(default_factory=list)
    runner: Any = None


def make_round(
    *, kind: str = OpportunityKind.GRANT_ROUND, assessors: int = 2, bids=(50_000_00, 40_000_00)
) -> Round:
    """A closed round: quality 50%, social value 20%, price 30%, a gate; bids; a panel."""
    opportunity = ClosedRoundFactory(kind=kind)
    quality = CriterionFactory(opportunity=opportunity, title="Quality", weight=50, order=1)
    social = CriterionFactory(
        opportunity=opportunity,
        title="Social value",
        weight=20,
        kind=CriterionKind.SOCIAL_VALUE,
        order=2,
    )
    gate = CriterionFactory(
        opportunity=opportunity, title="Safeguarding policy", weight=0, is_gate=True, order=3
    )
    price = CriterionFactory(
        opportunity=opportunity, title="Price", weight=30, kind=CriterionKind.PRICE, order=4
    )
    applications = [
        EligibleApplicationFactory(opportunity=opportunity, amount_requested_pence=bid)
        for bid in bids
    ]
    panel = PanelFactory(opportunity=opportunity)
    members = [PanelMemberFactory(panel=panel) for _ in range(assessors)]
    runner = staff_with_role(Role.PROCUREMENT_OFFICER, council=opportunity.council)
    return Round(opportunity, quality, social, gate, price, applications, members, runner)


def approver(council: Any, role: str = Role.FINANCE_OFFICER) -> Any:
    user = staff_with_role(role, council=council)
    return user


def add_role(user: Any, role: str) -> None:
    RoleAssignment.objects.create(user=user, role=role, council=user.council)
    user._role_codes = None
