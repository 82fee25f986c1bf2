"""Changes to opportunities: create, publish, documents, invitations to quote, clarifications,
alert choices (§4.1). Every decision is written to the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_on_commit
from thrive.opportunities import files
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Criterion,
    CriterionKind,
    Document,
    Lot,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    PriceFormula,
    QuoteInvitation,
    format_deadline,
    kind_is_sealed,
    weight_problems,
)

EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "process",
    "kind",
    "value_pence",
    "max_award_pence",
    "form_template",
    "opens_at",
    "clarification_deadline",
    "closes_at",
    "decision_expected",
)


def _snapshot(opportunity: Opportunity) -> dict[str, Any]:
    data = {f: getattr(opportunity, f) for f in EDITABLE_FIELDS if f != "form_template"}
    data["form_template"] = opportunity.form_template_id
    data["intention"] = opportunity.intention_id
    data["status"] = opportunity.status
    data["sealed"] = opportunity.sealed
    return data


def next_reference(*, now: datetime) -> str:
    """OPP-2026-0007: the year and a running number."""
    prefix = f"OPP-{now.year}-"
    last = Opportunity.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))
    number = int(last["m"].rsplit("-", 1)[1]) + 1 if last["m"] else 1
    return f"{prefix}{number:04d}"


def create_opportunity(
    *,
    council: Any,
    directorate: Any,
    actor: Any,
    outcomes: list[Any] | None = None,
    areas: list[Any] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """Create a draft opportunity with its reference."""
    now = now or timezone.now()
    with transaction.atomic():
        opportunity = Opportunity(
            council=council,
            directorate=directorate,
            reference=next_reference(now=now),
            created_by=actor,
            **fields,
        )
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        if directorate is not None and directorate.council_id != council.pk:
            raise ValidationError({"directorate": "Choose a directorate of this council"})
        if opportunity.intention is not None:
            from thrive.opportunities.intentions import check_intention

            check_intention(intention=opportunity.intention, council=council, kind=opportunity.kind)
        opportunity.full_clean()
        opportunity.save()
        opportunity.outcomes.set(outcomes or [])
        opportunity.areas.set(areas or [])
        log_action(
            action="opportunities.opportunity.created",
            actor=actor,
            obj=opportunity,
            after=_snapshot(opportunity),
            council=council,
        )
    return opportunity


def update_opportunity(
    *,
    opportunity: Opportunity,
    actor: Any,
    outcomes: list[Any] | None = None,
    areas: list[Any] | None = None,
    reason: str = "",
    **fields: Any,
) -> Opportunity:
    """Change a draft opportunity, audited; a published one changes only by amendment."""
    if opportunity.status == OpportunityStatus.CANCELLED:
        raise ValidationError("A cancelled opportunity cannot be changed")
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError(
            "A published opportunity changes only by an amendment, with the reason published"
        )
    with transaction.atomic():
        before = _snapshot(opportunity)
        for name, value in fields.items():
            setattr(opportunity, name, value)
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        if fields.get("intention") is not None:
            from thrive.opportunities.intentions import check_intention

            check_intention(
                intention=opportunity.intention, council=opportunity.council, kind=opportunity.kind
            )
        opportunity.full_clean()
        opportunity.save()
        if outcomes is not None:
            opportunity.outcomes.set(outcomes)
        if areas is not None:
            opportunity.areas.set(areas)
        log_action(
            action="opportunities.opportunity.changed",
            actor=actor,
            obj=opportunity,
            before=before,
            after=_snapshot(opportunity),
            reason=reason,
            council=opportunity.council,
        )
    return opportunity


def publication_problems(opportunity: Opportunity, *, now: datetime) -> list[str]:
    """What stops the opportunity being published, in words a commissioner can act on."""
    problems = []
    if opportunity.form_template_id is None:
        problems.append("Choose the application form")
    elif opportunity.form_template.current_version() is None:
        problems.append("The chosen application form has no version yet")
    if opportunity.opens_at is None:
        problems.append("Enter the opening date and time")
    if opportunity.closes_at is None and opportunity.kind != OpportunityKind.SMALL_GRANTS:
        problems.append("Enter the closing date and time")
    if opportunity.closes_at is not None and opportunity.closes_at <= now:
        problems.append("The closing time must be in the future")
    if not opportunity.process.strip():
        problems.append("Describe the process and its timescales")
    criteria = list(opportunity.criteria.all())
    if opportunity.kind != OpportunityKind.SMALL_GRANTS and not criteria:
        problems.append("Add the criteria and weights applicants will be judged on")
    if criteria:
        problems += weight_problems(criteria, list(opportunity.lots.all()))
    return problems


def publish_opportunity(
    *, opportunity: Opportunity, actor: Any, now: datetime | None = None
) -> Opportunity:
    """Publish the advert, fix whether its bids are sealed, and queue alerts.

    Sealing is decided here once, from the kind being published (quotations and tenders);
    from now on ``sealed`` is a stored fact that no form, API or admin page changes.
    """
    from thrive.opportunities import tasks

    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError("Only a draft opportunity can be published")
    problems = publication_problems(opportunity, now=now)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        opportunity.status = OpportunityStatus.PUBLISHED
        opportunity.sealed = kind_is_sealed(opportunity.kind)
        opportunity.published_at = now
        opportunity.published_by = actor
        opportunity.full_clean()
        opportunity.save()
        log_action(
            action="opportunities.opportunity.published",
            actor=actor,
            obj=opportunity,
            before={"status": OpportunityStatus.DRAFT},
            after={
                "status": opportunity.status,
                "closes_at": opportunity.closes_at,
                "sealed": opportunity.sealed,
            },
            council=opportunity.council,
        )
        enqueue_on_commit(tasks.send_opportunity_alerts, opportunity.pk)
    return opportunity


def cancel_opportunity(*, opportunity: Opportunity, actor: Any, reason: str) -> Opportunity:
    """Cancel an opportunity, with the reason applicants will read."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the opportunity is cancelled"})
    with transaction.atomic():
        before = opportunity.status
        opportunity.status = OpportunityStatus.CANCELLED
        opportunity.cancelled_reason = reason.strip()
        opportunity.save()
        log_action(
            action="opportunities.opportunity.cancelled",
            actor=actor,
            obj=opportunity,
            before={"status": before},
            after={"status": opportunity.status},
            reason=reason,
            council=opportunity.council,
        )
    return opportunity


