"""What each kind of user gets from the commissioning pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    PROVIDER_OTHER,
    only,
    public,
)

READERS = ("commissioner", "strategy_group", "council_admin", "system_admin")
INTENTION_READERS = (*READERS, "procurement_officer")
PROVIDERS = (PROVIDER_ADMIN, PROVIDER_MEMBER, PROVIDER_OTHER)


def prepare(world: Any) -> None:
    """A need, a draft and a published intention, a consultation, a market test and a notice."""
    from django.core.files.base import ContentFile

    from thrive.awards.models import Award, AwardKind
    from thrive.commissioning.models import (
        Consultation,
        DecommissioningNotice,
        EvidenceItem,
        Intention,
        IntentionStatus,
        Need,
        SoftMarketTest,
    )
    from thrive.commissioning.services.method import run_advisor
    from thrive.core.reference import ensure_beneficiary_groups, ensure_county_areas

    commissioner = world.users["commissioner"]
    council = commissioner.council
    ensure_beneficiary_groups()
    area = ensure_county_areas(council)[0]
    today = timezone.localdate()
    world.need = Need.objects.create(
        council=council,
        directorate=world.directorate,
        title="Isolation",
        description="d",
        area=area,
    )
    world.evidence = EvidenceItem.objects.create(
        need=world.need,
        source="statistics",
        title="Survey",
        file=ContentFile(b"%PDF-1.4\n", name="survey.pdf"),
        original_name="survey.pdf",
    )
    world.intention = Intention.objects.create(
        council=council,
        directorate=world.directorate,
        reference="CI-TEST-0001",
        title="Draft",
        summary="s",
    )
    world.intention.outcomes.add(world.outcome)
    run_advisor(intention=world.intention, answers={}, service_type="social", actor=commissioner)
    world.published = Intention.objects.create(
        council=council,
        directorate=world.directorate,
        reference="CI-TEST-0002",
        title="Published",
        summary="s",
        status=IntentionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    world.consultation = Consultation.objects.create(
        council=council,
        directorate=world.directorate,
        intention=world.intention,
        title="Draft priorities",
        description="d",
        opens_on=today,
        closes_on=today + timedelta(weeks=12),
    )
    world.market_test = SoftMarketTest.objects.create(
        intention=world.intention, questions="How?", closes_on=today + timedelta(days=30)
    )
    award = Award.objects.create(
        organisation=world.organisation,
        council=council,
        directorate=world.directorate,
        kind=AwardKind.FUNDING_AGREEMENT,
        title="Befriending",
        amount_pence=100_000,
        start_date=today - timedelta(days=365),
        end_date=today + timedelta(days=365),
    )
    world.notice = DecommissioningNotice.objects.create(
        intention=world.published,
        award=award,
        organisation=world.organisation,
        message="m",
        funding_ends_on=award.end_date,
        notice_due_by=award.end_date - timedelta(days=90),
    )


def _intention(world: Any) -> dict[str, int]:
    return {"intention_id": world.intention.pk}


def _manage(name: str) -> tuple[str, Any]:
    return name, only("commissioner", kwargs=_intention, post=AS_GET)


ROUTES = {
    "commissioning:needs": only(*READERS),
    "commissioning:need_add": only("commissioner", post=AS_GET),
    "commissioning:need_detail": only(*READERS, kwargs=lambda w: {"need_id": w.need.pk}),
    "commissioning:need_evidence_file": only(
        *READERS, kwargs=lambda w: {"need_id": w.need.pk, "item_id": w.evidence.pk}
    ),
    **{
        f"commissioning:{name}": only(
            "commissioner", kwargs=lambda w: {"need_id": w.need.pk}, post=AS_GET
        )
        for name in ("need_edit", "need_evidence", "need_score")
    },
    "commissioning:settings": only("council_admin", "system_admin", post=AS_GET),
    "commissioning:intentions": only(*INTENTION_READERS),
    "commissioning:intention_add": only("commissioner", post=AS_GET),
    "commissioning:intention_combine": only(
        "commissioner", "strategy_group", "council_admin", post=AS_GET
    ),
    "commissioning:intention_detail": only(*INTENTION_READERS, kwargs=_intention),
    "commissioning:intention_market": only(*INTENTION_READERS, kwargs=_intention),
    "commissioning:intention_method_agree": only(
        "procurement_officer", kwargs=_intention, post=AS_GET
    ),
    **dict(
        _manage(f"commissioning:{name}")
        for name in (
            "intention_basics",
            "intention_specification",
            "intention_funding",
            "intention_eqia",
            "intention_method",
            "intention_method_confirm",
            "intention_approve",
            "intention_publish",
            "intention_commissioned",
            "intention_withdraw",
            "intention_notices",
            "intention_consultation",
            "market_test_add",
        )
    ),
    "commissioning:consultation_add": only("commissioner", post=AS_GET),
    "commissioning:consultation_detail": only(
        *INTENTION_READERS, kwargs=lambda w: {"consultation_id": w.consultation.pk}
    ),
    "commissioning:market_test_detail": only(
        *INTENTION_READERS, kwargs=lambda w: {"test_id": w.market_test.pk}, post=("commissioner",)
    ),
    "commissioning:public_intentions": public(),
    "commissioning:intentions_feed": public(),
    "commissioning:public_intention": public(
        kwargs=lambda w: {"reference": w.published.reference}, shared=True
    ),
    "commissioning:consultations": public(),
    "commissioning:consultation_public": public(
        kwargs=lambda w: {"consultation_id": w.consultation.pk}, shared=True
    ),
    "commissioning:consultation_respond": only(
        *PROVIDERS, kwargs=lambda w: {"consultation_id": w.consultation.pk}, post=AS_GET
    ),
    "commissioning:market_tests": only(*PROVIDERS),
    "commissioning:market_test_respond": only(
        *PROVIDERS, kwargs=lambda w: {"test_id": w.market_test.pk}, post=AS_GET
    ),
    "commissioning:notices": only(*PROVIDERS),
    "commissioning:notice": only(
        PROVIDER_ADMIN, PROVIDER_MEMBER, kwargs=lambda w: {"notice_id": w.notice.pk}
    ),
}
