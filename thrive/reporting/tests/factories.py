"""Factories for reporting."""

from __future__ import annotations

import factory

from thrive.applications.models import ApplicationStatus
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.reporting.models import ProcessFeedback


class DecidedApplicationFactory(SubmittedApplicationFactory):
    status = ApplicationStatus.SUCCESSFUL


class ProcessFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessFeedback

    application = factory.SubFactory(DecidedApplicationFactory)
    council = factory.LazyAttribute(lambda f: f.application.opportunity.council)
    directorate = factory.LazyAttribute(lambda f: f.application.opportunity.directorate)
    opportunity_kind = factory.LazyAttribute(lambda f: f.application.opportunity.kind)
    clarity = 4
    proportionality = 4
    fairness = 4
