"""Monitoring returns: the provider fills them in and submits; officers query, accept and rate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.awards import services as award_services
from thrive.awards.models import AwardTarget, Instalment
from thrive.monitoring import tasks
from thrive.monitoring.models import (
    AwardSpend,
    MonitoringPlan,
    MonitoringReturn,
    Rating,
    ReturnAttachment,
    ReturnSize,
    ReturnStatus,
    TargetProgress,
)
from thrive.monitoring.services.plans import _close_when_done, _person
from thrive.opportunities import files

if TYPE_CHECKING:
    from thrive.accounts.models import User

EDITABLE = (ReturnStatus.DUE, ReturnStatus.QUERIED)


def _lock(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update()
        .select_related("plan")
        .get(pk=monitoring_return.pk)
    )


def _plan_targets(plan: MonitoringPlan) -> dict[int, AwardTarget]:
    return {t.pk: t for t in AwardTarget.objects.filter(award__in=plan.awards.all())}


def save_return(
    *,
    monitoring_return: MonitoringReturn,
    actor: User | None,
    spends: Mapping[int, int | None],
    progress: Mapping[int, tuple[Decimal | None, str]],
    volunteers_count: int | None = None,
    volunteer_hours: Decimal | None = None,
    case_studies: str = "",
    narrative: str = "",
) -> MonitoringReturn:
    """Keep what the provider has entered so far; it can be finished later."""
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in EDITABLE:
            raise ValidationError("This return has been submitted and can no longer be changed")
        award_ids = set(locked.plan.awards.values_list("pk", flat=True))
        targets = _plan_targets(locked.plan)
        for award_id, pence in spends.items():
            if award_id not in award_ids:
                raise ValidationError({"spend": "Report spend only for the awards this covers"})
            if pence is None:
                AwardSpend.objects.filter(monitoring_return=locked, award_id=award_id).delete()
                continue
            AwardSpend.objects.update_or_create(
                monitoring_return=locked, award_id=award_id, defaults={"spend_pence": pence}
            )
        for target_id, (value, comment) in progress.items():
            if target_id not in targets:
                raise ValidationError({"progress": "Report progress only on this plan's targets"})
            if value is None:
                TargetProgress.objects.filter(
                    monitoring_return=locked, target_id=target_id
                ).delete()
                continue
            TargetProgress.objects.update_or_create(
                monitoring_return=locked,
                target_id=target_id,
                defaults={"achieved_value": value, "comment": comment},
            )
        locked.spend_pence = sum(s.spend_pence for s in locked.spends.all()) if spends else None
        locked.volunteers_count = volunteers_count
        locked.volunteer_hours = volunteer_hours
        locked.case_studies = case_studies
        locked.narrative = narrative
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
    return locked


def missing_answers(*, monitoring_return: MonitoringReturn) -> dict[str, str]:
    """What still has to be answered before the return can be submitted, by field."""
    plan = monitoring_return.plan
    errors: dict[str, str] = {}
    award_ids = set(plan.awards.values_list("pk", flat=True))
    spent = set(monitoring_return.spends.values_list("award_id", flat=True))
    if award_ids - spent:
        errors["spend"] = "Enter the spend for every award this return covers"
    targets = set(_plan_targets(plan))
    reported = set(monitoring_return.progress.values_list("target_id", flat=True))
    if targets - reported:
        errors["progress"] = "Enter the progress made against every target"
    if not monitoring_return.narrative.strip():
        errors["narrative"] = "Enter a short summary of the period"
    if plan.return_size in (ReturnSize.STANDARD, ReturnSize.FULL):
        if monitoring_return.volunteers_count is None:
            errors["volunteers_count"] = "Enter how many volunteers were involved"
        if monitoring_return.volunteer_hours is None:
            errors["volunteer_hours"] = "Enter how many hours volunteers gave"
    if plan.return_size == ReturnSize.FULL and not monitoring_return.case_studies.strip():
        errors["case_studies"] = "Enter at least one case study"
    return errors


def submit_return(*, monitoring_return: MonitoringReturn, actor: User | None) -> MonitoringReturn:
    """Send a complete return to the council; a repeated submit changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
            return locked
        errors = missing_answers(monitoring_return=locked)
        if errors:
            raise ValidationError(errors)
        before = locked.status
        locked.status = ReturnStatus.SUBMITTED
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
        locked.submitted_by = _person(actor)
        locked.updated_at = now
        locked.save()
        log_action(
            action="monitoring.return.submitted"
            if before == ReturnStatus.DUE
            else "monitoring.return.resubmitted",
            actor=actor,
            obj=locked,
            before={"status": before},
            after={"status": locked.status, "spend_pence": locked.spend_pence},
            council=locked.plan.council,
        )
        transaction.on_commit(lambda: tasks.send_return_submitted.enqueue(locked.pk))
    return locked


