"""Factories for needs, intentions and the records around them."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.commissioning.models import (
    Consultation,
    ConsultationResponse,
    DecommissioningNotice,
    EvidenceItem,
    EvidenceSource,
    Intention,
    Need,
    SoftMarketTest,
)
from thrive.core.models import Area
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.tests.factories import DirectorateFactory


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("council", "name")

    council = factory.SubFactory(CouncilFactory)
    name = "Ashbourne Vale"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    area = factory.SubFactory(AreaFactory, council=factory.SelfAttribute("..council"))
    title = factory.Sequence(lambda n: f"Need {n}")
    description = "Older people in rural villages are isolated."


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    need = factory.SubFactory(NeedFactory)
    source = EvidenceSource.STATISTICS
    title = "Census 2021"
    url = "https://www.ons.gov.uk/census"


class IntentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intention

    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    reference = factory.Sequence(lambda n: f"CI-2026-{n + 1000:04d}")
    title = factory.Sequence(lambda n: f"Befriending service {n}")
    summary = "A befriending service for isolated older people."


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    title = "Draft priorities"
    description = "Our draft priorities."
    opens_on = factory.LazyFunction(timezone.localdate)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=12))


class ConsultationResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationResponse

    consultation = factory.SubFactory(ConsultationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    body = "We agree."


class SoftMarketTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SoftMarketTest

    intention = factory.SubFactory(IntentionFactory)
    questions = "How might these outcomes be delivered?\nIs there a commercial market?"
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class DecommissioningNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecommissioningNotice

    intention = factory.SubFactory(IntentionFactory)
    award = factory.SubFactory("thrive.commissioning.tests.factories.AwardFactory")
    organisation = factory.SelfAttribute("award.organisation")
    message = "We will no longer fund this."
    funding_ends_on = factory.SelfAttribute("award.end_date")
    notice_due_by = factory.LazyAttribute(lambda n: n.award.end_date - timedelta(days=92))


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "awards.Award"

    organisation = factory.SubFactory(OrganisationFactory)
    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    kind = "funding_agreement"
    title = "Community befriending"
    amount_pence = 3_000_000
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


def commissioner_of(directorate, **kwargs):
    """A commissioner of the directorate's council, tied to the directorate."""
    user = staff_with_role(Role.COMMISSIONER, council=directorate.council, **kwargs)
    RoleAssignment.objects.filter(user=user, role=Role.COMMISSIONER).update(directorate=directorate)
    user._directorate_ids = None
    return user
