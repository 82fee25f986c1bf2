"""What each kind of user gets from the assessment pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    STAFF_ROLES,
    Expect,
    only,
)

RUNNERS = ("commissioner", "procurement_officer", "system_admin")
READERS = (*RUNNERS, "strategy_group", "council_admin")
APPROVERS = ("commissioner", "procurement_officer", "finance_officer", "strategy_group")


def prepare(world: Any) -> None:
    """A closed grant round of the commissioner's directorate with criteria, one eligible
    application of the world's organisation, the assessor on the panel (declared, no
    conflict), moderation open and a recommendation awaiting approval."""
    from django.utils import timezone

    from thrive.applications.models import ApplicationStatus
    from thrive.applications.tests.factories import SubmittedApplicationFactory
    from thrive.assessment.models import ConflictDeclaration, Decision, Panel, PanelMember, Winner
    from thrive.opportunities.models import OpportunityKind
    from thrive.opportunities.tests.factories import CriterionFactory, OpportunityFactory

    council = world.users["commissioner"].council
    now = timezone.now()
    round_ = OpportunityFactory(
        council=council,
        directorate=world.directorate,
        kind=OpportunityKind.GRANT_ROUND,
        max_award_pence=None,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
    )
    CriterionFactory(opportunity=round_, title="Quality", weight=100)
    application = SubmittedApplicationFactory(
        opportunity=round_, organisation=world.organisation, status=ApplicationStatus.ELIGIBLE
    )
    panel = Panel.objects.create(
        opportunity=round_,
        moderation_opened_at=now,
        moderation_opened_by=world.users["commissioner"],
    )
    member = PanelMember.objects.create(panel=panel, user=world.users["assessor"])
    ConflictDeclaration.objects.create(member=member, has_conflict=False)
    from thrive.accounts.tests.factories import staff_with_role

    world.assessment_undeclared_member = PanelMember.objects.create(
        panel=panel, user=staff_with_role("assessor", council=council)
    )
    decision = Decision.objects.create(
        opportunity=round_,
        start_date=now.date(),
        end_date=now.date() + timedelta(days=365 * 3),
        reason="Highest total",
        recommended_by=world.users["procurement_officer"],
    )
    world.assessment_winner = Winner.objects.create(
        decision=decision, application=application, amount_pence=100_000
    )
    world.assessment_round = round_
    world.assessment_application = application
    world.assessment_decision = decision


def _round(world: Any) -> dict[str, int]:
    return {"opportunity_id": world.assessment_round.pk}


def _application(world: Any) -> dict[str, int]:
    return {"application_id": world.assessment_application.pk}


ROUTES = {
    "assessment:home": only(*STAFF_ROLES),
    "assessment:settings": only("council_admin", "system_admin", post=AS_GET),
    "assessment:panel": only(*READERS, "assessor", kwargs=_round),
    "assessment:add_member": only(*RUNNERS, kwargs=_round, post=AS_GET),
    "assessment:remove_member": only(
        *RUNNERS,
        kwargs=lambda w: {
            "opportunity_id": w.assessment_round.pk,
            "member_id": w.assessment_undeclared_member.pk,
        },
        post=AS_GET,
    ),
    "assessment:declare": only("assessor", kwargs=_round, post=AS_GET),
    "assessment:open_moderation": only(*RUNNERS, kwargs=_round, post=AS_GET),
    "assessment:results": only(*READERS, "assessor", kwargs=_round),
    "assessment:results_export": only(*READERS, "assessor", kwargs=_round),
    "assessment:recommend": only(*RUNNERS, kwargs=_round, post=AS_GET),
    "assessment:score": only("assessor", kwargs=_application, post=AS_GET),
    "assessment:moderate": only(*RUNNERS, "assessor", kwargs=_application, post=AS_GET),
    "assessment:feedback": only(PROVIDER_ADMIN, PROVIDER_MEMBER, kwargs=_application),
    "assessment:decision": only(
        *READERS,
        *APPROVERS,
        kwargs=lambda w: {"decision_id": w.assessment_decision.pk},
        post=APPROVERS,
    ),
    "assessment:make_award": Expect(
        405, kwargs=lambda w: {"winner_id": w.assessment_winner.pk}, post=(*RUNNERS, *APPROVERS)
    ),
}

__all__ = ["ROUTES", "Expect"]
