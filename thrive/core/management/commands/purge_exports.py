"""``thrive purge_exports``: remove the files of exports past their expiry; run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thrive.core.export_jobs import purge_expired_exports


class Command(BaseCommand):
    help = "Remove the files of exports made in the background once they have expired."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = purge_expired_exports()
        self.stdout.write(f"Removed {removed} expired export file{'s' if removed != 1 else ''}.")
