"""Emails about assessment results, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.applications.models import Application, ApplicationStatus
from thrive.core.email import send_templated_email
from thrive.opportunities.selectors import organisation_emails


@task()
def send_outcome(application_id: int, decision_id: int) -> int:
    """Tell an applicant the result, with a link to their feedback; return messages sent."""
    application = (
        Application.objects.select_related("organisation", "opportunity__council")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    emails = organisation_emails(application.organisation)
    if not emails:
        return 0
    return send_templated_email(
        to=emails,
        template="assessment_outcome",
        context={
            "application": application,
            "opportunity": application.opportunity,
            "successful": application.status == ApplicationStatus.SUCCESSFUL,
            "path": reverse("assessment:feedback", kwargs={"application_id": application.pk}),
        },
        council=application.opportunity.council,
    )
