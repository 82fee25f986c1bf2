"""An officer's review of an organisation's Third Sector test answers (§1.4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.organisations.models import Organisation, TestOutcome, TestReview
from thrive.organisations.services.common import council_of


def review_third_sector_test(
    *, organisation: Organisation, actor: User, review: str, reason: str
) -> Organisation:
    """Confirm the organisation's answers, or query them with a reason the organisation sees.

    The register is shared, so an officer of any council may review; nobody reviews answers
    they recorded themselves.
    """
    reason = (reason or "").strip()
    if review not in TestReview.values:
        raise ValidationError({"review": "Select whether you confirm or query the answers"})
    if review == TestReview.QUERIED and not reason:
        raise ValidationError({"reason": "Enter what the organisation needs to explain or change"})
    if organisation.third_sector_outcome == TestOutcome.NOT_ASSESSED:
        raise ValidationError("The organisation has not answered the Third Sector test yet")
    if actor is not None and organisation.third_sector_recorded_by_id == actor.pk:
        raise ValidationError("You recorded these answers, so another officer must review them")
    with transaction.atomic():
        before = {
            "review": organisation.third_sector_review,
            "reason": organisation.third_sector_review_reason,
        }
        organisation.third_sector_review = review
        organisation.third_sector_review_reason = reason
        organisation.third_sector_reviewed_at = timezone.now()
        organisation.third_sector_reviewed_by = actor
        organisation.save(
            update_fields=[
                "third_sector_review",
                "third_sector_review_reason",
                "third_sector_reviewed_at",
                "third_sector_reviewed_by",
                "updated_at",
            ]
        )
        log_action(
            action="organisations.third_sector_test.reviewed",
            actor=actor,
            obj=organisation,
            before=before,
            after={"review": review, "outcome": organisation.third_sector_outcome},
            reason=reason,
            council=council_of(actor=actor),
        )
    return organisation
