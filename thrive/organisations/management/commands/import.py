"""``thrive import organisations|360giving FILE [--dry-run]``: bulk imports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thrive.organisations.importing import COLUMNS, import_organisations


class Command(BaseCommand):
    help = (
        "Import records from a file. 'organisations FILE' imports into the register; "
        "'360giving FILE' imports another funder's published grants."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        organisations = sub.add_parser(
            "organisations",
            help=f"Import organisations from CSV or XLSX with the columns {', '.join(COLUMNS)}.",
        )
        organisations.add_argument("file", help="A .csv or .xlsx file with a header row")
        organisations.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated or held as a duplicate; write nothing.",
        )

        grants = sub.add_parser(
            "360giving", help="Import 360Giving grants from JSON, XLSX or CSV (any funder)."
        )
        grants.add_argument("file", help="A 360Giving .json, .xlsx or .csv file")
        grants.add_argument(
            "--dry-run", action="store_true", help="Check and report the file; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "360giving":
            from thrive.opendata.commands import import_360giving_file

            import_360giving_file(self, options)
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("The file must be a .csv or .xlsx file")
        show = options["verbosity"] >= 1

        def progress(items: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(items, total=total, desc="Checking rows", unit="row", disable=not show)

        result = import_organisations(
            content=path.read_bytes(),
            filename=path.name,
            dry_run=options["dry_run"],
            progress=progress,
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        if result.dry_run:
            for plan in result.plan:
                held = f" (possible duplicate of {', '.join(plan.possible_duplicates)})"
                note = held if plan.action == "hold" else ""
                self.stdout.write(f"row {plan.row}: {plan.action} {plan.fields.get('name')}{note}")
            self.stdout.write(f"Dry run: {result.summary()} Nothing was written.")
            return
        self.stdout.write(self.style.SUCCESS(result.summary()))
