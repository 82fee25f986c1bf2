"""``thrive restore FILE``: put back the database and uploaded files of a ``thrive backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.core.backup import VENDOR_NAMES, BackupError
from thrive.core.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `thrive backup`. The archive is checked against its manifest "
        "first: a corrupted, truncated or partial archive, or a backup of the other database "
        "vendor, is refused and nothing is changed. Stop the web processes and the task worker "
        "first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `thrive backup` wrote.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds tables, and uploaded files already there.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        try:
            manifest = restore_backup(
                archive_path=options["archive"], force=options["force"], progress=self._progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        vendor = VENDOR_NAMES[manifest["database"]["vendor"]]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made at {manifest['created_at']} by Thrive "
                f"{manifest['thrive_version']}: the {vendor} database and "
                f"{manifest['files']['count']:,} uploaded files."
            )
        )

    def _progress(self, line: str) -> None:
        if self.verbosity:
            self.stdout.write(line)
            self.stdout.flush()
