"""Demo organisations with identifiers, income, reach and services; members; planted duplicates."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from thrive.accounts.models import Membership, User
from thrive.core.reference import COUNTY_AREAS
from thrive.core.seeding import SeedContext
from thrive.organisations import duplicates
from thrive.organisations.models import (
    Contact,
    Identifier,
    IncomeRecord,
    LegalForm,
    Organisation,
    RecordSource,
    Service,
    TestOutcome,
    normalise_postcode,
    size_band_for,
)

KINDS = [
    "Community Trust",
    "Youth Club",
    "Carers' Network",
    "Food Bank",
    "Credit Union",
    "Community Transport",
    "Arts Collective",
    "Befriending Service",
    "Wildlife Group",
    "Advice Centre",
    "Sports Club",
    "Women's Centre",
    "Men's Shed",
    "Heritage Society",
    "Mental Health Forum",
    "Allotment Society",
    "Disability Forum",
    "Refugee Welcome",
]
SUFFIXES = ["", "", "", " CIO", " CIC", " Ltd", " Association"]
FORMS = [
    (LegalForm.CHARITY, 25),
    (LegalForm.CIO, 25),
    (LegalForm.CHARITABLE_COMPANY, 15),
    (LegalForm.CIC, 10),
    (LegalForm.COOPERATIVE, 4),
    (LegalForm.COMMUNITY_BENEFIT_SOCIETY, 4),
    (LegalForm.HOUSING_ASSOCIATION, 2),
    (LegalForm.UNINCORPORATED, 13),
    (LegalForm.OTHER, 2),
]
SOURCES = [
    (RecordSource.SELF_REGISTERED, 50),
    (RecordSource.STAFF, 20),
    (RecordSource.IMPORTED, 20),
    (RecordSource.OPEN_DATA, 10),
]
SERVICES = [
    "Lunch club",
    "Befriending visits",
    "Debt and benefits advice",
    "Youth sessions",
    "Volunteer training",
    "Community transport",
    "Carers' support group",
    "Food parcels",
    "Walking group",
    "Digital skills drop-in",
]
PLANTED_DUPLICATES = 5
BATCH = 1000


VILLAGES = [
    "Ashby Magna",
    "Little Hadley",
    "Kingsmere",
    "Upper Brook",
    "Netherfield",
    "Oakfield",
    "Marsh Green",
    "Westbury",
    "Hollin Cross",
    "Stanway",
    "Fairholme",
    "Lower Ditton",
]
PLACES = [name for name, _ in COUNTY_AREAS] + VILLAGES


def organisation_name(ctx: SeedContext) -> str:
    place = ctx.rng.choice(PLACES) if ctx.rng.random() < 0.6 else ctx.fake.last_name()
    return f"{place} {ctx.rng.choice(KINDS)}{ctx.rng.choice(SUFFIXES)}"


def _weighted(ctx: SeedContext, choices: list[tuple[Any, int]]) -> Any:
    return ctx.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _postcode(ctx: SeedContext) -> str:
    try:
        return normalise_postcode(ctx.fake.postcode())
    except ValidationError:
        return f"WS{ctx.rng.randint(1, 20)} {ctx.rng.randint(1, 9)}AB"


def _domain(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())[:30] + ".org.uk"


def _new_organisation(ctx: SeedContext, index: int) -> Organisation:
    name = organisation_name(ctx)
    created = ctx.now - timedelta(days=ctx.rng.randint(0, ctx.scale.years * 365))
    org = Organisation(
        name=name,
        legal_form=_weighted(ctx, FORMS),
        description=f"{name} works with people across the county.",
        address_line_1=ctx.fake.street_address(),
        town=ctx.rng.choice(PLACES),
        postcode=_postcode(ctx),
        website=f"https://www.{_domain(name)}" if ctx.rng.random() < 0.7 else "",
        email=f"hello@{_domain(name)}" if ctx.rng.random() < 0.8 else "",
        phone=ctx.fake.phone_number() if ctx.rng.random() < 0.5 else "",
        source=_weighted(ctx, SOURCES),
        directory_opt_in=ctx.rng.random() < 0.3,
        publish_email=ctx.rng.random() < 0.6,
        publish_phone=ctx.rng.random() < 0.3,
        created_at=created,
    )
    _answer_third_sector_test(ctx, org)
    return org


def _answer_third_sector_test(ctx: SeedContext, org: Organisation) -> None:
    roll = ctx.rng.random()
    if roll < 0.2:
        return
    fails = roll > 0.96
    org.independent = "no" if fails else "yes"
    org.independent_evidence = "Trustees are elected by the members."
    org.value_driven = "yes"
    org.value_driven_evidence = "Our charitable objects are set out in our constitution."
    org.reinvests_surpluses = "yes"
    org.reinvests_surpluses_evidence = "Any surplus is reinvested in our work."
    org.third_sector_outcome = TestOutcome.DOES_NOT_MEET if fails else TestOutcome.MEETS
    org.third_sector_recorded_at = org.created_at


# Made-up organisations get numbers no register has issued or will issue for generations,
# in each register's own format so they pass the same checks as real ones:
# - GB-CHC: the Charity Commission numbers charities in order from 1000000 and had reached
#   about 1,210,000 by 2025, some 5,000 a year; 1900000-1999999 is centuries away.
# - GB-COH: Companies House numbers England and Wales companies in order and had reached
#   about 16,500,000 by 2025 (under a million a year); 99000000-99999999 is a century away.
# - GB-MPR: the FCA's mutuals register has issued some 32,000 IP and 9,000 RS numbers
#   since 1852; 990000-999999 will not be reached.
# - GB-SHPE: the Regulator of Social Housing has registered about 1,700 providers under
#   four-digit numbers; five-digit numbers from 90000 are unused.
# A real number in test data could attach a made-up organisation to a real charity's grants
# when open data is imported; ``is_made_up`` lets a test prove none is used.
MADE_UP: dict[str, tuple[tuple[str, ...], int, int]] = {
    "GB-CHC": (("",), 1_900_000, 1_999_999),
    "GB-COH": (("",), 99_000_000, 99_999_999),
    "GB-MPR": (("IP", "RS"), 990_000, 999_999),
    "GB-SHPE": (("L", "LH", "H"), 90_000, 99_999),
}


def made_up_number(scheme: str, index: int) -> str:
    """The ``index``-th number of the scheme's never-issued block (each prefix in turn)."""
    prefixes, first, last = MADE_UP[scheme]
    size = last - first + 1
    if index >= size * len(prefixes):
        raise ValueError(f"only {size * len(prefixes):,} made-up {scheme} numbers")
    return f"{prefixes[index // size]}{first + index % size}"


