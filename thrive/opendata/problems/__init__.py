"""What is wrong with a published grant, in words its publisher can act on.

Each problem names the grant (its identifier, and its place: ``grants/3`` in JSON,
``row 5`` in a sheet), the field (the standard's name, or in a sheet its column title),
what is wrong and what is expected, and a short ``kind`` by which problems are counted.
Never a dump of the grant.

The official schema is checked with the compiled ``jsonschema_rs`` validator and its
findings are put in words from their kind and place, not from the validator's message.
"""

from thrive.opendata.problems.checker import GrantChecker
from thrive.opendata.problems.problem import (
    ERROR,
    REPORT_COLUMNS,
    WARNING,
    Problem,
    counts_by_kind,
    write_report,
)
from thrive.opendata.problems.words import (
    described,
    missing,
    not_a_date,
    not_in_codelist,
    quoted,
    schema_fault,
    wrong_type,
)

__all__ = [
    "ERROR",
    "REPORT_COLUMNS",
    "WARNING",
    "GrantChecker",
    "Problem",
    "counts_by_kind",
    "described",
    "missing",
    "not_a_date",
    "not_in_codelist",
    "quoted",
    "schema_fault",
    "write_report",
    "wrong_type",
]