def add_lot(
    *, opportunity: Opportunity, actor: Any, title: str, description: str = "", value_pence: int
) -> Lot:
    """Add the next lot, so smaller organisations can bid for a part (§4.4).

    Lots are terms: like criteria they are fixed when the opportunity is published.
    """
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError("Lots cannot change once the opportunity is published")
    with transaction.atomic():
        number = (opportunity.lots.aggregate(m=Max("number"))["m"] or 0) + 1
        lot = Lot(
            opportunity=opportunity,
            number=number,
            title=title,
            description=description,
            value_pence=value_pence,
        )
        lot.full_clean()
        lot.save()
        log_action(
            action="opportunities.lot.added",
            actor=actor,
            obj=opportunity,
            after={"lot": number, "title": title, "value_pence": value_pence},
            council=opportunity.council,
        )
    return lot


def add_criterion(
    *,
    opportunity: Opportunity,
    actor: Any,
    title: str,
    weight: int,
    description: str = "",
    kind: str = CriterionKind.QUALITY,
    lot: Lot | None = None,
    is_gate: bool = False,
    price_formula: str = PriceFormula.LOWEST_PRICE,
    scale: list | None = None,
) -> Criterion:
    """Add an evaluation criterion and its weight; each lot's weights must add up to 100."""
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError("Criteria cannot change once the opportunity is published")
    criterion = Criterion(
        opportunity=opportunity,
        lot=lot,
        kind=kind,
        title=title,
        description=description,
        weight=0 if is_gate else weight,
        is_gate=is_gate,
        price_formula=price_formula,
        scale=scale or [],
        order=opportunity.criteria.count() + 1,
    )
    criterion.full_clean()
    _check_weights_within_100(opportunity, criterion)
    with transaction.atomic():
        criterion.save()
        log_action(
            action="opportunities.criterion.added",
            actor=actor,
            obj=opportunity,
            after={
                "title": title,
                "weight": criterion.weight,
                "kind": kind,
                "lot": lot.number if lot else None,
                "gate": is_gate,
            },
            council=opportunity.council,
        )
    return criterion


def remove_criterion(*, criterion: Criterion, actor: Any) -> None:
    """Take a criterion off a draft opportunity (applicants have not seen it yet), audited."""
    opportunity = criterion.opportunity
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError("Criteria cannot change once the opportunity is published")
    with transaction.atomic():
        log_action(
            action="opportunities.criterion.removed",
            actor=actor,
            obj=opportunity,
            before={
                "title": criterion.title,
                "weight": criterion.weight,
                "kind": criterion.kind,
                "lot": criterion.lot.number if criterion.lot else None,
                "gate": criterion.is_gate,
            },
            council=opportunity.council,
        )
        criterion.delete()
        for order, remaining in enumerate(opportunity.criteria.order_by("order", "pk"), start=1):
            if remaining.order != order:
                remaining.order = order
                remaining.save(update_fields=["order"])


def _check_weights_within_100(opportunity: Opportunity, new: Criterion) -> None:
    """Refuse a criterion that takes any lot's (or the opportunity's) weights past 100%."""
    criteria = [*opportunity.criteria.all(), new]
    lots = list(opportunity.lots.all()) or [None]
    for lot in lots:
        applies = [c for c in criteria if lot is None or c.lot_id in (None, lot.pk)]
        total = sum(c.weight for c in applies if not c.is_gate)
        if total > 100:
            where = f" for lot {lot.number}" if lot else ""
            raise ValidationError(
                {"weight": f"The weights{where} would add up to {total}%, more than 100%"}
            )


