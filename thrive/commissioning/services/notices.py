"""Decommissioning notices: telling organisations in good time (§2.4, the Compact)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards.models import Award, AwardStatus
from thrive.commissioning import tasks
from thrive.commissioning.models import (
    NOTICE_STATUSES,
    DecommissioningNotice,
    Direction,
    Intention,
)
from thrive.commissioning.selectors import settings_for
from thrive.core.tasks import enqueue_with_transaction
from thrive.strategy.models import Outcome

PUBLISH_FIRST = (
    "Publish the intention before sending notices: each notice links to the published intention"
)


def months_before(*, day: date, months: int) -> date:
    """The same day ``months`` earlier (the last day of a shorter month)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def notice_due_by(*, award: Award, months: int) -> date:
    """The last day a notice gives the Compact's months before the funding ends."""
    return months_before(day=award.end_date, months=months)


def stopped_outcomes(*, intention: Intention) -> list[Outcome]:
    """The outcomes the intention stops prioritising (its own outcomes if none are named)."""
    return list(intention.stopped_outcomes.all()) or list(intention.outcomes.all())


def _with_descendants(outcome_ids: set[int]) -> set[int]:
    found, frontier = set(outcome_ids), set(outcome_ids)
    while frontier:
        frontier = (
            set(Outcome.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def affected_awards(*, intention: Intention) -> list[Award]:
    """Active awards of the intention's directorates funded for an outcome it stops, not told.

    An award counts when it is funded for a stopped outcome or one beneath it in the
    framework (§2.4); awards for other outcomes carry on and are not told.
    """
    told = DecommissioningNotice.objects.filter(intention=intention).values("award_id")
    stopped = _with_descendants({o.pk for o in stopped_outcomes(intention=intention)})
    return list(
        Award.objects.filter(
            council_id=intention.council_id,
            directorate_id__in=intention.scope_directorate_ids(),
            status=AwardStatus.ACTIVE,
            end_date__gte=timezone.localdate(),
            outcomes__in=stopped,
        )
        .exclude(pk__in=told)
        .distinct()
        .select_related("organisation")
        .prefetch_related("outcomes")
        .order_by("end_date", "title")
    )


def _check_notices(*, intention: Intention, awards: list[Award], message: str) -> None:
    """Refuse notices for an intention that stops nothing, is unpublished, or other awards."""
    if intention.direction != Direction.DECOMMISSIONING and not intention.stopped_outcomes.exists():
        raise ValidationError("This intention does not stop prioritising any outcome or service")
    if intention.status not in NOTICE_STATUSES:
        raise ValidationError(PUBLISH_FIRST)
    if not awards:
        raise ValidationError({"awards": "Select the awards affected"})
    if not message.strip():
        raise ValidationError({"message": "Enter the message to the organisations"})
    eligible = {a.pk for a in affected_awards(intention=intention)}
    if any(a.pk not in eligible for a in awards):
        raise ValidationError(
            {"awards": "Choose active awards funded for the outcomes no longer prioritised"}
        )


def send_notices(
    *, intention: Intention, awards: list[Award], message: str, actor: User, late_reason: str = ""
) -> list[DecommissioningNotice]:
    """Send notices to the organisations whose funded services are no longer prioritised."""
    _check_notices(intention=intention, awards=awards, message=message)
    months = settings_for(council=intention.council).notice_months
    today = timezone.localdate()
    late = [a for a in awards if today > notice_due_by(award=a, months=months)]
    if late and not late_reason.strip():
        names = "; ".join(f"{a.organisation} (funding ends {a.end_date:%-d %B %Y})" for a in late)
        raise ValidationError(
            {
                "late_reason": f"Notice is late for {names}: less than {months} months remain. "
                "Enter why the notice is late to send it anyway"
            }
        )
    notices = []
    with transaction.atomic():
        for award in awards:
            due = notice_due_by(award=award, months=months)
            notice = DecommissioningNotice(
                intention=intention,
                award=award,
                organisation=award.organisation,
                message=message.strip(),
                funding_ends_on=award.end_date,
                notice_due_by=due,
                is_late=today > due,
                late_reason=late_reason.strip() if today > due else "",
                sent_by=actor,
            )
            notice.full_clean()
            notice.save()
            log_action(
                action="commissioning.notice.sent",
                actor=actor,
                obj=notice,
                after={
                    "award": award.pk,
                    "organisation": award.organisation_id,
                    "funding_ends_on": award.end_date,
                    "notice_due_by": due,
                    "late": notice.is_late,
                },
                reason=notice.late_reason,
                council=intention.council,
            )
            enqueue_with_transaction(tasks.send_decommissioning_notice, notice.pk)
            notices.append(notice)
    return notices


def mark_read(*, notice: DecommissioningNotice, user: User) -> DecommissioningNotice:
    """Record the first time someone at the organisation read the notice."""
    if notice.read_at:
        return notice
    with transaction.atomic():
        updated = DecommissioningNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=timezone.now(), read_by=user
        )
        notice.refresh_from_db()
        if updated:
            log_action(
                action="commissioning.notice.read",
                actor=user,
                obj=notice,
                after={"read_at": notice.read_at},
                council=notice.intention.council,
            )
    return notice
