"""Demo organisations, their members and the demo provider users."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from thrive.accounts.models import Membership, User
from thrive.core.seeding import SeedContext
from thrive.organisations.models import Organisation

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


def organisation_name(ctx: SeedContext) -> str:
    place = ctx.fake.city() if ctx.rng.random() < 0.6 else ctx.fake.last_name()
    return f"{place} {ctx.rng.choice(KINDS)}{ctx.rng.choice(SUFFIXES)}"


def seed(ctx: SeedContext) -> None:
    """Create organisations in batches, then provider users and their memberships."""
    total = ctx.scale.organisations
    batch: list[Organisation] = []
    for _ in ctx.progress(range(total), total=total, desc="Organisations"):
        batch.append(Organisation(name=organisation_name(ctx)))
        if len(batch) >= 1000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    organisations = list(Organisation.objects.order_by("pk"))
    ctx.data["organisations"] = organisations

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
    _provider_users(ctx, organisations[1:])


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
    User.objects.bulk_create(users, batch_size=1000)
    created = User.objects.filter(username__in=[u.username for u in users]).order_by("pk")
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=org, is_admin=True)
            for user, org in zip(created, organisations, strict=False)
        ],
        batch_size=1000,
    )
