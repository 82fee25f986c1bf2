"""Deterministic demo and test data. Each app adds its records in ``<app>/seed.py``.

``thrive seed --scale demo|county|large --random-seed N`` calls every app's
``seed(ctx)`` in the order below; later apps read what earlier ones made from ``ctx``.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone
from faker import Faker
from tqdm import tqdm

T = TypeVar("T")

SEED_APPS = [
    "thrive.accounts",
    "thrive.strategy",
    "thrive.organisations",
    "thrive.strategy.survey_seed",  # the NI 7 survey's answers come from organisations
    "thrive.awards",
    "thrive.commissioning",
    "thrive.opportunities",
    "thrive.applications",
    "thrive.assessment",
    "thrive.monitoring",
    "thrive.reporting",
    "thrive.opendata",  # other funders' grants and the charity register, through the imports
]

DEMO_PASSWORD = "thrive-demo-password"  # noqa: S105 - printed for the demo, never in production  # nosec B105


@dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    years: int
    provider_users: int


SCALES = {
    "demo": Scale("demo", organisations=60, years=3, provider_users=20),
    "county": Scale("county", organisations=2_000, years=5, provider_users=400),
    "large": Scale("large", organisations=20_000, years=10, provider_users=2_000),
}


@dataclass
class SeedContext:
    scale: Scale
    random_seed: int
    now: datetime = field(default_factory=timezone.now)
    show_progress: bool = True
    out: Any = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.random_seed)  # noqa: S311 - demo data, not security  # nosec B311
        self.fake = Faker("en_GB")
        self.fake.seed_instance(self.random_seed)

    def progress(self, iterable: Iterable[T], *, total: int, desc: str) -> Iterator[T]:
        """Wrap long loops in a progress bar (hidden for small or quiet runs)."""
        return iter(
            tqdm(iterable, total=total, desc=desc, unit="row", disable=not self.show_progress)
        )

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)


def run_seed(ctx: SeedContext) -> SeedContext:
    """Run every app's seeder in order."""
    for app in SEED_APPS:
        module = importlib.import_module(app if app.endswith("_seed") else f"{app}.seed")
        module.seed(ctx)
    return ctx


def describe_demo_users() -> list[tuple[str, str]]:
    """The demo accounts present in the database, each with its roles or organisations."""
    from thrive.accounts.models import Role, User

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


# Each council's first commissioner works in Adult Social Care; each other directorate has
# its own, named after it (``commissioner-children``, ``eastvale-corporate``).
DEMO_DIRECTORATE_CODES = ["children", "environment", "public-health", "corporate"]

DEMO_USERNAMES = [
    "commissioner",
    *(f"commissioner-{code}" for code in DEMO_DIRECTORATE_CODES),
    "procurement",
    "assessor",
    "finance",
    "strategy",
    "counciladmin",
    "eastvale",
    *(f"eastvale-{code}" for code in DEMO_DIRECTORATE_CODES),
    "sysadmin",
    "provider",
    "volunteer",
]
