"""``thrive user export|anonymise USERNAME``: subject access and erasure (UK GDPR)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from thrive.accounts import selectors, services
from thrive.accounts.models import User


class Command(BaseCommand):
    help = "Export a person's data as JSON, or erase it by anonymisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Print everything held about USERNAME as JSON.")
        export.add_argument("username")
        erase = sub.add_parser("anonymise", help="Erase USERNAME's name and contact details.")
        erase.add_argument("username")
        erase.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        if options["subcommand"] == "export":
            data = selectors.personal_data(user=user)
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        try:
            services.anonymise_user(user=user, actor=None, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Personal data of user #{user.pk} erased.")
