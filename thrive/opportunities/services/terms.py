"""The terms of a draft opportunity: lots, criteria and weights, and its documents (§4.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max

from thrive.audit.services import log_action
from thrive.opportunities import files
from thrive.opportunities.models import (
    Criterion,
    CriterionKind,
    Document,
    Lot,
    Opportunity,
    OpportunityStatus,
    PriceFormula,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from thrive.accounts.models import User


def add_lot(
    *, opportunity: Opportunity, actor: User, title: str, description: str = "", value_pence: int
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
    actor: User,
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


def remove_criterion(*, criterion: Criterion, actor: User) -> None:
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


def add_document(
    *, opportunity: Opportunity, actor: User, title: str, upload: UploadedFile
) -> Document:
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
