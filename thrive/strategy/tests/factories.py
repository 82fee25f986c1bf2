"""Factories for outcomes, directorates, pots and commitments."""

from __future__ import annotations

import factory

from thrive.accounts.tests.factories import CouncilFactory
from thrive.strategy.models import (
    BudgetCommitment,
    Directorate,
    FinancialYear,
    FundingPot,
    Outcome,
    OutcomeKind,
    PotContribution,
    PotKind,
    ThresholdSet,
)


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("council", "code")

    council = factory.SubFactory(CouncilFactory)
    code = factory.Sequence(lambda n: f"directorate-{n}")
    name = factory.Sequence(lambda n: f"Directorate {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    council = factory.SubFactory(CouncilFactory)
    kind = OutcomeKind.PRIORITY
    code = factory.Sequence(lambda n: f"O{n}")
    title = factory.Sequence(lambda n: f"Outcome {n}")


class FinancialYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2026


class FundingPotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingPot

    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    financial_year = factory.SubFactory(FinancialYearFactory)
    name = factory.Sequence(lambda n: f"Community grants {n}")
    kind = PotKind.DIRECTORATE
    budget_pence = 10_000_000


class PotContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PotContribution

    pot = factory.SubFactory(FundingPotFactory, kind=PotKind.POOLED, budget_pence=0)
    partner_name = "NHS board"
    amount_pence = 100_000


class BudgetCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetCommitment

    pot = factory.SubFactory(FundingPotFactory)
    amount_pence = 100_000
    description = "Award"


class ThresholdSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThresholdSet

    council = None
    valid_from = factory.Sequence(lambda n: __import__("datetime").date(2030 + n, 1, 1))
    goods_services_pence = 20_000_000
    works_pence = 500_000_000
    light_touch_pence = 60_000_000
