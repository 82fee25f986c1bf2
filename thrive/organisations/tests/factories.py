"""Factories for the organisation register."""

from __future__ import annotations

import factory

from thrive.organisations.models import (
    Contact,
    DuplicateCandidate,
    Identifier,
    IncomeRecord,
    JoinRequest,
    LegalForm,
    Organisation,
    Service,
)
from thrive.organisations.seed import made_up_number

# A form's answers to the Third Sector test (§1.4) that meet it, as registration asks them.
THIRD_SECTOR_ANSWERS = {
    "independent": "yes",
    "independent_evidence": "Our constitution: members elect the committee.",
    "value_driven": "yes",
    "value_driven_evidence": "Our objects: relieving isolation among older people.",
    "reinvests_surpluses": "yes",
    "reinvests_surpluses_evidence": "The constitution's asset lock; 2025 accounts.",
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Riverside Community Trust {n}")
    legal_form = LegalForm.CIO
    postcode = factory.Sequence(lambda n: f"WS{n % 90 + 1} {n % 9}AB")


class IdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identifier

    organisation = factory.SubFactory(OrganisationFactory)
    scheme = "GB-CHC"
    # never a real charity, nor one the demo seed uses (it counts up from 0)
    value = factory.Sequence(lambda n: made_up_number("GB-CHC", 50_000 + n))
    org_id = factory.LazyAttribute(lambda i: f"{i.scheme}-{i.value}")


class IncomeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeRecord

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    amount_pence = 5_000_000


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Befriending service {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("thrive.accounts.tests.factories.UserFactory")


class DuplicateCandidateFactory(factory.django.DjangoModelFactory):
    """A pair in the review queue; ``first`` is always the lower id."""

    class Meta:
        model = DuplicateCandidate

    first = factory.SubFactory(OrganisationFactory, name="Oakfield Youth Club", postcode="WS1 1AA")
    second = factory.SubFactory(
        OrganisationFactory, name="The Oakfield Youth Club CIO", postcode="WS1 1AA"
    )
    score = 100
    reasons = "similar name (100%), same postcode WS1 1AA"
