"""Panels and conflict-of-interest declarations (§4.4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import Role, User
from thrive.assessment.models import ConflictDeclaration, Panel, PanelMember, Score
from thrive.audit.services import log_action
from thrive.opportunities.models import Opportunity
from thrive.organisations.models import Organisation

PANEL_ROLES = (Role.ASSESSOR, Role.COMMISSIONER)


def get_or_create_panel(*, opportunity: Opportunity) -> Panel:
    """The opportunity's panel, made the first time it is needed."""
    panel, _ = Panel.objects.get_or_create(opportunity=opportunity)
    return panel


def assign_assessor(*, opportunity: Opportunity, user: User, actor: User) -> PanelMember:
    """Put an assessor (or a commissioner) of the council on the opportunity's panel."""
    if user.council_id != opportunity.council_id or not user.has_role(*PANEL_ROLES):
        raise ValidationError(
            {"user": "Choose an assessor or commissioner of the council running the opportunity"}
        )
    with transaction.atomic():
        panel = get_or_create_panel(opportunity=opportunity)
        if panel.members.filter(user=user).exists():
            raise ValidationError({"user": f"{user} is already on the panel"})
        member = PanelMember.objects.create(panel=panel, user=user, added_by=actor)
        log_action(
            action="assessment.panel.member_added",
            actor=actor,
            obj=panel,
            after={"user": user.pk, "name": str(user), "opportunity": opportunity.reference},
            council=opportunity.council,
        )
    return member


def remove_member(*, member: PanelMember, actor: User, reason: str) -> None:
    """Take someone off a panel they were put on by mistake, before they have taken part.

    Once a member has declared their interests or scored, the declaration and scores are
    part of the panel's record and the member stays; removal is refused, nothing changed.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the assessor is taken off the panel"})
    opportunity = member.panel.opportunity
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if locked.declarations.exists():
            raise ValidationError(
                f"{locked.user} has declared their interests, so stays on the panel's record"
            )
        if Score.objects.filter(
            assessor=locked.user, application__opportunity=opportunity
        ).exists():
            raise ValidationError(f"{locked.user} has scored, so stays on the panel's record")
        log_action(
            action="assessment.panel.member_removed",
            actor=actor,
            obj=locked.panel,
            before={"user": locked.user_id, "name": str(locked.user)},
            after={"opportunity": opportunity.reference},
            reason=reason.strip(),
            council=opportunity.council,
        )
        locked.delete()


def declare_conflict(
    *,
    member: PanelMember,
    has_conflict: bool,
    organisations: Iterable[Organisation] = (),
    note: str = "",
    now: datetime | None = None,
) -> ConflictDeclaration:
    """Record a panel member's declaration of interests; it is kept and audited."""
    organisations = list(organisations)
    if has_conflict and not organisations:
        raise ValidationError(
            {"organisations": "Select the organisations you have a conflict of interest with"}
        )
    if has_conflict and not note.strip():
        raise ValidationError({"note": "Describe the conflict of interest"})
    opportunity = member.panel.opportunity
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            member=member,
            has_conflict=has_conflict,
            note=note.strip(),
            declared_at=now or timezone.now(),
        )
        if has_conflict:
            declaration.organisations.set(organisations)
        log_action(
            action="assessment.conflict.declared",
            actor=member.user,
            obj=declaration,
            after={
                "opportunity": opportunity.reference,
                "has_conflict": has_conflict,
                "organisations": sorted(o.pk for o in organisations) if has_conflict else [],
            },
            reason=note,
            council=opportunity.council,
        )
    return declaration
