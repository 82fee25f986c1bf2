"""Demo councils and a demo user for every role."""

from __future__ import annotations

from base64 import b32decode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts import services
from thrive.accounts.models import Role, User
from thrive.core.seeding import DEMO_PASSWORD, DEMO_USERNAMES, SeedContext

# The demo administrators must use two-factor sign-in, so they come with an authenticator app
# set up with this published key: add it to any authenticator app to sign in as them.
DEMO_TWO_FACTOR_KEY = "THRIVEDEMOKEYFORTWOFACTORSIGNINX"
DEMO_TWO_FACTOR_USERS = ("counciladmin", "sysadmin")

STAFF = [
    ("commissioner", "Commissioner", [Role.COMMISSIONER]),
    ("procurement", "Procurement officer", [Role.PROCUREMENT_OFFICER]),
    ("assessor", "Assessor (panel member)", [Role.ASSESSOR]),
    ("finance", "Finance officer", [Role.FINANCE_OFFICER]),
    ("strategy", "Corporate Third Sector Group", [Role.STRATEGY_GROUP]),
    ("counciladmin", "Council administrator", [Role.COUNCIL_ADMIN]),
]


def seed(ctx: SeedContext) -> None:
    """Create the councils and the demo staff; provider users come with organisations."""
    # The demo councils are fictional, so they carry no org-id: a real authority's code would
    # publish their grants under another council's name. Administrators set the real one.
    council = services.get_or_create_council(name=settings.THRIVE_COUNCIL_NAME)
    neighbour = services.get_or_create_council(name="Eastvale Borough Council")
    password = make_password(DEMO_PASSWORD)
    demo: list[tuple[str, str]] = []
    for username, description, roles in STAFF:
        first, last = ctx.fake.first_name(), ctx.fake.last_name()
        user = User.objects.create(
            username=username,
            email=f"{username}@{council.slug}.example.gov.uk",
            first_name=first,
            last_name=last,
            council=council,
            password=password,
        )
        for role in roles:
            services.grant_role(user=user, role=role)
        demo.append((username, f"{description}, {council.name}"))
    neighbour_user = User.objects.create(
        username="eastvale",
        email=f"commissioner@{neighbour.slug}.example.gov.uk",
        first_name=ctx.fake.first_name(),
        last_name=ctx.fake.last_name(),
        council=neighbour,
        password=password,
    )
    services.grant_role(user=neighbour_user, role=Role.COMMISSIONER)
    demo.append(("eastvale", f"Commissioner, {neighbour.name}"))
    admin = User.objects.create(
        username="sysadmin",
        email="sysadmin@thrive.example.org",
        first_name=ctx.fake.first_name(),
        last_name=ctx.fake.last_name(),
        password=password,
    )
    services.grant_role(user=admin, role=Role.SYSTEM_ADMIN)
    demo.append(("sysadmin", "System administrator (all councils, admin site)"))
    for user in User.objects.filter(username__in=DEMO_TWO_FACTOR_USERS):
        TOTPDevice.objects.create(
            user=user,
            name="Demo authenticator app",
            key=b32decode(DEMO_TWO_FACTOR_KEY).hex(),
            confirmed=True,
        )
    ctx.data.update(
        council=council, councils=[council, neighbour], demo_users=demo, demo_password_hash=password
    )


def describe_demo_users() -> list[tuple[str, str]]:
    """The demo accounts present in the database, each with its roles or organisations."""
    users = (
        User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
        .select_related("council")
        .prefetch_related("role_assignments", "memberships__organisation")
    )
    described = {}
    for user in users:
        roles = [Role(a.role).label for a in user.role_assignments.all()]
        places = [
            f"{'admin' if m.is_admin else 'member'} of {m.organisation.name}"
            for m in user.memberships.all()
        ]
        where = f", {user.council.name}" if user.council_id else ""
        described[user.username] = ", ".join(roles + places) + where
    return [(name, described[name]) for name in DEMO_USERNAMES if name in described]
