"""The council's 360Giving sheets are the grants the JSON export gives, cell for cell.

The CSV and XLSX rows are made without building each grant (shared recipients, departments
and programmes; the CSV joined as text), so they are checked here against the general
path: every grant of ``iter_grants`` through ``flat.grant_to_row`` and, for the CSV, the
service's CSV writer. Texts a spreadsheet could run, or that need quoting, included.
"""

from __future__ import annotations

import csv
import io

import pytest

from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.core import exports
from thrive.core.models import Area
from thrive.opendata import flat, grant_sheets, publishing
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "  +1 then words",
    'Food, "fresh"\nand\r\nhot',
    "-12.50",
]


@pytest.fixture
def council():
    first = AwardFactory(
        title=HOSTILE[0], amount_pence=1_234_567, reference="AW-2025,7", kind=AwardKind.SMALL_GRANT
    )
    council = first.council
    IdentifierFactory(organisation=first.organisation)
    IdentifierFactory(organisation=first.organisation, scheme="GB-COH", value="01234567")
    for name, code in [("Brook, District", "E07000033"), ("@Cold Fell", "E07000034")]:
        first.organisation.areas.add(Area.objects.create(council=council, name=name, gss_code=code))
    other = OrganisationFactory(name=HOSTILE[2], postcode="")
    elsewhere = DirectorateFactory(council=council, code="public-health", name=HOSTILE[1])
    for index, title in enumerate(HOSTILE):
        AwardFactory(
            council=council, organisation=other, title=title, amount_pence=(index + 1) * 150
        )
        AwardFactory(council=council, directorate=elsewhere, organisation=first.organisation)
    return council


def _general(council) -> tuple[list[str], list[list]]:
    recipients = publishing.recipients_of(council)
    locations = max((len(areas) for areas in recipients.areas.values()), default=1)
    columns = flat.export_columns({"beneficiaryLocation": locations})
    grants = publishing.iter_grants(council, recipients)
    return [t for t, _ in columns], [flat.grant_to_row(g, columns) for g in grants]


def test_the_sheet_rows_are_the_grants_cell_for_cell(council) -> None:
    titles, rows = grant_sheets.sheet_rows(council)
    assert (titles, list(rows)) == _general(council)


def test_the_csv_is_the_text_the_csv_writer_makes_of_the_grants(council) -> None:
    titles, rows = _general(council)
    text = "".join(grant_sheets.iter_csv(council))
    assert text == "".join(exports.iter_csv(headers=titles, rows=rows))
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {row["Title"] for row in read} >= {"'" + HOSTILE[0], "'" + HOSTILE[1], HOSTILE[2]}
    assert "Beneficiary Location:1:Name" in read[0]


def test_a_council_without_grants_has_the_titles_alone() -> None:
    council = DirectorateFactory().council
    text = "".join(grant_sheets.iter_csv(council))
    assert text.splitlines() == [",".join(_general(council)[0])]