def add_document(*, opportunity: Opportunity, actor: Any, title: str, upload: Any) -> Document:
    """Attach a document every applicant can read, checked by content."""
    checked = files.check_upload(upload)
    with transaction.atomic():
        document = Document(
            opportunity=opportunity,
            title=title,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        document.file.save(
            files.safe_name(upload.name, checked.extension), File(upload), save=False
        )
        document.full_clean()
        document.save()
        log_action(
            action="opportunities.document.added",
            actor=actor,
            obj=opportunity,
            after={"title": title, "sha256": checked.sha256},
            council=opportunity.council,
        )
    return document


def invite_to_quote(
    *, opportunity: Opportunity, organisation: Any, actor: Any, note: str = ""
) -> QuoteInvitation:
    """Invite a named organisation to quote or apply (§4.1); it sees what everyone sees."""
    from thrive.opportunities import tasks

    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError("Publish the opportunity before inviting organisations")
    if opportunity.has_closed():
        raise ValidationError("The opportunity has closed")
    if opportunity.invitations.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} has already been invited"})
    with transaction.atomic():
        invitation = QuoteInvitation.objects.create(
            opportunity=opportunity, organisation=organisation, note=note, invited_by=actor
        )
        log_action(
            action="opportunities.invitation.sent",
            actor=actor,
            obj=invitation,
            after={"opportunity": opportunity.reference, "organisation": organisation.pk},
            reason=note,
            council=opportunity.council,
        )
        enqueue_on_commit(tasks.send_quote_invitation, invitation.pk)
    return invitation


def ask_clarification(
    *,
    opportunity: Opportunity,
    organisation: Any,
    actor: Any,
    question: str,
    now: datetime | None = None,
) -> Clarification:
    """Record an applicant's question, until the clarification deadline."""
    from thrive.opportunities import tasks

    now = now or timezone.now()
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "Enter your question"})
    if len(question) > 2000:
        raise ValidationError({"question": "Your question must be 2,000 characters or fewer"})
    if not opportunity.clarifications_open(now):
        deadline = opportunity.clarification_deadline or opportunity.closes_at
        when = f" The deadline for questions was {format_deadline(deadline)}." if deadline else ""
        raise ValidationError(f"Questions can no longer be asked about this opportunity.{when}")
    with transaction.atomic():
        clarification = Clarification.objects.create(
            opportunity=opportunity, organisation=organisation, asked_by=actor, question=question
        )
        log_action(
            action="opportunities.clarification.asked",
            actor=actor,
            obj=clarification,
            after={"opportunity": opportunity.reference},
            council=opportunity.council,
        )
        enqueue_on_commit(tasks.send_question_asked, clarification.pk)
    return clarification


def answer_clarification(
    *,
    clarification: Clarification,
    actor: Any,
    answer: str,
    published_question: str = "",
    now: datetime | None = None,
) -> Clarification:
    """Publish the answer to everyone, without the asker (§4.1: no preferential treatment)."""
    from thrive.opportunities import tasks

    now = now or timezone.now()
    if not (answer or "").strip():
        raise ValidationError({"answer": "Enter the answer"})
    if clarification.published_at is not None:
        raise ValidationError("This question has already been answered")
    with transaction.atomic():
        clarification.answer = answer.strip()
        clarification.published_question = (
            published_question or ""
        ).strip() or clarification.question
        clarification.answered_by = actor
        clarification.published_at = now
        clarification.save()
        log_action(
            action="opportunities.clarification.answered",
            actor=actor,
            obj=clarification,
            after={
                "published_question": clarification.published_question,
                "answer": clarification.answer,
            },
            council=clarification.opportunity.council,
        )
        enqueue_on_commit(tasks.notify_clarification, clarification.pk)
    return clarification


def save_alert_preference(
    *,
    organisation: Any,
    actor: Any,
    is_active: bool,
    kinds: list[str],
    outcomes: list[Any],
    areas: list[Any],
) -> AlertPreference:
    """Keep the organisation's alert choices: outcomes, areas and kinds of opportunity."""
    unknown = set(kinds) - set(OpportunityKind.values)
    if unknown:
        raise ValidationError({"kinds": "Select kinds of opportunity from the list"})
    with transaction.atomic():
        preference, _ = AlertPreference.objects.get_or_create(organisation=organisation)
        preference.is_active = is_active
        preference.kinds = sorted(kinds)
        preference.save()
        preference.outcomes.set(outcomes)
        preference.areas.set(areas)
        log_action(
            action="opportunities.alerts.saved",
            actor=actor,
            obj=organisation,
            after={
                "is_active": is_active,
                "kinds": preference.kinds,
                "outcomes": sorted(o.pk for o in outcomes),
                "areas": sorted(a.pk for a in areas),
            },
        )
    return preference
