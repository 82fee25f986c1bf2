"""``thrive seed``: load deterministic demo or benchmark data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from thrive.accounts.models import User
from thrive.accounts.seed import DEMO_TWO_FACTOR_KEY, DEMO_TWO_FACTOR_USERS, describe_demo_users
from thrive.core.db import analyze
from thrive.core.seeding import DEMO_PASSWORD, SCALES, SeedContext, run_seed


class Command(BaseCommand):
    help = "Load demo data: councils, demo users for every role, organisations and their history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--random-seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has users."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even in production mode (demo passwords are public: do not).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError("Refusing to load demo data with THRIVE_ENV=production.")
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data; not seeding.")
                self._print_sign_ins(describe_demo_users())
                return
            raise CommandError("The database already has data. Seed an empty database.")
        ctx = SeedContext(
            scale=SCALES[options["scale"]],
            random_seed=options["random_seed"],
            show_progress=options["verbosity"] >= 1,
            out=self.stdout,
        )
        with transaction.atomic():
            run_seed(ctx)
        analyze()  # every table it filled: the planner's statistics, whatever autovacuum does
        self.stdout.write(self.style.SUCCESS(f"Seeded the {ctx.scale.name} data set."))
        self._print_sign_ins(ctx.data.get("demo_users", []))

    def _print_sign_ins(self, users: list[tuple[str, str]]) -> None:
        if not users:
            return
        self.stdout.write(f"Demo sign-ins at {settings.THRIVE_SITE_URL}/accounts/login/")
        self.stdout.write(f"(password for all: {DEMO_PASSWORD}):")
        for username, description in users:
            self.stdout.write(f"  {username:<14} {description}")
        self.stdout.write(
            f"{' and '.join(DEMO_TWO_FACTOR_USERS)} also enter a code from an authenticator app "
            f"set up with the key {DEMO_TWO_FACTOR_KEY}."
        )
