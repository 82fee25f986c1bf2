from datetime import date

import factory

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Directorate


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("council", "code")

    council = factory.SubFactory(CouncilFactory)
    code = "adults"
    name = "Adult Social Care"


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    organisation = factory.SubFactory(OrganisationFactory)
    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    kind = AwardKind.FUNDING_AGREEMENT
    title = factory.Sequence(lambda n: f"Community support {n}")
    amount_pence = 1_500_000
    start_date = date(2025, 4, 1)
    end_date = date(2028, 3, 31)
    status = AwardStatus.ACTIVE
