"""``thrive user export|anonymise|reset-two-factor USERNAME``.

Subject access and erasure (UK GDPR), and clearing the two-factor sign-in of someone who lost
their phone when no administrator can do it on the staff pages (a system administrator).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from thrive.accounts import selectors, services
from thrive.accounts.models import User
from thrive.accounts.services import two_factor


class Command(BaseCommand):
    help = "Export a person's data as JSON, erase it by anonymisation, or reset two-factor."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Print everything held about USERNAME as JSON.")
        export.add_argument("username")
        erase = sub.add_parser("anonymise", help="Erase USERNAME's name and contact details.")
        erase.add_argument("username")
        erase.add_argument("--reason", required=True)
        reset = sub.add_parser(
            "reset-two-factor", help="Remove USERNAME's authenticator app and backup codes."
        )
        reset.add_argument("username")
        reset.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        if options["subcommand"] == "export":
            data = selectors.personal_data(user=user)
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        try:
            if options["subcommand"] == "reset-two-factor":
                two_factor.reset_for(user=user, actor=None, reason=options["reason"])
                self.stdout.write(f"Two-factor sign-in of user #{user.pk} reset.")
                return
            services.anonymise_user(user=user, actor=None, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Personal data of user #{user.pk} erased.")
