"""Imported open data for tests: import runs, other funders' grants, other buyers' contracts.

Every identifier is made up (360G-test-..., GB-TEST-...), never a real charity or company.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from thrive.opendata.models import (
    ExternalContract,
    ExternalGrant,
    ExternalGrantClassification,
    ExternalGrantLocation,
    ImportKind,
    ImportRun,
    RecipientStatus,
)


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    kind = ImportKind.THREESIXTY
    source_name = factory.Sequence(lambda n: f"grants-{n}.json")
    file_format = "json"
    publishers = factory.LazyFunction(lambda: ["Test Trust"])


class ExternalGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalGrant
        skip_postgeneration_save = True

    grant_id = factory.Sequence(lambda n: f"360G-test-{n}")
    title = "Lunch club"
    currency = "GBP"
    amount_awarded = Decimal("2500")
    award_date = date(2025, 6, 1)
    funder_org_id = "GB-TEST-TRUST"
    funder_name = "Test Trust"
    recipient_org_id = factory.LazyAttribute(
        lambda o: f"GB-TEST-{o.recipient.pk}" if o.recipient else f"GB-TEST-HELD-{o.grant_id}"
    )
    recipient_name = factory.LazyAttribute(lambda o: o.recipient.name if o.recipient else "Held")
    recipient = None
    recipient_status = factory.LazyAttribute(
        lambda o: RecipientStatus.MATCHED if o.recipient else RecipientStatus.HELD
    )
    import_run = factory.SubFactory(ImportRunFactory)

    @factory.post_generation
    def geo_codes(self, create: bool, codes: list[str] | None, **kwargs: object) -> None:
        for code in codes or []:
            ExternalGrantLocation.objects.create(grant=self, geo_code=code, geo_code_type="LAD")

    @factory.post_generation
    def classified(self, create: bool, pairs: list[tuple[str, str]] | None, **kw: object) -> None:
        for code, title in pairs or []:
            ExternalGrantClassification.objects.create(
                grant=self, vocabulary="test-vocabulary", code=code, title=title
            )


class ExternalContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalContract

    key = factory.Sequence(lambda n: f"ocds-test-{n}/award-1/GB-TEST-SUPPLIER")
    ocid = factory.Sequence(lambda n: f"ocds-test-{n}")
    award_id = "award-1"
    title = "Day services"
    status = "active"
    buyer_org_id = "GB-TEST-BUYER"
    buyer_name = "Test Health Board"
    supplier_org_id = factory.LazyAttribute(
        lambda o: f"GB-TEST-{o.recipient.pk}" if o.recipient else "GB-TEST-SUPPLIER"
    )
    supplier_name = factory.LazyAttribute(lambda o: o.recipient.name if o.recipient else "Held")
    recipient = None
    currency = "GBP"
    value = Decimal("10000")
    award_date = date(2025, 7, 1)
    data = factory.LazyFunction(dict)
    import_run = factory.SubFactory(ImportRunFactory, kind=ImportKind.OCDS)
