"""What each kind of user gets from the award pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    Expect,
    only,
)

READERS = (
    "commissioner",
    "procurement_officer",
    "finance_officer",
    "strategy_group",
    "council_admin",
    "system_admin",
)
EDITORS = ("commissioner", "council_admin", "system_admin")


def prepare(world: Any) -> None:
    """A draft, an offered and an active award of the commissioner's directorate for the
    world's organisation; the active one has a change waiting for a decision."""
    from django.utils import timezone

    from thrive.awards.models import AwardKind, AwardStatus
    from thrive.awards.services import create_award, request_variation

    commissioner = world.users["commissioner"]
    today = timezone.localdate()

    def make(status: str, title: str) -> Any:
        return create_award(
            organisation=world.organisation,
            council=commissioner.council,
            directorate=world.directorate,
            kind=AwardKind.FUNDING_AGREEMENT,
            title=title,
            amount_pence=3_000_000,
            start_date=today - timedelta(days=30),
            end_date=date(today.year + 3, today.month, 1),
            actor=commissioner,
            status=status,
        )

    world.award_draft = make(AwardStatus.DRAFT, "Befriending draft")
    world.award_offered = make(AwardStatus.OFFERED, "Befriending offered")
    world.award_active = make(AwardStatus.ACTIVE, "Befriending active")
    world.variation = request_variation(
        award=world.award_active,
        actor=commissioner,
        kind="value",
        new_amount_pence=3_100_000,
        reason="More sessions",
    )


def _ref(name: str) -> Any:
    return lambda w: {"reference": getattr(w, name).reference}


ROUTES = {
    "awards:register": only(*READERS),
    "awards:export": only(*READERS),
    "awards:yours": only(PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER),
    "awards:yours_detail": only(
        PROVIDER_ADMIN, PROVIDER_MEMBER, kwargs=_ref("award_offered"), post=AS_GET
    ),
    "awards:detail": only(*READERS, kwargs=_ref("award_draft")),
    "awards:edit": only(*EDITORS, kwargs=_ref("award_draft"), post=AS_GET),
    "awards:targets": only(*EDITORS, kwargs=_ref("award_draft"), post=AS_GET),
    "awards:schedule": only(*EDITORS, kwargs=_ref("award_draft"), post=AS_GET),
    "awards:social_value": only(*EDITORS, kwargs=_ref("award_draft"), post=AS_GET),
    "awards:offer": only(*EDITORS, kwargs=_ref("award_draft"), post=AS_GET),
    "awards:letter": only(*READERS, PROVIDER_ADMIN, PROVIDER_MEMBER, kwargs=_ref("award_offered")),
    "awards:letter_pdf": only(
        *READERS, PROVIDER_ADMIN, PROVIDER_MEMBER, kwargs=_ref("award_offered")
    ),
    "awards:pay": only(
        "finance_officer",
        kwargs=lambda w: {"reference": w.award_active.reference, "number": 1},
        post=AS_GET,
    ),
    "awards:vary": only("finance_officer", *EDITORS, kwargs=_ref("award_active"), post=AS_GET),
    "awards:decide": only(
        "finance_officer",
        "council_admin",
        kwargs=lambda w: {"reference": w.award_active.reference, "variation_id": w.variation.pk},
        post=AS_GET,
    ),
}

__all__ = ["ROUTES", "Expect"]
