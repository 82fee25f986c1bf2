"""The 360Giving spreadsheet form: column titles and the places in a grant they fill.

Funders publish 360Giving as JSON or as sheets whose column titles come from the
schema's ``title``s, joined with ``:`` the way the 360Giving community's converter,
flattentool, makes them (``Recipient Org:Charity Number``, ``Beneficiary Location:1:Name``).
Every title here is derived from the official schema as flattentool derives it, so this
module reads any title flattentool reads (in any case, spaces ignored, numbered or not,
or a JSON path such as ``recipientOrganization/0/id``) and writes titles flattentool reads
back with nothing lost: each list item in its own numbered columns, in one sheet.

A workbook that flattentool itself wrote (the grants sheet and a sheet per list, joined by
the grant's ``Identifier``) is read by ``workbook_grants``, which merges the sheets the way
flattentool's ``unflatten`` does.
"""

from thrive.opendata.flat.cells import convert
from thrive.opendata.flat.rows import SheetRows, row_to_grant
from thrive.opendata.flat.schema import SCHEMA, Field, fields, standard, titles
from thrive.opendata.flat.workbook import read_workbook, workbook_grants
from thrive.opendata.flat.writing import (
    EXPORT_FIELDS,
    Layout,
    cell,
    column_for,
    export_columns,
    grant_to_row,
    layout_of,
    sheet,
)

__all__ = [
    "EXPORT_FIELDS",
    "SCHEMA",
    "Field",
    "Layout",
    "SheetRows",
    "cell",
    "column_for",
    "convert",
    "export_columns",
    "fields",
    "grant_to_row",
    "layout_of",
    "read_workbook",
    "row_to_grant",
    "sheet",
    "standard",
    "titles",
    "workbook_grants",
]
