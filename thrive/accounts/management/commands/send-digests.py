"""``thrive send-digests``: email each person who chose a daily summary their to-do list.

Run it once each morning (cron). It records each summary it sends, so a second run on the
same day sends nothing more; nobody gets an email when nothing is waiting for them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thrive.accounts.services import notifications
from thrive.accounts.services.notifications import DigestResult


class Command(BaseCommand):
    help = "Email each person who chose a daily summary their to-do list, once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("today"):
            try:
                day = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-04-30") from exc
        people = notifications.digest_recipients()
        counts: Counter[DigestResult] = Counter()
        with tqdm(
            total=people.count(),
            unit="person",
            desc="Daily summaries",
            disable=options["verbosity"] < 1,
            file=self.stderr,
        ) as bar:
            for person in people.iterator(chunk_size=500):
                counts[notifications.send_digest(user=person, day=day)] += 1
                bar.update(1)
        sent = counts[DigestResult.SENT]
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent {sent} daily {'summary' if sent == 1 else 'summaries'}; "
                f"{counts[DigestResult.ALREADY_SENT]} already sent that day; "
                f"{counts[DigestResult.NOTHING_WAITING]} with nothing waiting."
            )
        )
