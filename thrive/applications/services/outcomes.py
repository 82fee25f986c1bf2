"""Moving a screened application through assessment to its result (§4.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from thrive.applications.models import Application, ApplicationStatus
from thrive.audit.services import log_action

if TYPE_CHECKING:
    from thrive.accounts.models import User

ALLOWED: dict[str, tuple[str, ...]] = {
    ApplicationStatus.UNDER_ASSESSMENT: (ApplicationStatus.ELIGIBLE,),
    ApplicationStatus.SUCCESSFUL: (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_ASSESSMENT),
    ApplicationStatus.UNSUCCESSFUL: (
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.UNDER_ASSESSMENT,
    ),
}


def set_assessment_status(
    *, application: Application, status: str, actor: User, reason: str = ""
) -> Application:
    """Mark an eligible application as being assessed, or give it its result; audited."""
    if application.status == status:
        return application
    if application.status not in ALLOWED.get(status, ()):
        raise ValidationError(
            f"Application {application} is {application.get_status_display().lower()} "
            f"and cannot become {ApplicationStatus(status).label.lower()}"
        )
    before = application.status
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    log_action(
        action="applications.application.assessment_status",
        actor=actor,
        obj=application,
        before={"status": before},
        after={"status": status},
        reason=reason,
        council=application.opportunity.council,
    )
    return application
