"""Seed each council's outcomes framework, directorates, areas, groups, pots and budgets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from thrive.accounts import services as account_services
from thrive.accounts.models import Role, RoleAssignment, User
from thrive.core.reference import ensure_beneficiary_groups, ensure_county_areas
from thrive.core.seeding import SeedContext
from thrive.strategy import services
from thrive.strategy.defaults import ensure_default_framework, ensure_default_thresholds
from thrive.strategy.models import ActionStatus, Directorate, FinancialYear, PlanAction, PotKind

DIRECTORATE_BUDGETS_POUNDS = {
    "adults": (400_000, 900_000),
    "children": (300_000, 700_000),
    "environment": (100_000, 300_000),
    "public-health": (150_000, 400_000),
    "corporate": (50_000, 150_000),
}


def seed(ctx: SeedContext) -> None:
    ctx.data["beneficiary_groups"] = ensure_beneficiary_groups()
    ctx.data["areas"] = {}
    ctx.data["outcomes"] = {}
    ensure_default_thresholds()
    for council in ctx.data["councils"]:
        ctx.data["areas"][council.pk] = ensure_county_areas(council)
        ctx.data["outcomes"][council.pk] = ensure_default_framework(council)
    _place_commissioners(ctx)
    ctx.data["pots"] = {}
    for council in ctx.data["councils"]:
        ctx.data["pots"][council.pk] = _pots(ctx, council)
    seed_action_plans(ctx)


def _place_commissioners(ctx: SeedContext) -> None:
    """Tie each demo commissioner to a directorate of their council."""

    for council in ctx.data["councils"]:
        directorate = Directorate.objects.filter(council=council, code="adults").first()
        RoleAssignment.objects.filter(
            council=council, role=Role.COMMISSIONER, directorate__isnull=True
        ).update(directorate=directorate)
        _commission_every_directorate(ctx, council)


def _commission_every_directorate(ctx: SeedContext, council: Any) -> None:
    """Give each directorate without one a demo commissioner, so that whatever a directorate
    leads (monitoring plans, intentions, decisions) has someone to act on it in the demo."""

    first = (
        RoleAssignment.objects.filter(council=council, role=Role.COMMISSIONER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if first is None:
        return
    demo = ctx.data.setdefault("demo_users", [])
    at = next((i + 1 for i, (name, _) in enumerate(demo) if name == first.user.username), len(demo))
    staffed = RoleAssignment.objects.filter(
        role=Role.COMMISSIONER, directorate__isnull=False
    ).values("directorate")
    for directorate in (
        Directorate.objects.filter(council=council).exclude(pk__in=staffed).order_by("pk")
    ):
        username = f"{first.user.username}-{directorate.code}"
        user = User.objects.create(
            username=username,
            email=f"{username}@{council.slug}.example.gov.uk",
            first_name=ctx.fake.first_name(),
            last_name=ctx.fake.last_name(),
            council=council,
            password=ctx.data.get("demo_password_hash", ""),
        )
        account_services.grant_role(user=user, role=Role.COMMISSIONER, directorate=directorate)
        demo.insert(at, (username, f"Commissioner, {directorate.name}, {council.name}"))
        at += 1


def _finance_officer(council: Any) -> Any:

    return (
        User.objects.filter(council=council, role_assignments__role=Role.FINANCE_OFFICER)
        .order_by("pk")
        .first()
    )


def _pots(ctx: SeedContext, council: Any) -> list[Any]:
    """Pots for each financial year of the scale: one per directorate, a ring-fenced corporate
    pot, the §2.4 merged "developing local communities" pot and a pooled budget (§5.3)."""

    actor = _finance_officer(council)
    directorates = {d.code: d for d in Directorate.objects.filter(council=council)}
    current = FinancialYear.start_year_for(ctx.now.date())
    pots = []
    # Budgets are set for the next two years too, so that a three-year agreement starting now
    # can commit each year's part against that year's pot; nothing is committed from them yet.
    for start_year in range(current - ctx.scale.years + 1, current + 3):
        year = services.get_financial_year(start_year=start_year)
        for code, (low, high) in DIRECTORATE_BUDGETS_POUNDS.items():
            pots.append(
                services.create_pot(
                    council=council,
                    name=f"{directorates[code].name} Third Sector fund",
                    kind=PotKind.DIRECTORATE,
                    directorate=directorates[code],
                    financial_year=year,
                    budget_pence=ctx.rng.randint(low, high) * 100,
                    actor=actor,
                )
            )
        pots.append(
            services.create_pot(
                council=council,
                name="Corporate infrastructure support (ring-fenced)",
                kind=PotKind.RING_FENCED,
                directorate=directorates["corporate"],
                financial_year=year,
                budget_pence=ctx.rng.randint(150_000, 250_000) * 100,
                description="Services by the Third Sector on which all directorates rely (§2.4).",
                actor=actor,
            )
        )
        pots.append(_merged_pot(ctx, council, year, directorates, actor))
        pots.append(_pooled_pot(ctx, council, year, directorates, actor))
        pots.append(_aligned_pot(ctx, council, year, directorates, actor))
    for pot in pots:
        if pot.financial_year.start_year <= current:
            _commit_some(ctx, pot, actor)
    return pots


def _merged_pot(ctx: SeedContext, council: Any, year: Any, directorates: dict, actor: Any) -> Any:

    former = [
        services.create_pot(
            council=council,
            name=name,
            kind=PotKind.DIRECTORATE,
            directorate=directorates["environment"],
            financial_year=year,
            budget_pence=ctx.rng.randint(80_000, 160_000) * 100,
            actor=actor,
        )
        for name in ("Neighbourhood Community Development Centre", "BME Thematic Partnership")
    ]
    return services.merge_pots(
        pots=former,
        name="Developing local communities",
        directorate=directorates["environment"],
        actor=actor,
        reason="The strategy merges the two pots to fund the developing local communities theme "
        "(§2.4).",
    )


def _pooled_pot(ctx: SeedContext, council: Any, year: Any, directorates: dict, actor: Any) -> Any:

    pot = services.create_pot(
        council=council,
        name="Healthy communities pooled budget",
        kind=PotKind.POOLED,
        directorate=directorates["public-health"],
        financial_year=year,
        description="Pooled with the adults' directorate and the local NHS (§5.3).",
        actor=actor,
    )
    for directorate in (directorates["public-health"], directorates["adults"]):
        services.add_contribution(
            pot=pot,
            amount_pence=ctx.rng.randint(50_000, 120_000) * 100,
            directorate=directorate,
            actor=actor,
        )
    services.add_contribution(
        pot=pot,
        amount_pence=ctx.rng.randint(50_000, 100_000) * 100,
        partner_name="Westshire NHS Integrated Care Board",
        actor=actor,
    )
    return pot


def _aligned_pot(ctx: SeedContext, council: Any, year: Any, directorates: dict, actor: Any) -> Any:

    pot = services.create_pot(
        council=council,
        name="Early help aligned budget",
        kind=PotKind.ALIGNED,
        directorate=directorates["children"],
        financial_year=year,
        description="Children's and public health budgets aligned for early help (§5.3).",
        actor=actor,
    )
    for code in ("children", "public-health"):
        services.add_contribution(
            pot=pot,
            amount_pence=ctx.rng.randint(30_000, 80_000) * 100,
            directorate=directorates[code],
            actor=actor,
        )
    return pot


def _commit_some(ctx: SeedContext, pot: Any, actor: Any) -> None:
    """Commit between a third and nine tenths of each pot, in a few commitments."""

    pot.refresh_from_db()
    target = pot.remaining_pence * ctx.rng.randint(33, 90) // 100
    for index in range(ctx.rng.randint(1, 4)):
        amount = min(target, ctx.rng.randint(5_000, 60_000) * 100)
        if amount <= 0:
            break
        services.commit_budget(
            pot=pot,
            amount_pence=amount,
            description=f"{ctx.fake.company()} – grant {index + 1}",
            actor=actor,
        )
        target -= amount


# --- the annual action plan (§5.1) ---------------------------------------------

PLAN_TEMPLATES: list[tuple[str, str, str]] = [
    ("2.1", "Review the outcomes framework with the Third Sector", "Strategy team"),
    ("2.2", "Publish the joint needs assessment summary", "Performance and intelligence"),
    ("2.4", "Agree the corporate ring-fenced pot for infrastructure support", "Finance"),
    ("2.6", "Run a market engagement day for community providers", "Procurement"),
    ("2.7", "Check every new intention records the commissioning method and why", "Procurement"),
    ("2.8", "Move funding agreements to the standard template", "Legal services"),
    ("2.10", "Report agreements shorter than three years and their reasons", "Strategy team"),
    ("3.1", "Publish the Small Grants Scheme guidance and limits", "Community Partnerships"),
    ("3.2", "Reconcile the register of funded organisations with finance records", "Finance"),
    ("4.1", "Shorten the application form for small organisations", "Community Partnerships"),
    ("4.2", "Apply proportionate monitoring tiers to every award", "Commissioning"),
    ("4.3", "Agree lead funders for organisations funded by several directorates", "Commissioning"),
    ("4.4", "Hold tender-writing workshops with the local infrastructure body", "Procurement"),
    ("5", "Hold quarterly meetings of the Corporate Third Sector Group", "Strategy team"),
    ("5.1", "Run the annual NI 7 survey of Third Sector organisations", "Strategy team"),
    ("5.1", "Present the annual report to Cabinet", "Strategy team"),
    ("5.2", "Train commissioners in the strategy's approach", "Organisational development"),
    ("5.3", "Identify budgets to pool with health partners", "Finance"),
]


def seed_action_plans(ctx: SeedContext) -> None:
    """Each council's action plan for every year of the scale, statuses as of today."""

    today = ctx.now.date()
    current = FinancialYear.start_year_for(today)
    per_year = 12 if ctx.scale.name == "demo" else len(PLAN_TEMPLATES)
    rows = []
    for council in ctx.data["councils"]:
        staff = list(User.objects.filter(council=council).order_by("pk"))
        for start_year in range(current - ctx.scale.years + 1, current + 1):
            year = services.get_financial_year(start_year=start_year)
            for index, (section, title, team) in enumerate(
                ctx.rng.sample(PLAN_TEMPLATES, per_year)
            ):
                due = year.starts_on + timedelta(days=20 + index * 340 // per_year)
                if due < today:
                    status = ctx.rng.choices(
                        [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED],
                        [80, 15, 5],
                    )[0]
                else:
                    status = ctx.rng.choices(
                        [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED],
                        [10, 40, 50],
                    )[0]
                note = ""
                if status == ActionStatus.IN_PROGRESS:
                    note = "Under way; update at the next Corporate Third Sector Group."
                elif status == ActionStatus.DONE:
                    note = "Completed and reported to the group."
                rows.append(
                    PlanAction(
                        council=council,
                        financial_year=year,
                        title=title,
                        section=section,
                        owner=ctx.rng.choice(staff) if staff and ctx.rng.random() < 0.7 else None,
                        owner_team=team,
                        due_date=due,
                        status=status,
                        progress_note=note,
                        completed_on=min(due, today) if status == ActionStatus.DONE else None,
                    )
                )
    PlanAction.objects.bulk_create(rows, batch_size=1000)