def is_made_up(org_id: str) -> bool:
    """Whether an org-id is in a made-up block (one that cannot be a real organisation's)."""
    for scheme, (prefixes, first, last) in MADE_UP.items():
        for prefix in prefixes:
            head = f"{scheme}-{prefix}"
            number = org_id[len(head) :]
            if org_id.startswith(head) and number.isdigit():
                return first <= int(number) <= last
    return False


def _identifiers_for(org: Organisation, index: int) -> list[Identifier]:
    charity = ("GB-CHC", made_up_number("GB-CHC", index))
    company = ("GB-COH", made_up_number("GB-COH", index))
    society = ("GB-MPR", made_up_number("GB-MPR", index))
    schemes = {
        LegalForm.CHARITY: [charity],
        LegalForm.CIO: [charity],
        LegalForm.CHARITABLE_COMPANY: [charity, company],
        LegalForm.CIC: [company],
        LegalForm.COOPERATIVE: [society],
        LegalForm.COMMUNITY_BENEFIT_SOCIETY: [society],
        LegalForm.HOUSING_ASSOCIATION: [("GB-SHPE", made_up_number("GB-SHPE", index))],
    }
    return [
        Identifier(organisation=org, scheme=s, value=v, org_id=f"{s}-{v}")
        for s, v in schemes.get(org.legal_form, [])
    ]


def seed(ctx: SeedContext) -> None:
    """Create the register in batches, then provider users, memberships and duplicates."""
    total = ctx.scale.organisations
    batch: list[Organisation] = []
    for index in ctx.progress(range(total), total=total, desc="Organisations"):
        batch.append(_new_organisation(ctx, index))
        if len(batch) >= BATCH:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    organisations = list(Organisation.objects.order_by("pk"))
    ctx.data["organisations"] = organisations
    _details(ctx, organisations)
    _demo_providers(ctx, organisations)
    _provider_users(ctx, organisations[1:])
    _plant_duplicates(ctx, organisations)


