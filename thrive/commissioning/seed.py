"""Seed needs with evidence and scores, intentions at every stage, consultations, soft market
testing, decommissioning notices and a joint intention, for each council."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from thrive.accounts.models import Membership, Role, User
from thrive.awards.models import Award, AwardStatus
from thrive.commissioning.models import (
    ConsultationResponse,
    Direction,
    EvidenceSource,
    Impact,
    PriorityFactor,
    ServiceType,
    SoftMarketResponse,
)
from thrive.commissioning.services import equality, involvement, notices
from thrive.commissioning.services import intentions as intention_services
from thrive.commissioning.services import method as method_services
from thrive.commissioning.services import needs as need_services
from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.seeding import SeedContext
from thrive.strategy.models import Directorate, Outcome

NEED_TOPICS = [
    ("Isolation of older people in rural villages", "older-people", "PO3"),
    ("Young people not in education, employment or training", "young-people", "PO2"),
    ("Carers without breaks", "carers", "PO3"),
    ("Food poverty in market towns", "low-income", "DLC5"),
    ("Domestic abuse support in the south of the county", "sex", "DLC3"),
    ("Low volunteering rates", "general-public", "DLC2"),
    ("Mental health support for young men", "mental-health", "PA4"),
    ("Digital exclusion", "older-people", "DLC5"),
    ("Community cohesion after new housing", "race", "DLC4"),
    ("Access to advice on debt and benefits", "low-income", "PA2"),
    ("Transport to health appointments", "disability", "PA4"),
    ("Green spaces left unused", "general-public", "PO1"),
]
SCALE_COUNTS = {
    "demo": (3, 2),
    "county": (8, 6),
    "large": (20, 15),
}  # needs, intentions a directorate


def seed(ctx: SeedContext) -> None:
    for council in ctx.data["councils"]:
        commissioner = _commissioner(council)
        needs = _needs(ctx, council, commissioner)
        intentions = _intentions(ctx, council, commissioner, needs)
        _consultations(ctx, council, commissioner, intentions)
        _market_tests(ctx, intentions, commissioner)
        _decommissioning(ctx, council, commissioner)


def _commissioner(council: Any) -> Any:
    return (
        User.objects.filter(council=council, role_assignments__role=Role.COMMISSIONER)
        .order_by("pk")
        .first()
    )


def _needs(ctx: SeedContext, council: Any, actor: Any) -> list[Any]:
    per_directorate = SCALE_COUNTS.get(ctx.scale.name, SCALE_COUNTS["demo"])[0]
    areas = list(Area.objects.filter(council=council))
    groups = {g.code: g for g in BeneficiaryGroup.objects.all()}
    outcomes = {o.code: o for o in Outcome.objects.filter(council=council)}
    created = []
    for directorate in Directorate.objects.filter(council=council).order_by("code"):
        for index in range(per_directorate):
            title, group, code = NEED_TOPICS[(index + directorate.pk) % len(NEED_TOPICS)]
            need = need_services.record_need(
                council=council,
                directorate=directorate,
                title=f"{title} ({directorate.name}, {index + 1})",
                description=ctx.fake.paragraph(nb_sentences=3),
                area=ctx.rng.choice(areas),
                outcomes=[outcomes[code]],
                groups=[groups[group]],
                actor=actor,
            )
            for _ in range(ctx.rng.randint(1, 3)):
                need_services.add_evidence(
                    need=need,
                    source=ctx.rng.choice(EvidenceSource.values),
                    title=ctx.fake.catch_phrase(),
                    summary=ctx.fake.sentence(),
                    url=f"https://data.example.gov.uk/{ctx.fake.slug()}",
                    actor=actor,
                )
            statutory = ctx.rng.random() < 0.2
            need_services.score_need(
                need=need,
                scores={f: ctx.rng.randint(0, 3) for f in PriorityFactor.values},
                notes={f: ctx.fake.sentence() for f in PriorityFactor.values},
                statutory=statutory,
                statutory_basis="Care Act 2014, s.2" if statutory else "",
                actor=actor,
            )
            created.append(need)
    return created


def _intentions(ctx: SeedContext, council: Any, actor: Any, needs: list[Any]) -> list[Any]:
    per_directorate = SCALE_COUNTS.get(ctx.scale.name, SCALE_COUNTS["demo"])[1]
    created = []
    directorates = Directorate.objects.filter(council=council).order_by("code")
    for position, directorate in enumerate(directorates):
        own = [n for n in needs if n.directorate_id == directorate.pk]
        for index in range(per_directorate):
            chosen = ctx.rng.sample(own, k=min(len(own), 2))
            intention = intention_services.create_intention(
                council=council,
                directorate=directorate,
                title=f"{chosen[0].title.split(' (')[0]}: commissioning for {index + 1}",
                summary=ctx.fake.paragraph(nb_sentences=2),
                direction=ctx.rng.choice(
                    [Direction.NEW, Direction.REFOCUSED, Direction.CONTINUING]
                ),
                outcomes=sorted({o for n in chosen for o in n.outcomes.all()}, key=lambda o: o.pk),
                needs=chosen,
                actor=actor,
            )
            _advance(ctx, intention, actor, stage=(position + index) % 5)
            created.append(intention)
    return created


def _advance(ctx: SeedContext, intention: Any, actor: Any, stage: int) -> None:
    """Take an intention through its steps: 0 draft … 3 approved, 4 published."""
    if stage == 0:
        return
    _write(ctx, intention, actor)
    if stage < 2:
        return
    answers = {"track_record": True, "local_knowledge": True, "vulnerable_groups": True}
    if intention.budget_pence > 50_000_000:
        answers = {"contestable": True, "clearly_defined": True}
    decision = method_services.run_advisor(
        intention=intention, answers=answers, service_type=ServiceType.SOCIAL, actor=actor
    )
    method_services.confirm_method(
        decision=decision,
        method=decision.recommended_method,
        route=decision.recommended_route,
        regime=decision.recommended_regime,
        reason="",
        actor=actor,
    )
    agreed = _agree(decision) if decision.needs_agreement else True
    if stage < 3 or not agreed:
        return
    intention.refresh_from_db()
    intention_services.approve_intention(intention=intention, actor=actor)
    if stage == 4:
        intention_services.publish_intention(intention=intention, actor=actor)


def _write(ctx: SeedContext, intention: Any, actor: Any) -> None:
    """Write the specification, the funding and a complete equality impact assessment."""
    today = ctx.now.date()
    start = today.replace(day=1) + timedelta(days=200)
    intention_services.update_specification(
        intention=intention,
        fields={
            "aims": ctx.fake.sentence(),
            "outcomes_sought": ctx.fake.sentence(),
            "target_group": ctx.fake.sentence(),
            "activities": ctx.fake.paragraph(),
            "monitoring": "Quarterly light-touch returns, proportionate to the value (§4.2).",
            "quality_standards": "Safeguarding policy; volunteer training; accessible venues.",
        },
        groups=list(intention.needs.first().groups.all()) if intention.needs.exists() else [],
        areas=[],
        actor=actor,
    )
    intention_services.update_funding(
        intention=intention,
        budget_pence=ctx.rng.choice([400_000, 4_500_000, 12_000_000, 75_000_000]),
        pot=None,
        service_start=start,
        service_end=start.replace(year=start.year + 3) - timedelta(days=1),
        procurement_start=today,
        short_term_justification="",
        actor=actor,
    )
    impacts = {
        g.pk: {"impact": ctx.rng.choice([Impact.POSITIVE, Impact.NEUTRAL])}
        for g in equality.protected_characteristics()
    }
    equality.save_equality_assessment(
        intention=intention,
        impacts=impacts,
        summary=ctx.fake.sentence(),
        complete=True,
        actor=actor,
    )


def _agree(decision: Any) -> bool:
    officer = (
        User.objects.filter(
            council_id=decision.intention.council_id,
            role_assignments__role=Role.PROCUREMENT_OFFICER,
        )
        .order_by("pk")
        .first()
    )
    if officer is None:
        return False
    method_services.agree_route(decision=decision, actor=officer, note="Route agreed.")
    return True


def _consultations(ctx: SeedContext, council: Any, actor: Any, intentions: list[Any]) -> None:
    """An open consultation on draft priorities and a closed one with "you said, we did"."""
    today = ctx.now.date()
    directorate = Directorate.objects.get(council=council, code="adults")
    involvement.open_consultation(
        directorate=directorate,
        title="Draft priorities for adult social care and the Third Sector",
        description=ctx.fake.paragraph(nb_sentences=4),
        opens_on=today - timedelta(days=14),
        actor=actor,
    )
    published = [i for i in intentions if i.published_at]
    if not published:
        return
    closed = involvement.open_consultation(
        directorate=published[0].directorate,
        intention=published[0],
        title=f"Consultation on {published[0].title}",
        description=published[0].summary,
        opens_on=today - timedelta(weeks=16),
        actor=actor,
    )
    members = list(Membership.objects.select_related("organisation").order_by("pk")[:6])
    ConsultationResponse.objects.bulk_create(
        [
            ConsultationResponse(
                consultation=closed,
                organisation=m.organisation,
                respondent=m.user,
                body=ctx.fake.paragraph(),
                submitted_at=ctx.now - timedelta(weeks=10),
            )
            for m in {m.organisation_id: m for m in members}.values()
        ]
    )
    involvement.publish_consultation_summary(
        consultation=closed,
        summary="Respondents supported the outcomes and asked for evening and weekend sessions.",
        you_said_we_did="You said sessions should run outside working hours; we have added "
        "evening and weekend delivery to the specification.",
        actor=actor,
    )


def _market_tests(ctx: SeedContext, intentions: list[Any], actor: Any) -> None:
    candidates = [i for i in intentions if i.status in ("draft", "assessed")][:2]
    members = list(Membership.objects.select_related("organisation").order_by("pk")[:4])
    for intention in candidates:
        test = involvement.start_market_test(
            intention=intention,
            questions="How might these outcomes be delivered?\nIs there a commercial market?",
            closes_on=ctx.now.date() + timedelta(days=21),
            invited=[m.organisation for m in members],
            actor=actor,
        )
        SoftMarketResponse.objects.bulk_create(
            [
                SoftMarketResponse(
                    test=test,
                    organisation=m.organisation,
                    respondent=m.user,
                    answers=[ctx.fake.sentence(), "Not that we know of."],
                    interested=ctx.rng.random() < 0.7,
                )
                for m in {m.organisation_id: m for m in members}.values()
            ]
        )
        involvement.record_market_findings(
            test=test,
            findings="Only Third Sector organisations responded; no commercial provider showed "
            "interest.",
            no_commercial_market=True,
            actor=actor,
        )


def _decommissioning(ctx: SeedContext, council: Any, actor: Any) -> None:
    """A published intention that stops prioritising an outcome, with its notices."""
    directorate = Directorate.objects.get(council=council, code="adults")
    stopped = Outcome.objects.get(council=council, code="DLC6")
    intention = intention_services.create_intention(
        council=council,
        directorate=directorate,
        title="Day opportunities no longer prioritised",
        summary="Building-based day services will no longer be prioritised; funding moves to "
        "community befriending.",
        direction=Direction.DECOMMISSIONING,
        outcomes=[Outcome.objects.get(council=council, code="PO3")],
        stopped_outcomes=[stopped],
        needs=[],
        actor=actor,
    )
    intention_services.update_specification(
        intention=intention,
        fields={"outcomes_sought": "People feel treated with dignity and less isolated."},
        groups=[],
        areas=[],
        actor=actor,
    )
    impacts = {g.pk: {"impact": Impact.NEUTRAL} for g in equality.protected_characteristics()}
    age = next(g for g in equality.protected_characteristics() if g.code == "age")
    impacts[age.pk] = {
        "impact": Impact.NEGATIVE,
        "mitigation": "Each person using a day centre gets a review and a befriender.",
    }
    equality.save_equality_assessment(
        intention=intention, impacts=impacts, summary="", complete=True, actor=actor
    )
    intention.refresh_from_db()
    intention_services.approve_intention(intention=intention, actor=actor)
    intention_services.publish_intention(intention=intention, actor=actor)
    affected = notices.affected_awards(intention=intention)[:3]
    if not affected:
        _fund_for(stopped, directorate)
        affected = notices.affected_awards(intention=intention)[:3]
    if affected:
        notices.send_notices(
            intention=intention,
            awards=affected,
            message="The council will no longer prioritise this service. Please talk to your "
            "commissioner about the transition.",
            late_reason="Seeded demo notice",
            actor=actor,
        )


def _fund_for(outcome: Any, directorate: Any) -> None:
    """Make three of the directorate's running awards the day services the demo stops."""
    running = Award.objects.filter(
        directorate=directorate, status=AwardStatus.ACTIVE, end_date__gte=timezone.localdate()
    ).order_by("end_date", "pk")[:3]
    for award in running:
        award.outcomes.add(outcome)
