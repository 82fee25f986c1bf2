"""What each kind of user gets from the monitoring pages."""

from __future__ import annotations

from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    STAFF_ROLES,
    Expect,
    only,
)

PROVIDERS = (PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER)
MEMBERS = (PROVIDER_ADMIN, PROVIDER_MEMBER)
READERS = ("commissioner", "finance_officer", "strategy_group", "council_admin", "system_admin")


def prepare(world: Any) -> None:
    """An active award of the commissioner's directorate with its plan, one return submitted."""
    from thrive.monitoring import services
    from thrive.monitoring.tests.factories import (
        ReturnAttachmentFactory,
        award_with_plan,
        fill,
    )

    council = world.users["commissioner"].council
    _award, plan = award_with_plan(
        organisation=world.organisation,
        council=council,
        directorate=world.directorate,
        amount_pence=30_000_00,
    )
    due, submitted = list(plan.returns.order_by("due_date")[:2])
    services.submit_return(monitoring_return=fill(submitted), actor=None)
    world.monitoring_plan = plan
    world.due_return = due
    world.submitted_return = submitted
    world.return_attachment = ReturnAttachmentFactory(monitoring_return=submitted)
    world.monitoring_tier = plan.tier


def _due(world: Any) -> dict[str, int]:
    return {"return_id": world.due_return.pk}


def _submitted(world: Any) -> dict[str, int]:
    return {"return_id": world.submitted_return.pk}


def _plan(world: Any) -> dict[str, int]:
    return {"plan_id": world.monitoring_plan.pk}


ROUTES = {
    "monitoring:overview": only(*READERS),
    "monitoring:returns": only(*READERS),
    "monitoring:returns_export": only(*READERS),
    "monitoring:provider": only(*PROVIDERS),
    "monitoring:return": only(*MEMBERS, *READERS, kwargs=_submitted),
    "monitoring:return_edit": only(*MEMBERS, kwargs=_due, post=AS_GET),
    "monitoring:return_upload": Expect(405, kwargs=_due, post=MEMBERS),
    "monitoring:return_attachment": only(
        *MEMBERS,
        *READERS,
        kwargs=lambda w: {**_submitted(w), "attachment_id": w.return_attachment.pk},
    ),
    "monitoring:return_decide": only("commissioner", kwargs=_submitted, post=AS_GET),
    "monitoring:return_rate": only("commissioner", kwargs=_submitted, post=AS_GET),
    "monitoring:plan": only(*MEMBERS, *READERS, kwargs=_plan),
    "monitoring:visit_add": only("commissioner", kwargs=_plan, post=AS_GET),
    "monitoring:tiers": only(*STAFF_ROLES),
    "monitoring:tier_add": only("council_admin", post=AS_GET),
    "monitoring:tier_edit": only(
        "council_admin", kwargs=lambda w: {"tier_id": w.monitoring_tier.pk}, post=AS_GET
    ),
    "monitoring:settings": only("council_admin", post=AS_GET),
    "monitoring:lead_funders": only(
        "commissioner", "finance_officer", "strategy_group", "council_admin"
    ),
    "monitoring:lead_funders_export": only(
        "commissioner", "finance_officer", "strategy_group", "council_admin"
    ),
    "monitoring:lead_appoint": only(
        "strategy_group",
        "council_admin",
        kwargs=lambda w: {"organisation_id": w.organisation.pk},
        shared=True,  # the register is shared; each council appoints for its own grants
        post=AS_GET,
    ),
}

__all__ = ["ROUTES", "Expect"]
