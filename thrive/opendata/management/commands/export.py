"""``thrive export 360giving|ocds|transparency``: write the published data to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.opendata import publishing, selectors


class Command(BaseCommand):
    help = "Export open data: 360Giving grants (JSON, XLSX or CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        grants = sub.add_parser("360giving", help="The council's grants in 360Giving.")
        grants.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
        grants.add_argument("--output", required=True, help="The file to write")
        grants.add_argument("--council", help="The council's slug (default: the first council)")

    def handle(self, *args: Any, **options: Any) -> None:
        council = selectors.council_for_slug(options.get("council"))
        if council is None:
            raise CommandError(f"No council is called {options.get('council')!r}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No such folder: {output.parent}")
        fmt = options["format"]
        if fmt == "xlsx":
            with output.open("wb") as handle:
                publishing.write_xlsx(council, handle)
        elif fmt == "json":
            with output.open("wb") as handle:
                for chunk in publishing.iter_json(council):
                    handle.write(chunk)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                for chunk in publishing.iter_csv(council):
                    handle.write(chunk)
        count = publishing.grant_awards(council).count()
        self.stdout.write(f"Wrote {count:,} grants of {council.name} to {output} ({fmt}).")
