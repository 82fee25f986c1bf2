"""Changes made through reporting: applicants' feedback on the process (§5.2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.accounts.models import User
from thrive.applications.models import RESULT_STATUSES, Application
from thrive.audit.services import log_action
from thrive.reporting.models import ProcessFeedback


@transaction.atomic
def give_process_feedback(
    *,
    application: Application,
    actor: User,
    clarity: int,
    proportionality: int,
    fairness: int,
    comment: str = "",
) -> ProcessFeedback:
    """Record the applicant's ratings of a decided application's process, once only."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in RESULT_STATUSES:
        raise ValidationError("You can give feedback once a decision has been made")
    if ProcessFeedback.objects.filter(application=application).exists():
        raise ValidationError("You have already given feedback on this application")
    opportunity = application.opportunity
    feedback = ProcessFeedback(
        application=application,
        council_id=opportunity.council_id,
        directorate_id=opportunity.directorate_id,
        opportunity_kind=opportunity.kind,
        clarity=clarity,
        proportionality=proportionality,
        fairness=fairness,
        comment=comment.strip(),
        submitted_by=actor,
    )
    feedback.full_clean()
    feedback.save()
    log_action(
        action="reporting.feedback.given",
        actor=actor,
        obj=feedback,
        after={
            "application": application.pk,
            "clarity": clarity,
            "proportionality": proportionality,
            "fairness": fairness,
        },
        council=opportunity.council,
    )
    return feedback
