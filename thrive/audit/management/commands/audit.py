"""``thrive audit verify``: check the audit log's hash chains."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thrive.audit.models import AuditEvent
from thrive.audit.services import ChainReport, iter_chain_problems

CHECKED = (
    "each event's hash over its content, its link to the event before it in its chain, "
    "no gap in any chain and each chain's last event matching its recorded head"
)


class Command(BaseCommand):
    help = "Work with the audit log. 'verify' checks every event's hash and every chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check the hash chains; exit 1 naming the first bad event.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEvent.objects.count()
        report = ChainReport()
        checked = 0
        with tqdm(
            total=total, unit="event", disable=options["verbosity"] < 1 or total < 5000
        ) as bar:
            for item in iter_chain_problems(report=report):
                bar.update(item - checked)
                checked = item
        if report.problem is not None:
            raise CommandError(
                f"{report.problem.describe()}. "
                f"{report.problem.intact_before} events before it are intact."
            )
        chains = len(report.chains)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events verified in {chains} "
                f"chain{'s' if chains != 1 else ''}: {CHECKED}."
            )
        )
        for chain, (length, last) in sorted(report.chains.items()):
            self.stdout.write(f"  chain {chain}: {length} events, last hash {last}")
