"""The annual action plan (§5.1): actions, their owners and their progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.strategy.models import ActionStatus, PlanAction
from thrive.strategy.sections import SECTION_LABELS
from thrive.strategy.services.common import save_audited

if TYPE_CHECKING:
    from thrive.accounts.models import User

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


def _check_action(action: PlanAction) -> None:
    errors: dict[str, str] = {}
    if action.section not in SECTION_LABELS:
        errors["section"] = "Select the section of the strategy the action serves"
    if not action.owner_id and not action.owner_team.strip():
        errors["owner_team"] = "Choose an owner or enter the owning team"
    if action.owner_id and action.owner.council_id != action.council_id:
        errors["owner"] = "Choose an owner from this council's staff"
    if errors:
        raise ValidationError(errors)


def save_action(*, action: PlanAction, actor: User) -> PlanAction:
    """Add an action to the plan or change one; audited with before and after."""
    _check_action(action)
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    elif action.status != ActionStatus.DONE:
        action.completed_on = None
    return save_audited(
        obj=action,
        fields=ACTION_FIELDS,
        actions=("strategy.action.created", "strategy.action.changed"),
        actor=actor,
    )


def update_action_status(
    *, action: PlanAction, status: str, progress_note: str, actor: User
) -> PlanAction:
    """Record an action's status and progress note; audited."""
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
