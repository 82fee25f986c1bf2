"""``thrive token create|list|revoke``: personal API tokens from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.accounts import services
from thrive.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create a token for USERNAME and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="Command-line token")
        listing = sub.add_parser("list", help="List USERNAME's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by the prefix that list shows.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["subcommand"]
        if sub == "revoke":
            self._revoke(options["prefix"])
            return
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        if sub == "create":
            _, secret = services.create_api_token(user=user, name=options["name"])
            self.stdout.write(secret)
            return
        for token in ApiToken.objects.filter(user=user):
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(f"{token.prefix}\t{state}\t{token.created_at:%Y-%m-%d}\t{token.name}")

    def _revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.active().filter(prefix=prefix))
        if not tokens:
            raise CommandError(f"No active token starts with {prefix!r}.")
        for token in tokens:
            services.revoke_api_token(token=token)
        self.stdout.write(f"Revoked {len(tokens)} token(s).")
