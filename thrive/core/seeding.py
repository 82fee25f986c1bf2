"""Deterministic demo and test data. Each app adds its records in ``<app>/seed.py``.

``thrive seed --scale demo|county|large --random-seed N`` calls every registered seeder's
``seed(ctx)`` in order; later ones read what earlier ones made from ``ctx``. Each app
registers its seeder from its ``AppConfig.ready()`` as a dotted module path (loaded only
when seeding runs, so start-up stays light)::

    seeding.register("thrive.awards.seed", order=50)
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone

T = TypeVar("T")

_SEEDERS: dict[str, int] = {}


def register(module: str, *, order: int) -> None:
    """Run ``module.seed(ctx)`` when seeding, after every seeder of a lower ``order``."""
    _SEEDERS[module] = order


def seeders() -> list[str]:
    """The registered seeder modules, in the order they run."""
    return sorted(_SEEDERS, key=lambda module: (_SEEDERS[module], module))


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
        from faker import Faker  # lazy: start-up (only seeding and tests make fake data)

        self.rng = random.Random(self.random_seed)  # noqa: S311 - demo data, not security  # nosec B311
        self.fake = Faker("en_GB")
        self.fake.seed_instance(self.random_seed)

    def progress(self, iterable: Iterable[T], *, total: int, desc: str) -> Iterator[T]:
        """Wrap long loops in a progress bar (hidden for small or quiet runs)."""
        from tqdm import tqdm  # lazy: start-up (only long runs show progress)

        return iter(
            tqdm(iterable, total=total, desc=desc, unit="row", disable=not self.show_progress)
        )

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)


def run_seed(ctx: SeedContext) -> SeedContext:
    """Run every registered seeder in order."""
    for name in seeders():
        importlib.import_module(name).seed(ctx)
    return ctx


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
