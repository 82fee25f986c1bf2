"""Emails about assessment results, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.accounts.services.notifications import email_new_item
from thrive.applications.models import Application, ApplicationStatus
from thrive.assessment.models import Decision, DecisionStatus
from thrive.assessment.selectors.approvers import approvers_for
from thrive.core.email import send_templated_email
from thrive.organisations.selectors import organisation_emails


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


@task()
def send_approval_requested(decision_id: int) -> int:
    """Tell each officer who may approve a new recommendation; return messages sent."""
    decision = (
        Decision.objects.select_related("opportunity__council", "lot", "recommended_by")
        .prefetch_related("winners__application__organisation")
        .filter(pk=decision_id, status=DecisionStatus.RECOMMENDED)
        .first()
    )
    if decision is None:
        return 0
    return email_new_item(
        users=approvers_for(decision),
        template="approval_requested",
        context={
            "decision": decision,
            "opportunity": decision.opportunity,
            "path": reverse("assessment:decision", kwargs={"decision_id": decision.pk}),
        },
        council=decision.opportunity.council,
    )
