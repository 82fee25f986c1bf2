"""Factories for opportunities: an open, published small grants round by default."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.tests.factories import DirectorateFactory
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Criterion,
    Lot,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    QuoteInvitation,
    kind_is_sealed,
)
from thrive.organisations.tests.factories import OrganisationFactory

FORM_FOR_KIND = {
    OpportunityKind.SMALL_GRANTS: "small-grant",
    OpportunityKind.GRANT_ROUND: "funding-agreement",
    OpportunityKind.RFQ: "quotation",
    OpportunityKind.TENDER: "tender",
}


def form_template_for(kind: str):
    from thrive.questions.defaults import ensure_default_templates

    return ensure_default_templates()[FORM_FOR_KIND[kind]]


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    council = factory.SubFactory(CouncilFactory, name="Westshire County Council", slug="westshire")
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    reference = factory.Sequence(lambda n: f"OPP-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"Community grants round {n}")
    summary = "Grants for community groups."
    process = "Apply online. One officer decides within four weeks."
    kind = OpportunityKind.SMALL_GRANTS
    status = OpportunityStatus.PUBLISHED
    # As publication (and a draft of the kind) would fix it; never changed afterwards.
    sealed = factory.LazyAttribute(lambda o: kind_is_sealed(o.kind))
    value_pence = 5_000_000
    max_award_pence = 500_000
    form_template = factory.LazyAttribute(lambda o: form_template_for(o.kind))
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    published_at = factory.LazyFunction(timezone.now)


class TenderFactory(OpportunityFactory):
    kind = OpportunityKind.TENDER
    title = factory.Sequence(lambda n: f"Carers support service {n}")
    max_award_pence = None
    value_pence = 30_000_000


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    opportunity = factory.SubFactory(TenderFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lot {n}")
    value_pence = 1_000_000


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    opportunity = factory.SubFactory(TenderFactory)
    title = "Quality"
    weight = 60


class ClarificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clarification

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    question = "Can we apply for room hire for a new group?"


class QuoteInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuoteInvitation

    opportunity = factory.SubFactory(TenderFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AlertPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertPreference

    organisation = factory.SubFactory(OrganisationFactory)
    is_active = True
    kinds = factory.LazyFunction(list)
