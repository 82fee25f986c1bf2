"""Factories for applications: drafts, complete answers, submissions, sealed bids."""

from __future__ import annotations

import factory
from django.utils import timezone

from thrive.applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BidOpening,
    Submission,
)
from thrive.applications.seed import SMALL_GRANT_ANSWERS
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.tests.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application pinned to the opportunity's current form version."""

    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    form_version = factory.LazyAttribute(lambda a: a.opportunity.form_template.current_version())
    answers = factory.LazyFunction(dict)


class CompleteApplicationFactory(ApplicationFactory):
    """A draft small grant application with every required answer."""

    answers = factory.LazyFunction(lambda: dict(SMALL_GRANT_ANSWERS))
    amount_requested_pence = 150_000


class SubmittedApplicationFactory(CompleteApplicationFactory):
    class Meta:
        skip_postgeneration_save = True

    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    reference = factory.Sequence(lambda n: f"OPP-TEST-{n:05d}")

    @factory.post_generation
    def submission(obj, create, extracted, **kwargs):
        if create:
            Submission.objects.create(
                application=obj,
                idempotency_key=f"key-{obj.pk}",
                reference=obj.reference,
                answers=obj.answers,
                submitted_at=obj.submitted_at,
            )


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(SubmittedApplicationFactory)
    question_key = "quote"
    file = factory.django.FileField(filename="quote.pdf", data=PDF)
    original_name = "quote.pdf"
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = "0" * 64


class BidOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BidOpening

    opened_at = factory.LazyFunction(timezone.now)
