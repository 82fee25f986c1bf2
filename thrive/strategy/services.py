"""Changes to the outcomes framework, directorates, funding pots, budgets and thresholds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.money import format_pence
from thrive.strategy.models import (
    BudgetCommitment,
    Directorate,
    FinancialYear,
    FundingPot,
    Outcome,
    PotContribution,
    PotKind,
    PotMerge,
    ThresholdSet,
)

OUTCOME_FIELDS = ("kind", "code", "title", "description", "parent_id", "is_active", "order")
THRESHOLD_FIELDS = (
    "valid_from",
    "goods_services_pence",
    "works_pence",
    "light_touch_pence",
    "below_threshold_notice_pence",
    "small_grant_limit_pence",
    "source",
)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# --- outcomes and directorates -------------------------------------------------


def _check_parent(outcome: Outcome) -> None:
    parent = outcome.parent
    if parent is None:
        return
    if parent.council_id != outcome.council_id:
        raise ValidationError({"parent": "Choose an outcome of the same council"})
    seen = set()
    while parent is not None:
        if outcome.pk and parent.pk == outcome.pk:
            raise ValidationError({"parent": "An outcome cannot sit under itself"})
        if parent.pk in seen:  # pragma: no cover - a loop already in the data
            break
        seen.add(parent.pk)
        parent = parent.parent


def save_outcome(*, outcome: Outcome, actor: Any) -> Outcome:
    """Create or change an outcome in the framework."""
    before = None
    if outcome.pk:
        before = _snapshot(Outcome.objects.get(pk=outcome.pk), OUTCOME_FIELDS)
    _check_parent(outcome)
    with transaction.atomic():
        outcome.full_clean()
        outcome.save()
        log_action(
            action="strategy.outcome.changed" if before else "strategy.outcome.created",
            actor=actor,
            obj=outcome,
            before=before,
            after=_snapshot(outcome, OUTCOME_FIELDS),
            council=outcome.council,
        )
    return outcome


def save_directorate(*, directorate: Directorate, actor: Any) -> Directorate:
    """Create or change a directorate."""
    before = None
    if directorate.pk:
        old = Directorate.objects.get(pk=directorate.pk)
        before = {"code": old.code, "name": old.name, "is_active": old.is_active}
    with transaction.atomic():
        directorate.full_clean()
        directorate.save()
        log_action(
            action="strategy.directorate.changed" if before else "strategy.directorate.created",
            actor=actor,
            obj=directorate,
            before=before,
            after={
                "code": directorate.code,
                "name": directorate.name,
                "is_active": directorate.is_active,
            },
            council=directorate.council,
        )
    return directorate


# --- financial years and pots --------------------------------------------------


def get_financial_year(*, start_year: int) -> FinancialYear:
    """The financial year starting in April of ``start_year``, created the first time."""
    if not 2000 <= start_year <= 2100:
        raise ValidationError({"financial_year": "Enter a year between 2000 and 2100"})
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    return year


def financial_year_for(day: date) -> FinancialYear:
    """The financial year a day falls in."""
    return get_financial_year(start_year=FinancialYear.start_year_for(day))


def create_pot(
    *,
    council: Any,
    name: str,
    kind: str,
    directorate: Directorate,
    financial_year: FinancialYear,
    budget_pence: int = 0,
    description: str = "",
    actor: Any,
) -> FundingPot:
    """Open a funding pot for a financial year; pooled and aligned pots fill by contribution."""
    if directorate.council_id != council.pk:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    if kind == PotKind.MERGED:
        raise ValidationError({"kind": "Merge former pots to make a merged pot"})
    if kind in (PotKind.POOLED, PotKind.ALIGNED) and budget_pence:
        raise ValidationError(
            {"budget": "A pooled or aligned budget is the sum of its contributions"}
        )
    if budget_pence < 0:
        raise ValidationError({"budget": "Budget must be £0 or more"})
    pot = FundingPot(
        council=council,
        name=name,
        kind=kind,
        directorate=directorate,
        financial_year=financial_year,
        budget_pence=budget_pence,
        description=description,
    )
    with transaction.atomic():
        pot.full_clean()
        pot.save()
        log_action(
            action="strategy.pot.created",
            actor=actor,
            obj=pot,
            after={"kind": kind, "budget_pence": budget_pence, "year": str(financial_year)},
            council=council,
        )
    return pot


def _locked(pot: FundingPot) -> FundingPot:
    return FundingPot.objects.select_for_update().get(pk=pot.pk)


def set_pot_budget(*, pot: FundingPot, budget_pence: int, actor: Any, reason: str) -> FundingPot:
    """Change a pot's budget; it can never fall below what is already committed."""
    if pot.kind in (PotKind.POOLED, PotKind.ALIGNED):
        raise ValidationError({"budget": "Change a pooled budget through its contributions"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for changing the budget"})
    with transaction.atomic():
        locked = _locked(pot)
        if locked.merged_into_id:
            raise ValidationError({"budget": "This pot has been merged into another pot"})
        if budget_pence < locked.committed_pence:
            raise ValidationError(
                {
                    "budget": f"Budget must be at least {format_pence(locked.committed_pence)}, "
                    "the amount already committed"
                }
            )
        before = locked.budget_pence
        FundingPot.objects.filter(pk=pot.pk).update(budget_pence=budget_pence)
        locked.refresh_from_db()
        log_action(
            action="strategy.pot.budget_changed",
            actor=actor,
            obj=locked,
            before={"budget_pence": before},
            after={"budget_pence": budget_pence},
            reason=reason,
            council=locked.council,
        )
    return locked


def add_contribution(
    *,
    pot: FundingPot,
    amount_pence: int,
    actor: Any,
    directorate: Directorate | None = None,
    partner_name: str = "",
) -> PotContribution:
    """Add a directorate's or partner's money to a pooled or aligned pot (§5.3)."""
    if pot.kind not in (PotKind.POOLED, PotKind.ALIGNED):
        raise ValidationError("Only pooled and aligned pots take contributions")
    if amount_pence <= 0:
        raise ValidationError({"amount": "Amount must be more than £0"})
    if bool(directorate) == bool(partner_name.strip()):
        raise ValidationError(
            {"directorate": "Choose a directorate or enter a partner's name, not both"}
        )
    if directorate is not None and directorate.council_id != pot.council_id:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    with transaction.atomic():
        locked = _locked(pot)
        if locked.merged_into_id:
            raise ValidationError("This pot has been merged into another pot")
        contribution = PotContribution(
            pot=locked,
            amount_pence=amount_pence,
            directorate=directorate,
            partner_name=partner_name.strip(),
            recorded_by=actor,
        )
        contribution.full_clean()
        contribution.save()
        FundingPot.objects.filter(pk=pot.pk).update(budget_pence=F("budget_pence") + amount_pence)
        log_action(
            action="strategy.pot.contribution_added",
            actor=actor,
            obj=locked,
            before={"budget_pence": locked.budget_pence},
            after={
                "budget_pence": locked.budget_pence + amount_pence,
                "contributor": contribution.contributor,
                "amount_pence": amount_pence,
            },
            council=locked.council,
        )
    pot.refresh_from_db()
    return contribution


def merge_pots(
    *,
    pots: list[FundingPot],
    name: str,
    directorate: Directorate,
    actor: Any,
    reason: str,
) -> FundingPot:
    """Merge former pots into one (§2.4): what was uncommitted moves; commitments stay put."""
    if len(pots) < 2:
        raise ValidationError({"pots": "Choose at least two pots to merge"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for merging the pots"})
    if len({(p.council_id, p.financial_year_id) for p in pots}) != 1:
        raise ValidationError({"pots": "Choose pots of the same council and financial year"})
    first = pots[0]
    if directorate.council_id != first.council_id:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    with transaction.atomic():
        locked = list(
            FundingPot.objects.select_for_update()
            .filter(pk__in=[p.pk for p in pots])
            .order_by("pk")
        )
        if any(p.merged_into_id for p in locked):
            raise ValidationError({"pots": "A chosen pot has already been merged"})
        carried = sum(p.remaining_pence for p in locked)
        merged = FundingPot(
            council=first.council,
            name=name,
            kind=PotKind.MERGED,
            directorate=directorate,
            financial_year=first.financial_year,
            budget_pence=carried,
            description=f"Formed by merging {', '.join(p.name for p in locked)}.",
        )
        merged.full_clean()
        merged.save()
        for former in locked:
            FundingPot.objects.filter(pk=former.pk).update(
                budget_pence=F("committed_pence"), merged_into=merged
            )
        PotMerge.objects.create(
            merged_pot=merged, merged_by=actor, reason=reason, carried_pence=carried
        )
        log_action(
            action="strategy.pot.merged",
            actor=actor,
            obj=merged,
            before={
                "pots": [
                    {"id": p.pk, "name": p.name, "budget_pence": p.budget_pence} for p in locked
                ]
            },
            after={"budget_pence": carried, "name": name},
            reason=reason,
            council=merged.council,
        )
    return merged


# --- commitments -----------------------------------------------------------------


def commit_budget(
    *,
    pot: FundingPot,
    amount_pence: int,
    description: str,
    actor: Any,
    source: Any = None,
    reason: str = "",
) -> BudgetCommitment:
    """Set money aside from a pot, under a row lock; refuse anything past the budget.

    The row lock makes concurrent commitments queue; the check constraint
    ``pot_never_over_committed`` refuses over-commitment even without it.
    """
    if amount_pence <= 0:
        raise ValidationError({"amount": "Amount must be more than £0"})
    if not description.strip():
        raise ValidationError({"description": "Enter what the money is for"})
    with transaction.atomic():
        locked = _locked(pot)
        if locked.merged_into_id:
            raise ValidationError(
                {"amount": f"This pot has been merged into {locked.merged_into}. Use that pot."}
            )
        if amount_pence > locked.remaining_pence:
            raise ValidationError(
                {
                    "amount": f"There is not enough left in {locked.name}: "
                    f"{format_pence(locked.remaining_pence)} remains and this commitment is "
                    f"{format_pence(amount_pence)}"
                }
            )
        try:
            with transaction.atomic():
                FundingPot.objects.filter(pk=locked.pk).update(
                    committed_pence=F("committed_pence") + amount_pence
                )
        except IntegrityError as exc:  # pragma: no cover - only a writer that skipped the lock
            raise ValidationError({"amount": f"There is not enough left in {locked.name}"}) from exc
        commitment = BudgetCommitment(
            pot=locked,
            amount_pence=amount_pence,
            description=description.strip(),
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            committed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        commitment.full_clean()
        commitment.save()
        log_action(
            action="strategy.budget.committed",
            actor=actor,
            obj=locked,
            before={"committed_pence": locked.committed_pence},
            after={
                "committed_pence": locked.committed_pence + amount_pence,
                "amount_pence": amount_pence,
                "commitment_id": commitment.pk,
                "description": commitment.description,
            },
            reason=reason,
            council=locked.council,
        )
    pot.refresh_from_db()
    return commitment


def release_commitment(
    *, commitment: BudgetCommitment, actor: Any, reason: str
) -> BudgetCommitment:
    """Give committed money back to its pot, for example when an award ends early."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for releasing the money"})
    with transaction.atomic():
        locked = _locked(commitment.pot)
        current = BudgetCommitment.objects.select_for_update().get(pk=commitment.pk)
        if current.released_at:
            raise ValidationError("This commitment has already been released")
        FundingPot.objects.filter(pk=locked.pk).update(
            committed_pence=F("committed_pence") - current.amount_pence
        )
        if locked.merged_into_id:
            # The money of a merged pot lives on in the pot it was merged into.
            FundingPot.objects.filter(pk=locked.pk).update(
                budget_pence=F("budget_pence") - current.amount_pence
            )
            FundingPot.objects.filter(pk=locked.merged_into_id).update(
                budget_pence=F("budget_pence") + current.amount_pence
            )
        current.released_at = timezone.now()
        current.released_by = actor
        current.save(update_fields=["released_at", "released_by"])
        log_action(
            action="strategy.budget.released",
            actor=actor,
            obj=locked,
            before={"committed_pence": locked.committed_pence},
            after={
                "committed_pence": locked.committed_pence - current.amount_pence,
                "commitment_id": current.pk,
            },
            reason=reason,
            council=locked.council,
        )
    return current


def committed_total(*, pot: FundingPot) -> int:
    """The sum of the pot's active commitments, from the database."""
    total = pot.commitments.filter(released_at__isnull=True).aggregate(t=Sum("amount_pence"))["t"]
    return total or 0


# --- thresholds ------------------------------------------------------------------


def save_threshold_set(*, threshold_set: ThresholdSet, actor: Any) -> ThresholdSet:
    """Add or correct a dated set of procurement thresholds."""
    before = None
    if threshold_set.pk:
        before = _snapshot(ThresholdSet.objects.get(pk=threshold_set.pk), THRESHOLD_FIELDS)
    clash = ThresholdSet.objects.filter(
        council=threshold_set.council, valid_from=threshold_set.valid_from
    ).exclude(pk=threshold_set.pk)
    if clash.exists():
        raise ValidationError({"valid_from": "A set of thresholds already starts on this date"})
    if threshold_set.created_by_id is None and getattr(actor, "is_authenticated", False):
        threshold_set.created_by = actor
    with transaction.atomic():
        threshold_set.full_clean(validate_constraints=False)
        threshold_set.save()
        log_action(
            action="strategy.thresholds.changed" if before else "strategy.thresholds.created",
            actor=actor,
            obj=threshold_set,
            before=before,
            after=_snapshot(threshold_set, THRESHOLD_FIELDS),
            council=threshold_set.council,
        )
    return threshold_set


def thresholds_on(*, day: date, council: Any = None) -> ThresholdSet:
    """The thresholds in force on a procurement's start date."""
    found = ThresholdSet.objects.in_force_on(day, getattr(council, "pk", None))
    if found is None and not ThresholdSet.objects.filter(council__isnull=True).exists():
        from thrive.strategy.defaults import ensure_default_thresholds

        ensure_default_thresholds()  # an emptied table falls back to the statutory figures
        found = ThresholdSet.objects.in_force_on(day, getattr(council, "pk", None))
    if found is None:
        raise ValidationError(
            {"procurement_start": f"No procurement thresholds are in force on {day:%-d %B %Y}"}
        )
    return found


# --- the annual action plan (§5.1) ---------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "section",
    "owner_id",
    "owner_team",
    "due_date",
    "status",
    "progress_note",
    "financial_year_id",
)


def _check_action(action: Any) -> None:
    from thrive.strategy.sections import SECTION_LABELS

    errors: dict[str, str] = {}
    if action.section not in SECTION_LABELS:
        errors["section"] = "Select the section of the strategy the action serves"
    if not action.owner_id and not action.owner_team.strip():
        errors["owner_team"] = "Choose an owner or enter the owning team"
    if action.owner_id and action.owner.council_id != action.council_id:
        errors["owner"] = "Choose an owner from this council's staff"
    if errors:
        raise ValidationError(errors)


def save_action(*, action: Any, actor: Any) -> Any:
    """Add an action to the plan or change one; audited with before and after."""
    from thrive.strategy.models import ActionStatus, PlanAction

    _check_action(action)
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    elif action.status != ActionStatus.DONE:
        action.completed_on = None
    return _save_audited(
        action,
        PlanAction,
        ACTION_FIELDS,
        ("strategy.action.created", "strategy.action.changed"),
        actor,
    )


def _save_audited(
    obj: Any, model: Any, fields: tuple[str, ...], actions: tuple[str, str], actor: Any
) -> Any:
    """Save a new or changed record of a council and audit it with before and after."""
    before = _snapshot(model.objects.get(pk=obj.pk), fields) if obj.pk else None
    with transaction.atomic():
        if not obj.pk:
            obj.created_by = actor if getattr(actor, "is_authenticated", False) else None
        obj.save()
        log_action(
            action=actions[1] if before else actions[0],
            actor=actor,
            obj=obj,
            before=before,
            after=_snapshot(obj, fields),
            council=obj.council,
        )
    return obj


def update_action_status(*, action: Any, status: str, progress_note: str, actor: Any) -> Any:
    """Record an action's status and progress note; audited."""
    from thrive.strategy.models import ActionStatus, PlanAction

    if status not in ActionStatus.values:
        raise ValidationError({"status": "Select the action's status"})
    with transaction.atomic():
        locked = PlanAction.objects.select_for_update().get(pk=action.pk)
        before = {"status": locked.status, "progress_note": locked.progress_note}
        locked.status = status
        locked.progress_note = progress_note.strip()
        if status == ActionStatus.DONE:
            locked.completed_on = locked.completed_on or timezone.localdate()
        else:
            locked.completed_on = None
        locked.save(update_fields=["status", "progress_note", "completed_on", "updated_at"])
        log_action(
            action="strategy.action.status_changed",
            actor=actor,
            obj=locked,
            before=before,
            after={"status": locked.status, "progress_note": locked.progress_note},
            council=locked.council,
        )
    action.status, action.progress_note = locked.status, locked.progress_note
    action.completed_on = locked.completed_on
    return locked


# --- the NI 7 survey (§5.1) ----------------------------------------------------

ROUND_FIELDS = ("financial_year_id", "opens_on", "closes_on", "introduction")


def save_round(*, survey: Any, actor: Any) -> Any:
    """Open a survey round for a council's financial year, or change its dates; audited."""
    from thrive.strategy.models import SurveyRound

    errors: dict[str, str] = {}
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    duplicate = SurveyRound.objects.filter(
        council_id=survey.council_id, financial_year_id=survey.financial_year_id
    ).exclude(pk=survey.pk)
    if duplicate.exists():
        errors["financial_year"] = (
            f"There is already a survey for {survey.financial_year}; change that one instead"
        )
    if errors:
        raise ValidationError(errors)
    return _save_audited(
        survey,
        SurveyRound,
        ROUND_FIELDS,
        ("strategy.survey.opened", "strategy.survey.changed"),
        actor,
    )


def answer_survey(
    *,
    survey: Any,
    organisation: Any,
    answers: dict[str, Any],
    actor: Any,
    today: date | None = None,
) -> Any:
    """Record an organisation's answers: once per round, only while the round is open.

    The audit event names the round, never the answers, so the log cannot link an
    organisation to what it said.
    """
    from thrive.strategy.models import SurveyResponse

    today = today or timezone.localdate()
    if today < survey.opens_on:
        raise ValidationError(
            f"This survey opens on {survey.opens_on:%-d %B %Y}; you cannot answer it yet"
        )
    if today > survey.closes_on:
        raise ValidationError(
            f"This survey closed on {survey.closes_on:%-d %B %Y}; answers can no longer be sent"
        )
    if SurveyResponse.objects.filter(round=survey, organisation=organisation).exists():
        raise ValidationError(f"{organisation.name} has already answered this survey")
    response = SurveyResponse(
        round=survey,
        organisation=organisation,
        size_band=organisation.size_band or "",
        overall=answers["overall"],
        funding=answers["funding"],
        involvement=answers["involvement"],
        relationship=answers["relationship"],
        comment=(answers.get("comment") or "").strip(),
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            response.full_clean(exclude=["round", "organisation", "submitted_by"])
            response.save()
            log_action(
                action="strategy.survey.answered",
                actor=actor,
                obj=survey,
                after={"round": survey.pk},
                council=survey.council,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{organisation.name} has already answered this survey") from exc
    return response
