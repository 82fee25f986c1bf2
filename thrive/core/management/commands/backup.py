"""``thrive backup --output FILE``: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.core.backup import VENDOR_NAMES, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump -Fc, or SQLite's online backup) and the uploaded files, "
        "with a manifest of checksums, to one tar archive (.tar, or .tar.gz to compress). The "
        "service may keep running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="The archive to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        output: Path = options["output"]
        try:
            manifest = create_backup(output=output, progress=self._progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        if files["included"]:
            held = f"{files['count']:,} uploaded files"
        else:
            held = "no uploaded files (they are on the object store, which keeps its own copies)"
        vendor = VENDOR_NAMES[manifest["database"]["vendor"]]
        size = output.stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {vendor} database and {held} to {output} ({size:,.1f} MB)."
            )
        )

    def _progress(self, line: str) -> None:
        if self.verbosity:
            self.stdout.write(line)
            self.stdout.flush()
