"""The command-line side of open data imports and exports, with progress bars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from thrive.opendata.importing import ImportFileError, format_of, import_360giving

SHOWN_PROBLEMS = 200


def import_360giving_file(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run ``thrive import 360giving FILE``; print errors, warnings and the summary."""
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
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
    for label, problems in (("error", result.errors), ("warning", result.warnings)):
        for problem in problems[:SHOWN_PROBLEMS]:
            command.stderr.write(f"{label}: {problem}")
        if len(problems) > SHOWN_PROBLEMS:
            command.stderr.write(f"… and {len(problems) - SHOWN_PROBLEMS:,} more {label}s")
    suffix = " Nothing was written." if result.dry_run else ""
    command.stdout.write(result.summary() + suffix)


def _add_360giving_arguments(parser: Any) -> None:
    parser.add_argument("file", help="A 360Giving .json, .xlsx or .csv file")
    parser.add_argument(
        "--dry-run", action="store_true", help="Check and report the file; write nothing."
    )


def import_subcommands() -> list[tuple[str, str, Any, Any]]:
    """``thrive import 360giving FILE [--dry-run]``."""
    from thrive.opendata.ocds_command import add_ocds_arguments, import_ocds_file

    return [
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
