"""``thrive import organisations FILE [--dry-run]``: bulk import into the register.

Other apps add their own ``thrive import KIND …`` by defining ``import_subcommands()`` in
``<app>/commands.py``, returning ``(kind, help, add_arguments, handle)`` tuples, where
``add_arguments(parser)`` declares the arguments and ``handle(command, options)`` runs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import lazy

# Each import loads its reader (and the progress bar) only when it runs, so that
# ``thrive import KIND --help`` and every import start quickly.

Handler = Callable[[BaseCommand, dict[str, Any]], None]


def _add_organisation_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="A .csv or .xlsx file with a header row")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Report what would be created, updated or held as a duplicate; write nothing.",
    )


def import_organisation_file(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run ``thrive import organisations FILE``: every error listed, non-zero exit on any."""
    # lazy: ``thrive import --help`` and the other imports start without the bar or reader
    from tqdm import tqdm

    # lazy: as above
    from thrive.organisations.importing import import_organisations

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise CommandError("The file must be a .csv or .xlsx file")
    show = options["verbosity"] >= 1

    steps = iter(["Checking rows", "Importing rows"])

    def progress(items: Iterable[Any], total: int) -> Iterable[Any]:
        desc = next(steps, "Rows")
        return tqdm(items, total=total, desc=desc, unit="row", disable=not show)

    result = import_organisations(
        content=path.read_bytes(),
        filename=path.name,
        dry_run=options["dry_run"],
        progress=progress,
    )
    if result.errors:
        for error in result.errors:
            command.stderr.write(str(error))
        raise CommandError(result.summary())
    if result.dry_run:
        for plan in result.plan:
            held = f" (possible duplicate of {', '.join(plan.possible_duplicates)})"
            note = held if plan.action == "hold" else ""
            note += "".join(f"; flagged: {flag}" for flag in plan.flags)
            command.stdout.write(f"row {plan.row}: {plan.action} {plan.fields.get('name')}{note}")
        command.stdout.write(f"Dry run: {result.summary()} Nothing was written.")
        return
    command.stdout.write(command.style.SUCCESS(result.summary()))


def _organisations_help() -> str:
    # lazy: worked out only when the help is shown, so that start-up stays quick
    from thrive.organisations.importing import COLUMNS

    return f"Import organisations from CSV or XLSX with the columns {', '.join(COLUMNS)}."


def subcommands() -> list[tuple[str, str, Callable[[CommandParser], None], Handler]]:
    """The organisations import, then any other app's ``import_subcommands()``."""
    found = [
        (
            "organisations",
            # Worked out only when ``thrive import --help`` shows it.
            lazy(_organisations_help, str)(),
            _add_organisation_arguments,
            import_organisation_file,
        ),
    ]
    for config in apps.get_app_configs():
        if not config.name.startswith("thrive.") or config.name == "thrive.organisations":
            continue
        try:
            module = importlib.import_module(f"{config.name}.commands")
        except ModuleNotFoundError:
            continue
        hook = getattr(module, "import_subcommands", None)
        if callable(hook):
            found += list(hook())
    return found


class Command(BaseCommand):
    help = "Import records from a file, for example 'organisations FILE' into the register."
    # Reading a file needs no URL, template or deployment checks; they would load every
    # page and API schema first (seconds before the first record). ``thrive check`` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        self.handlers: dict[str, Handler] = {}
        for kind, text, add, handle in subcommands():
            add(sub.add_parser(kind, help=text))
            self.handlers[kind] = handle

    def handle(self, *args: Any, **options: Any) -> None:
        self.handlers[options["kind"]](self, options)
