"""``thrive audit verify``: check the audit log's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thrive.audit.models import AuditEvent
from thrive.audit.services import ChainProblem, iter_chain_problems


class Command(BaseCommand):
    help = "Work with the audit log. 'verify' checks every event's hash and the chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check the hash chain; exit 1 naming the first bad event.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEvent.objects.count()
        checked = 0
        with tqdm(
            total=total, unit="event", disable=options["verbosity"] < 1 or total < 5000
        ) as bar:
            for item in iter_chain_problems():
                if isinstance(item, ChainProblem):
                    ident = f" (id {item.event_id})" if item.event_id else ""
                    raise CommandError(
                        f"Audit chain broken at event #{item.sequence}{ident}: {item.message}. "
                        f"{item.intact_before} events before it are intact."
                    )
                bar.update(item - checked)
                checked = item
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
