"""``thrive monitoring remind``: reminders before returns fall due, escalation when overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.monitoring import services


class Command(BaseCommand):
    help = "Monitoring jobs. 'remind' sends due reminders and escalations; run it daily."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="Send reminders and escalations, once each.")
        remind.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-04-30") from exc
        counts = services.send_due_notices(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent {counts['reminder']} reminder(s) and {counts['escalation']} escalation(s)."
            )
        )
