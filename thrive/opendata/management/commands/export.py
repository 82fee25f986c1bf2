"""``thrive export 360giving|ocds|transparency|external-grants``: write data to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thrive.opendata import exporting, grant_sheets, ocds, publishing, selectors, transparency


def _write_chunks(output: Path, chunks: Any, *, text: bool = False) -> None:
    mode = {"encoding": "utf-8", "newline": ""} if text else {}
    with output.open("w" if text else "wb", **mode) as handle:
        for chunk in chunks:
            handle.write(chunk)


class Command(BaseCommand):
    help = "Export open data: 360Giving grants, OCDS contracting, Transparency Code CSVs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        grants = sub.add_parser("360giving", help="The council's grants in 360Giving.")
        grants.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
        contracting = sub.add_parser("ocds", help="The council's contracting as an OCDS package.")
        code = sub.add_parser(
            "transparency",
            help="Local Government Transparency Code CSVs: one dataset, or all three in a zip.",
        )
        code.add_argument(
            "--dataset",
            choices=[*transparency.DATASETS, "all"],
            default="all",
            help="tenders, contracts or grants as one CSV; all (default) as a zip of three CSVs",
        )
        for each in (grants, contracting, code):
            each.add_argument("--output", required=True, help="The file to write")
            each.add_argument("--council", help="The council's slug (default: the first council)")
        external = sub.add_parser(
            "external-grants",
            help="Other funders' imported 360Giving grants, each exactly as published.",
        )
        exporting.add_arguments(external)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "external-grants":
            self.stdout.write(exporting.export_file(options))
            return
        council = selectors.council_for_slug(options.get("council"))
        if council is None:
            raise CommandError(f"No council is called {options.get('council')!r}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No such folder: {output.parent}")
        handler = {
            "360giving": self._threesixty,
            "ocds": self._ocds,
            "transparency": self._transparency,
        }[options["kind"]]
        self.stdout.write(handler(council, output, options))

    def _threesixty(self, council: Any, output: Path, options: dict[str, Any]) -> str:
        fmt = options["format"]
        if fmt == "xlsx":
            with output.open("wb") as handle:
                grant_sheets.write_xlsx(council, handle)
        elif fmt == "json":
            _write_chunks(output, publishing.iter_json(council))
        else:
            _write_chunks(output, grant_sheets.iter_csv(council), text=True)
        count = publishing.grant_awards(council).count()
        return f"Wrote {count:,} grants of {council.name} to {output} ({fmt})."

    def _ocds(self, council: Any, output: Path, options: dict[str, Any]) -> str:
        if ocds.site_address_missing():
            raise CommandError(ocds.SITE_ADDRESS_MISSING)
        count = 0
        with output.open("wb") as handle:
            for chunk in ocds.iter_json(council):
                count += chunk.count(b'"ocid":')
                handle.write(chunk)
        return f"Wrote {count:,} OCDS releases of {council.name} to {output}."

    def _transparency(self, council: Any, output: Path, options: dict[str, Any]) -> str:
        dataset = options["dataset"]
        if dataset == "all":
            with output.open("wb") as handle:
                transparency.write_zip(council, handle)
            return f"Wrote the Transparency Code datasets of {council.name} to {output} (zip)."
        _write_chunks(output, transparency.iter_csv(council, dataset), text=True)
        return f"Wrote the {dataset} dataset of {council.name} to {output} (CSV)."