def _details(ctx: SeedContext, organisations: list[Organisation]) -> None:
    """Identifiers, income history, areas, groups, services and contacts, in bulk."""
    council = (ctx.data.get("councils") or [None])[0]
    areas = ctx.data.get("areas", {}).get(getattr(council, "pk", None), [])
    groups = ctx.data.get("beneficiary_groups", [])
    outcomes = ctx.data.get("outcomes", {}).get(getattr(council, "pk", None), [])
    rows: dict[str, list[Any]] = {k: [] for k in ["ids", "income", "area", "group", "contact"]}
    services: list[tuple[Service, list[Any]]] = []
    first_year = ctx.now.year - ctx.scale.years
    for index, org in enumerate(
        ctx.progress(organisations, total=len(organisations), desc="Organisation details")
    ):
        rows["ids"] += _identifiers_for(org, index)
        _income(ctx, org, first_year, rows["income"])
        for area in ctx.rng.sample(areas, k=min(len(areas), ctx.rng.randint(1, 3))):
            rows["area"].append(Organisation.areas.through(organisation=org, area=area))
        for group in ctx.rng.sample(groups, k=min(len(groups), ctx.rng.randint(1, 4))):
            rows["group"].append(
                Organisation.beneficiary_groups.through(organisation=org, beneficiarygroup=group)
            )
        if ctx.rng.random() < 0.6:
            name = ctx.fake.name()
            email = f"{name.split()[0].lower()}@{_domain(org.name)}"
            rows["contact"].append(
                Contact(organisation=org, name=name, role="Chair", email=email, is_main=True)
            )
        for title in ctx.rng.sample(SERVICES, k=ctx.rng.randint(0, 2)):
            linked = ctx.rng.sample(outcomes, k=min(len(outcomes), 2)) if outcomes else []
            services.append((Service(organisation=org, name=title), linked))
    Identifier.objects.bulk_create(rows["ids"], batch_size=BATCH)
    IncomeRecord.objects.bulk_create(rows["income"], batch_size=BATCH)
    Organisation.areas.through.objects.bulk_create(rows["area"], batch_size=BATCH)
    Organisation.beneficiary_groups.through.objects.bulk_create(rows["group"], batch_size=BATCH)
    Contact.objects.bulk_create(rows["contact"], batch_size=BATCH)
    Service.objects.bulk_create([s for s, _ in services], batch_size=BATCH)
    Service.outcomes.through.objects.bulk_create(
        [Service.outcomes.through(service=s, outcome=o) for s, linked in services for o in linked],
        batch_size=BATCH,
    )
    Organisation.objects.bulk_update(
        organisations, ["latest_income_pence", "latest_income_year", "size_band"], batch_size=BATCH
    )


def _income(ctx: SeedContext, org: Organisation, first_year: int, out: list[Any]) -> None:
    if ctx.rng.random() < 0.15:
        return
    pounds = min(int(ctx.rng.lognormvariate(11, 1.8)), 40_000_000)
    years = sorted(ctx.rng.sample(range(first_year, ctx.now.year), k=min(3, ctx.scale.years)))
    for year in years:
        pounds = max(0, int(pounds * ctx.rng.uniform(0.85, 1.2)))
        out.append(IncomeRecord(organisation=org, year=year, amount_pence=pounds * 100))
    org.latest_income_pence, org.latest_income_year = pounds * 100, years[-1]
    org.size_band = size_band_for(org.latest_income_pence)


def _demo_providers(ctx: SeedContext, organisations: list[Organisation]) -> None:
    demo_hash = ctx.data.get("demo_password_hash") or make_password(None)
    first = organisations[0]
    provider = User.objects.create(
        username="provider",
        email="provider@example.org",
        password=demo_hash,
        first_name=ctx.fake.first_name(),
        last_name=ctx.fake.last_name(),
    )
    volunteer = User.objects.create(
        username="volunteer",
        email="volunteer@example.org",
        password=demo_hash,
        first_name=ctx.fake.first_name(),
        last_name=ctx.fake.last_name(),
    )
    Membership.objects.create(user=provider, organisation=first, is_admin=True)
    Membership.objects.create(user=volunteer, organisation=first, is_admin=False)
    ctx.data.setdefault("demo_users", []).extend(
        [
            ("provider", f"Organisation admin, {first.name}"),
            ("volunteer", f"Volunteer member, {first.name}"),
        ]
    )


def _provider_users(ctx: SeedContext, organisations: list[Organisation]) -> None:
    unusable = make_password(None)
    count = min(ctx.scale.provider_users, len(organisations))
    users = []
    for index in range(count):
        first, last = ctx.fake.first_name(), ctx.fake.last_name()
        username = f"{first}.{last}.{index}".lower().replace("'", "")
        users.append(
            User(
                username=username,
                email=f"{username}@example.org",
                first_name=first,
                last_name=last,
                password=unusable,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    created = User.objects.filter(username__in=[u.username for u in users]).order_by("pk")
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=org, is_admin=True)
            for user, org in zip(created, organisations, strict=False)
        ],
        batch_size=BATCH,
    )


def _plant_duplicates(ctx: SeedContext, organisations: list[Organisation]) -> None:
    """Register a few organisations twice under a variant name, for the review queue."""
    pool = [o for o in organisations[1:] if o.postcode]
    for original in ctx.rng.sample(pool, k=min(PLANTED_DUPLICATES, len(pool))):
        base = re.sub(r"( CIO| CIC| Ltd| Association)$", "", original.name)
        twin = Organisation.objects.create(
            name=f"The {base} {ctx.rng.choice(['Ltd', 'CIO', 'CIC'])}",
            legal_form=original.legal_form,
            postcode=original.postcode,
            town=original.town,
            source=RecordSource.IMPORTED,
            source_detail="voluntary-sector-directory-2019.csv",
            created_at=ctx.now,
        )
        duplicates.raise_candidates(organisation=twin)
