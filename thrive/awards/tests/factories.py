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
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    council = factory.SubFactory(CouncilFactory)
    directorate = factory.SubFactory(DirectorateFactory, council=factory.SelfAttribute("..council"))
    kind = AwardKind.FUNDING_AGREEMENT
    title = factory.Sequence(lambda n: f"Community support {n}")
    amount_pence = 1_500_000
    start_date = date(2025, 4, 1)
    end_date = date(2028, 3, 31)
    status = AwardStatus.ACTIVE

    @factory.post_generation
    def years(obj, create, extracted, **kwargs):
        """The award's money by financial year, as the awards services keep it; or as given,
        ``AwardFactory(years={2025: 100_000, 2026: 50_000})``."""
        if not create:
            return
        from thrive.awards.models import AwardYear
        from thrive.awards.years import year_parts

        given = extracted or {part.start_year: part.amount_pence for part in year_parts(obj)}
        AwardYear.objects.bulk_create(
            AwardYear(award=obj, start_year=year, amount_pence=amount)
            for year, amount in given.items()
        )


def make_pot(council, directorate, *, budget_pence: int = 10_000_000, start_year: int = 2026):
    """A directorate pot for a financial year."""
    from thrive.strategy.models import FundingPot, PotKind
    from thrive.strategy.services import get_financial_year

    return FundingPot.objects.create(
        council=council,
        directorate=directorate,
        financial_year=get_financial_year(start_year=start_year),
        name=f"{directorate.name} fund {start_year}",
        kind=PotKind.DIRECTORATE,
        budget_pence=budget_pence,
    )


def make_pots(council, directorate, *, budget_pence: int = 10_000_000, years=(2026, 2027, 2028)):
    """A directorate pot for each financial year, the first year's first."""
    return [
        make_pot(council, directorate, budget_pence=budget_pence, start_year=year) for year in years
    ]


def committed_in(pots) -> int:
    """What is committed across the pots, read again from the database."""
    for pot in pots:
        pot.refresh_from_db()
    return sum(pot.committed_pence for pot in pots)


def make_award(actor, organisation, *, pot=None, status="draft", **overrides):
    """An award made through the service, as assessment makes them."""
    from thrive.awards.services import create_award

    directorate = overrides.pop("directorate", None) or DirectorateFactory(council=actor.council)
    values = {
        "kind": AwardKind.FUNDING_AGREEMENT,
        "title": "Befriending service",
        "amount_pence": 1_200_000,
        "start_date": date(2026, 4, 1),
        "end_date": date(2029, 3, 31),
        **overrides,
    }
    return create_award(
        organisation=organisation,
        council=actor.council,
        directorate=directorate,
        actor=actor,
        pot=pot,
        status=status,
        **values,
    )
