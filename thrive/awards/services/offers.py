"""Offering a draft award, and the provider's acceptance or decline. Acceptance sends
``award_activated`` in the same transaction, so monitoring's plan is made with it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards import tasks
from thrive.awards import years as award_years
from thrive.awards.models import Award, AwardStatus
from thrive.awards.services.common import lock, person
from thrive.awards.signals import award_activated
from thrive.core.tasks import enqueue_with_transaction


def offer_problems(*, award: Award) -> list[str]:
    """What stops a draft award being offered, in plain words; empty when ready."""
    problems = []
    if award.status != AwardStatus.DRAFT:
        problems.append("Only a draft award can be offered")
    if award.is_short_term and not award.short_term_reason.strip():
        problems.append("Explain why this agreement is shorter than three years (strategy §2.10)")
    instalments = list(award.instalments.all())
    if sum(i.amount_pence for i in instalments) != award.amount_pence:
        problems.append("The payment schedule must add up to the amount of the award")
    return problems


def issue_offer(*, award: Award, actor: User | None) -> Award:
    """Issue the award letter: DRAFT → OFFERED, and email the organisation's admins."""
    with transaction.atomic():
        locked = lock(award=award)
        problems = offer_problems(award=locked)
        if problems:
            raise ValidationError(problems)
        locked.status = AwardStatus.OFFERED
        locked.offered_at = timezone.now()
        locked.offered_by = person(actor=actor)
        locked.save(update_fields=["status", "offered_at", "offered_by"])
        log_action(
            action="awards.award.offered",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.DRAFT},
            after={"status": locked.status, "offered_at": locked.offered_at},
            council=locked.council,
        )
        enqueue_with_transaction(tasks.send_offer, locked.pk)
    award.refresh_from_db()
    return award


def _require_offered(award: Award) -> None:
    if award.status != AwardStatus.OFFERED:
        raise ValidationError(
            f"This award is {award.get_status_display().lower()}, so it cannot be accepted "
            "or declined"
        )


def accept_offer(*, award: Award, actor: User | None, name: str) -> Award:
    """The provider accepts: records who and when, makes the award ACTIVE and sends
    ``award_activated`` before it commits."""
    if not name.strip():
        raise ValidationError({"name": "Enter your full name to accept the award"})
    with transaction.atomic():
        locked = lock(award=award)
        _require_offered(locked)
        locked.status = AwardStatus.ACTIVE
        locked.accepted_at = timezone.now()
        locked.accepted_by = person(actor=actor)
        locked.accepted_name = name.strip()[:200]
        locked.save(update_fields=["status", "accepted_at", "accepted_by", "accepted_name"])
        log_action(
            action="awards.award.accepted",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.OFFERED},
            after={"status": locked.status, "accepted_name": locked.accepted_name},
            council=locked.council,
        )
        award_activated.send(sender=Award, award=locked, actor=actor)
    award.refresh_from_db()
    return award


def decline_offer(*, award: Award, actor: User | None, reason: str) -> Award:
    """The provider declines: the award is DECLINED and its money goes back to the pot."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are declining the award"})
    with transaction.atomic():
        locked = lock(award=award)
        _require_offered(locked)
        award_years.release_years(
            award=locked, actor=actor, reason=f"Award {locked.reference} declined"
        )
        locked.status = AwardStatus.DECLINED
        locked.declined_at = timezone.now()
        locked.decline_reason = reason.strip()
        locked.save(update_fields=["status", "declined_at", "decline_reason"])
        log_action(
            action="awards.award.declined",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.OFFERED},
            after={"status": locked.status},
            reason=reason,
            council=locked.council,
        )
    award.refresh_from_db()
    return award
