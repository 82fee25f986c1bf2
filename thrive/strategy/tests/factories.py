"""Factories for outcomes, directorates, pots and commitments."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from thrive.accounts.tests.factories import CouncilFactory
from thrive.strategy.models import (
    Agreement,
    BudgetCommitment,
    Directorate,
    FinancialYear,
    FundingPot,
    Influence,
    Outcome,
    OutcomeKind,
    PlanAction,
    PotContribution,
    PotKind,
    SurveyResponse,
    SurveyRound,
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


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    council = factory.SubFactory(CouncilFactory)
    financial_year = factory.SubFactory(FinancialYearFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    section = "2.4"
    owner_team = "Community Partnerships"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRound

    council = factory.SubFactory(CouncilFactory)
    financial_year = factory.SubFactory(FinancialYearFactory)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    round = factory.SubFactory(SurveyRoundFactory)
    organisation = factory.SubFactory("thrive.organisations.tests.factories.OrganisationFactory")
    size_band = "small"
    overall = Influence.FAIRLY_POSITIVE
    funding = Agreement.TEND_TO_AGREE
    involvement = Agreement.NEITHER
    relationship = Agreement.DONT_KNOW
