"""``thrive import ocds FILE [--dry-run] [--report FILE.csv]``: other buyers' contracts.

The import itself (and the schemas it loads) is imported only when the command runs, so
that listing or running another ``thrive import`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

SHOWN_PROBLEMS = 20


def add_ocds_arguments(parser: Any) -> None:
    parser.add_argument("file", help="An OCDS release package or record package (.json)")
    parser.add_argument(
        "--dry-run", action="store_true", help="Check and report the file; write nothing."
    )
    parser.add_argument(
        "--report", metavar="FILE.csv", help="Write every error and warning to this CSV file."
    )


def import_ocds_file(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run the import; print the first problems, a count of each kind and the summary."""
    from tqdm import tqdm  # lazy: start-up

    from thrive.opendata.importing import ImportFileError  # lazy: start-up
    from thrive.opendata.ocds_import import import_ocds  # lazy: start-up
    from thrive.opendata.problems import counts_by_kind, write_report  # lazy: start-up

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    show = options["verbosity"] >= 1
    try:
        with path.open("rb") as stream:
            result = import_ocds(
                stream=stream,
                filename=path.name,
                dry_run=options["dry_run"],
                progress=lambda items: tqdm(
                    items, desc="Releases or records", unit="", disable=not show
                ),
            )
    except ImportFileError as exc:
        raise CommandError(f"Nothing was imported. {exc}") from exc
    problems = result.problems
    for problem in problems[:SHOWN_PROBLEMS]:
        command.stderr.write(f"{problem.severity}: {problem}")
    if len(problems) > SHOWN_PROBLEMS:
        command.stderr.write(f"… and {len(problems) - SHOWN_PROBLEMS:,} more problems")
    for severity, kind, count, _ in counts_by_kind(problems):
        command.stdout.write(f"{count:>8,} {severity}s: {kind}")
    if options.get("report"):
        written = write_report(problems, Path(options["report"]))
        command.stdout.write(f"All {written:,} problems are in {options['report']}.")
    suffix = " Nothing was written." if result.dry_run else ""
    command.stdout.write(result.summary() + suffix)
