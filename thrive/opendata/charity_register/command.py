"""``thrive import charity-register FILE [--dry-run]``: check charity numbers against the
Charity Commission's register extract, with a progress bar over the file's bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SHOWN_FLAGS = 200


def add_charity_register_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "file",
        help="The register extract: publicextract.charity.json or .txt, or its .zip",
    )
    parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")


def import_charity_register(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run the check; print each flag and the exact counts; exit 1 for a wrong file."""
    # lazy: every ``thrive import …`` loads this module; the bar and the check load on use
    from tqdm import tqdm

    # lazy: as above, the check (and its name matching) loads only when it runs
    from thrive.opendata.charity_register.checking import check_register
    from thrive.opendata.charity_register.reading import RegisterFileError  # lazy: as above

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    show = options["verbosity"] >= 1
    bars: list[tqdm] = []

    def progress(size: int) -> Callable[[int], object]:
        bar = tqdm(total=size, desc="Register extract", unit="B", unit_scale=True, disable=not show)
        bars.append(bar)
        return bar.update

    try:
        with path.open("rb") as stream:
            result = check_register(
                stream=stream, filename=path.name, dry_run=options["dry_run"], progress=progress
            )
    except RegisterFileError as exc:
        raise CommandError(f"Nothing was checked. {exc}") from exc
    finally:
        for bar in bars:
            bar.close()
    for flag in result.flags[:SHOWN_FLAGS]:
        command.stderr.write(f"flag: {flag['location']}: {flag['message']}")
    if len(result.flags) > SHOWN_FLAGS:
        command.stderr.write(f"… and {len(result.flags) - SHOWN_FLAGS:,} more flags")
    suffix = " Nothing was written." if result.dry_run else ""
    command.stdout.write(result.summary() + suffix)
