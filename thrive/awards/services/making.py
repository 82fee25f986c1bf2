"""Making an award: within its pot's budget, with its payment schedule and its money
committed year by year. An award made ACTIVE sends ``award_activated`` in the same
transaction, so monitoring's plan is made with it or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from thrive.accounts.models import Council, User
from thrive.audit.services import log_action
from thrive.awards import years as award_years
from thrive.awards.instalments import schedule_rows
from thrive.awards.models import Award, AwardStatus, AwardYear, Instalment, PaymentTiming
from thrive.awards.services.common import check_terms, person, years_audit
from thrive.awards.signals import award_activated
from thrive.organisations.models import Organisation
from thrive.strategy.models import Directorate, FundingPot, Outcome

NEW_STATUSES = (AwardStatus.DRAFT, AwardStatus.OFFERED, AwardStatus.ACTIVE)


# long: one keyword for each of an award's 22 terms; the body checks, builds and saves
def create_award(
    *,
    organisation: Organisation,
    council: Council,
    directorate: Directorate,
    kind: str,
    title: str,
    amount_pence: int,
    start_date: date,
    end_date: date,
    actor: User | None,
    pot: FundingPot | None = None,
    application: models.Model | None = None,
    opportunity: models.Model | None = None,
    lot: models.Model | None = None,
    outcomes: Iterable[Outcome] = (),
    description: str = "",
    payment_timing: str = PaymentTiming.ADVANCE,
    instalment_count: int | None = None,
    conditions: str = "",
    short_term_reason: str = "",
    status: str = AwardStatus.DRAFT,
    reason: str = "",
) -> Award:
    """Make an award, commit its money against ``pot`` and build its payment schedule.

    Refuses (``ValidationError``, nothing changed) when the pot cannot cover the amount.
    A DRAFT award may still lack the §2.10 reason for a short term; an award made
    OFFERED or ACTIVE needs it. An ACTIVE award sends ``award_activated`` before commit.
    """
    if status not in NEW_STATUSES:
        raise ValidationError({"status": "A new award is a draft, offered or active"})
    check_terms(
        kind=kind,
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        short_term_reason=short_term_reason,
        payment_timing=payment_timing,
        final=status != AwardStatus.DRAFT,
    )
    rows = schedule_rows(
        kind=kind,
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        payment_timing=payment_timing,
        count=instalment_count,
    )
    award = _new_award(
        actor=actor,
        organisation=organisation,
        council=council,
        directorate=directorate,
        kind=kind,
        title=title.strip()[:255],
        description=description.strip(),
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        status=status,
        pot=pot,
        application=application,
        opportunity=opportunity,
        lot=lot,
        payment_timing=payment_timing,
        conditions=conditions.strip(),
        short_term_reason=short_term_reason.strip(),
    )
    with transaction.atomic():
        award.save()
        if outcomes:
            award.outcomes.set(outcomes)
        Instalment.objects.bulk_create(Instalment(award=award, **row) for row in rows)
        parts = award_years.commit_years(award=award, pot=pot, actor=actor, reason=reason)
        _log_created(
            award=award,
            actor=actor,
            given={"pot": pot, "application": application},
            instalments=len(rows),
            parts=parts,
            reason=reason,
        )
        if status == AwardStatus.ACTIVE:
            award_activated.send(sender=Award, award=award, actor=actor)
    return award


def _new_award(*, actor: User | None, status: str, **fields: object) -> Award:
    """The unsaved award, stamped as offered or accepted now when made so, and checked."""
    now = timezone.now()
    by = person(actor=actor)
    award = Award(
        status=status,
        created_by=by,
        offered_at=now if status == AwardStatus.OFFERED else None,
        offered_by=by if status == AwardStatus.OFFERED else None,
        accepted_at=now if status == AwardStatus.ACTIVE else None,
        **fields,
    )
    award.full_clean(exclude=["reference", "commitment", "pot"])
    return award


def _log_created(
    *,
    award: Award,
    actor: User | None,
    given: dict[str, models.Model | None],
    instalments: int,
    parts: list[AwardYear],
    reason: str,
) -> None:
    log_action(
        action="awards.award.created",
        actor=actor,
        obj=award,
        after={
            "reference": award.reference,
            "kind": award.kind,
            "status": award.status,
            "organisation": award.organisation_id,
            "amount_pence": award.amount_pence,
            "start_date": award.start_date,
            "end_date": award.end_date,
            **{name: thing.pk if thing is not None else None for name, thing in given.items()},
            "instalments": instalments,
            "years": years_audit(parts=parts),
        },
        reason=reason,
        council=award.council,
    )
