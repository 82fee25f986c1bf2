"""The command-line side of open data imports and exports, with progress bars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from thrive.opendata.charity_register.command import (
    add_charity_register_arguments,
    import_charity_register,
)

# The import itself (models, schemas, validators) is imported only when a command runs, so
# that ``thrive import … --help`` and the start of every import stay quick.


def import_360giving_file(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run ``thrive import 360giving FILE``: a summary by kind of problem, and the counts.

    ``--report FILE.csv`` writes every problem, one a row (also on a dry run); ``-v 2``
    prints every problem as well.
    """
    from tqdm import tqdm  # lazy: start-up

    # lazy: start-up
    from thrive.opendata.importing import ImportFileError, format_of, import_360giving

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    report = Path(options["report"]) if options.get("report") else None
    if report is not None and not report.parent.is_dir():
        raise CommandError(f"No such folder for the report: {report.parent}")
    show = options["verbosity"] >= 1
    try:
        format_of(path.name)
        with path.open("rb") as stream:
            result = import_360giving(
                stream=stream,
                filename=path.name,
                dry_run=options["dry_run"],
                progress=lambda items: tqdm(items, desc="Grants", unit="grant", disable=not show),
            )
    except ImportFileError as exc:
        raise CommandError(f"Nothing was imported. {exc}") from exc
    if options["verbosity"] >= 2:
        for problem in result.problems:
            command.stderr.write(f"{problem.severity}: {problem}")
    _summarise_problems(command, result.problems, report)
    suffix = " Nothing was written." if result.dry_run else ""
    command.stdout.write(result.summary() + suffix)


def _summarise_problems(command: BaseCommand, problems: list[Any], report: Path | None) -> None:
    """Print how many problems of each kind, with one example of each; write the report."""
    from thrive.opendata.problems import counts_by_kind, write_report  # lazy: start-up

    kinds = counts_by_kind(problems)
    if kinds:
        command.stdout.write("Problems by kind (count, kind, first example):")
    for severity, kind, count, example in kinds:
        command.stdout.write(f"{count:>9,} {severity}s  {kind}: {example}")
    if report is not None:
        written = write_report(problems, report)
        command.stdout.write(f"Every problem ({written:,}) is in {report}.")
    elif problems:
        command.stdout.write("To list every problem, run again with --report FILE.csv.")


def _add_360giving_arguments(parser: Any) -> None:
    parser.add_argument("file", help="A 360Giving .json, .xlsx or .csv file")
    parser.add_argument(
        "--dry-run", action="store_true", help="Check and report the file; write nothing."
    )
    parser.add_argument(
        "--report",
        metavar="FILE.csv",
        help="Write every error and warning to this CSV file, one a row (also on a dry run).",
    )


def import_subcommands() -> list[tuple[str, str, Any, Any]]:
    """``thrive import 360giving FILE [--dry-run] [--report FILE.csv]`` and the OCDS import."""
    # lazy: start-up
    from thrive.opendata.ocds_command import add_ocds_arguments, import_ocds_file

    return [
        (
            "charity-register",
            "Check the register's charity numbers against the Charity Commission's register "
            "extract (publicextract.charity.json or .txt).",
            add_charity_register_arguments,
            import_charity_register,
        ),
        (
            "360giving",
            "Import another funder's 360Giving grants from JSON, XLSX or CSV.",
            _add_360giving_arguments,
            import_360giving_file,
        ),
        (
            "ocds",
            "Import other buyers' contract awards from an OCDS release or record package.",
            add_ocds_arguments,
            import_ocds_file,
        ),
    ]