def add_attachment(
    *, monitoring_return: MonitoringReturn, upload: UploadedFile | None, actor: User | None
) -> ReturnAttachment:
    """Keep a file with the return, judged by its content and capped in size."""
    if upload is None:
        raise ValidationError({"file": "Select a file"})
    try:
        checked = files.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in EDITABLE:
            raise ValidationError({"file": "This return has been submitted; files can't be added"})
        attachment = ReturnAttachment(
            monitoring_return=locked,
            original_name=files.safe_name(upload.name, checked.extension),
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=_person(actor),
        )
        attachment.file.save(attachment.original_name, File(upload), save=False)
        attachment.save()
        log_action(
            action="monitoring.attachment.uploaded",
            actor=actor,
            obj=locked,
            after={"sha256": checked.sha256, "size": checked.size},
            council=locked.plan.council,
        )
    return attachment


def _check_rating(rating: str, reason: str) -> None:
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = "Choose red, amber or green"
    if not reason.strip():
        errors["rating_reason"] = "Enter the reason for the rating"
    if errors:
        raise ValidationError(errors)


def query_return(
    *, monitoring_return: MonitoringReturn, actor: User | None, reason: str
) -> MonitoringReturn:
    """Send a submitted return back to the provider with what needs to change."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter what the provider needs to change"})
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValidationError("Only a submitted return can be queried")
        locked.status = ReturnStatus.QUERIED
        locked.queried_at = timezone.now()
        locked.query_reason = reason
        locked.save()
        log_action(
            action="monitoring.return.queried",
            actor=actor,
            obj=locked,
            before={"status": ReturnStatus.SUBMITTED},
            after={"status": locked.status},
            reason=reason,
            council=locked.plan.council,
        )
        transaction.on_commit(lambda: tasks.send_return_decision.enqueue(locked.pk))
    return locked


def accept_return(
    *, monitoring_return: MonitoringReturn, actor: User | None, rating: str, rating_reason: str
) -> MonitoringReturn:
    """Accept a submitted return with its rating, and release payments it was holding."""
    _check_rating(rating, rating_reason)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValidationError("Only a submitted return can be accepted")
        locked.status = ReturnStatus.ACCEPTED
        locked.accepted_at = now
        locked.accepted_by = _person(actor)
        _set_rating(locked, actor, rating, rating_reason, now)
        locked.save()
        log_action(
            action="monitoring.return.accepted",
            actor=actor,
            obj=locked,
            before={"status": ReturnStatus.SUBMITTED},
            after={"status": locked.status, "rating": rating},
            reason=rating_reason,
            council=locked.plan.council,
        )
        release_payments(monitoring_return=locked, actor=actor)
        _close_when_done(locked.plan, actor)
        transaction.on_commit(lambda: tasks.send_return_decision.enqueue(locked.pk))
    return locked


def _set_rating(
    item: MonitoringReturn, actor: User | None, rating: str, reason: str, now: datetime
) -> None:
    item.rating = rating
    item.rating_reason = reason
    item.rated_at = now
    item.rated_by = _person(actor)


def rate_return(
    *, monitoring_return: MonitoringReturn, actor: User | None, rating: str, rating_reason: str
) -> MonitoringReturn:
    """Give or change a submitted or accepted return's red/amber/green rating, with a reason."""
    _check_rating(rating, rating_reason)
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
            raise ValidationError("Only a submitted return can be rated")
        before = {"rating": locked.rating, "rating_reason": locked.rating_reason}
        _set_rating(locked, actor, rating, rating_reason, timezone.now())
        locked.save()
        log_action(
            action="monitoring.return.rated",
            actor=actor,
            obj=locked,
            before=before,
            after={"rating": rating},
            reason=rating_reason,
            council=locked.plan.council,
        )
    return locked


def release_payments(
    *, monitoring_return: MonitoringReturn, actor: User | None
) -> list[Instalment]:
    """Release instalments held for an accepted return, award by award (conditions allow)."""
    released = []
    for award in monitoring_return.plan.awards.all():
        released += award_services.release_instalments(
            award=award, actor=actor, reason=f"Monitoring return {monitoring_return.pk} accepted"
        )
    return released
