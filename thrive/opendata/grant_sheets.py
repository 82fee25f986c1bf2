"""The council's 360Giving grants as a flat sheet: CSV and XLSX, streamed, each row what
``flat.grant_to_row`` makes of the grant ``publishing.iter_grants`` gives, built from each
recipient's, department's and programme's cells made once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.conf import settings

from thrive.accounts.models import Council
from thrive.core import exports
from thrive.opendata import csvtext, flat, publishing, xlsxstream

# The council's sheet in runs of columns: the grant's own, its recipient's (with the
# beneficiary locations), its funding department's and its programme's, then the grant's own
# again. ``_SheetRows`` checks the export's columns still fall into these runs.
_HEAD = [
    ("id",),
    ("title",),
    ("description",),
    ("currency",),
    ("amountAppliedFor",),
    ("amountAwarded",),
    ("amountDisbursed",),
    ("awardDate",),
    ("url",),
    ("plannedDates", 0, "startDate"),
    ("plannedDates", 0, "endDate"),
    ("plannedDates", 0, "duration"),
]
_RUNS = (
    ("recipientOrganization", "beneficiaryLocation"),
    ("fundingOrganization",),
    ("grantProgramme",),
)
_TAIL = [
    ("fromOpenCall",),
    ("classifications", 0, "vocabulary"),
    ("classifications", 0, "code"),
    ("classifications", 0, "title"),
    ("dateModified",),
    ("dataSource",),
]


def _cells(part: dict[str, list[dict[str, Any]]], places: list[tuple]) -> list[Any]:
    """The cells of ``places`` (each a list, an item's number and a field: every column
    of a recipient, department or programme) in a grant with ``part``, as
    ``flat.grant_to_row`` reads them: absent items and fields are empty."""
    cells: list[Any] = []
    for name, number, key in places:
        items = part.get(name)
        cells.append(items[number].get(key) if items and number < len(items) else None)
    return cells


class _SheetRows:
    """The council's grants as sheet rows, each what ``flat.grant_to_row`` makes of the grant
    ``iter_grants`` gives, without building the grant: the cells of a recipient, a funding
    department and a programme (``part``: a list of cells, or their CSV text) are made once
    and shared by their grants, which is most of a row.
    """

    def __init__(self, council: Council, part: Callable[[list[Any]], Any]) -> None:
        self.council, self.part = council, part
        self.publisher = publishing.publisher_of(council)
        self.recipients = publishing.recipients_of(council)
        locations = max((len(areas) for areas in self.recipients.areas.values()), default=1)
        self.columns = flat.export_columns({"beneficiaryLocation": locations})
        runs = [[c for c in self.columns if c[1][0] in names] for names in _RUNS]
        places = [*_HEAD, *(place for run in runs for _, place in run), *_TAIL]
        shared = [place for run in runs for _, place in run]
        if [place for _, place in self.columns] != places or not all(
            len(place) == 3 and isinstance(place[1], int) for place in shared
        ):
            raise ValueError("The export's columns no longer fall into the sheet's runs")
        self.recipient_places, self.funder_places, self.programme_places = (
            [place for _, place in run] for run in runs
        )

    @property
    def titles(self) -> list[str]:
        return [title for title, _ in self.columns]

    def rows(self, row: Callable[[publishing.OwnCells, Any, Any, Any], Any]) -> Iterator[Any]:
        """``row(own, recipient, department, programme)`` for each grant: its own cells
        and the parts it shares."""
        council, recipients, part = self.council, self.recipients, self.part
        funder = publishing.funder_id(self.publisher)
        by_recipient: dict[int, Any] = {}
        by_directorate: dict[int | None, Any] = {}
        programmes = {
            kind: part(
                _cells(
                    {"grantProgramme": [{"code": kind, "title": publishing.PROGRAMMES[kind]}]},
                    self.programme_places,
                )
            )
            for kind in publishing.PROGRAMMES
        }
        for org_id, directorate_id, directorate, kind, own in publishing.own_cells(
            council, self.publisher, recipients
        ):
            recipient = by_recipient.get(org_id)
            if recipient is None:
                grant = {"recipientOrganization": [recipients.recipient(org_id)]}
                if recipients.areas.get(org_id):
                    grant["beneficiaryLocation"] = recipients.areas[org_id]
                recipient = by_recipient[org_id] = part(_cells(grant, self.recipient_places))
            funding = by_directorate.get(directorate_id)
            if funding is None:
                department = {"id": funder, "name": council.name, "department": directorate}
                funding = by_directorate[directorate_id] = part(
                    _cells({"fundingOrganization": [department]}, self.funder_places)
                )
            yield row(own, recipient, funding, programmes[kind])


def _source() -> str:
    return f"{settings.THRIVE_SITE_URL}/open-data/"


def sheet_rows(council: Council) -> tuple[list[str], Iterator[list[Any]]]:
    """The flat form's titles and rows: every beneficiary location of every grant, each
    in its own numbered columns (as many as the grant with the most has)."""
    sheet, source = _SheetRows(council, list), _source()

    def row(own: publishing.OwnCells, recipient: list, funding: list, programme: list) -> list[Any]:
        grant_id, title, description, amount, day, start, end, months, modified = own
        return [
            *(grant_id, title, description, "GBP", None, amount, None, day, None),
            *(start, end, months, *recipient, *funding, *programme),
            *(None, None, None, None, modified, source),
        ]

    return sheet.titles, sheet.rows(row)


def iter_csv(council: Council) -> Iterator[str]:
    """The grants in the 360Giving flat form as CSV text, text cells formula-safe, a few
    hundred rows at a time: the same text ``exports.iter_csv`` writes of ``sheet_rows``,
    each row joined from its grant's own cells and the CSV text of its shared parts
    (``csvtext``)."""
    sheet, source, cell = _SheetRows(council, csvtext.cells), csvtext.cell(_source()), csvtext.cell

    def line(own: publishing.OwnCells, recipient: str, funding: str, programme: str) -> str:
        grant_id, title, description, amount, day, start, end, months, modified = own
        return (
            f"{cell(grant_id)},{cell(title)},{cell(description)},GBP,,{amount},,"
            f"{day},,{start},{end},{months},{recipient},{funding},{programme},,,,,"
            f"{modified},{source}\r\n"
        )

    lines = [csvtext.header(sheet.titles)]
    for text in sheet.rows(line):
        lines.append(text)
        if len(lines) >= exports.CSV_CHUNK_ROWS:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def write_xlsx(council: Council, out: IO[bytes]) -> None:
    """The grants in the 360Giving flat form as one XLSX sheet, text as string cells,
    streamed row by row (``xlsxstream``: several times faster than a cell per object)."""
    headers, rows = sheet_rows(council)
    xlsxstream.write_xlsx(out, headers=headers, rows=rows, title="grants")
