"""``thrive report annual --year YYYY --output FILE``: the annual report to Cabinet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string

from thrive.core.pdf import html_to_pdf
from thrive.opendata.selectors import council_for_slug
from thrive.reporting import presentation, selectors

FORMATS = {".html": "HTML", ".htm": "HTML", ".pdf": "PDF"}


class Command(BaseCommand):
    help = "Write reports: the annual report to Cabinet as HTML or PDF (by the file's extension)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        annual = sub.add_parser("annual", help="The annual report to Cabinet for a financial year.")
        annual.add_argument(
            "--year",
            type=int,
            required=True,
            help="The financial year's first calendar year (2026 for April 2026 to March 2027)",
        )
        annual.add_argument("--output", required=True, help="The file to write: .html or .pdf")
        annual.add_argument("--council", help="The council's slug (default: the first council)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("Enter a year between 2000 and 2100.")
        output = Path(options["output"])
        fmt = FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise CommandError("The output file must end in .html or .pdf.")
        if not output.parent.is_dir():
            raise CommandError(f"No such folder: {output.parent}")
        council = council_for_slug(options.get("council"))
        if council is None:
            raise CommandError(f"No council is called {options.get('council')!r}.")
        report = selectors.annual_report(council, year)
        html = render_to_string("reporting/annual_pdf.html", presentation.annual_context(report))
        if fmt == "PDF":
            output.write_bytes(html_to_pdf(html))
        else:
            output.write_text(html, encoding="utf-8")
        self.stdout.write(
            f"Wrote the {report.label} annual report of {council.name} to {output} ({fmt})."
        )
