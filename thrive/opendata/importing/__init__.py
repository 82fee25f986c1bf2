"""Import another funder's 360Giving data (JSON, XLSX or CSV) into the register (§2.6).

Published data is imperfect (DESIGN §4). Each grant is checked against the official
schema and codelists: a grant that cannot be used (no identifier, amount, date, funder
or recipient) is an error and is left out; anything else wrong is a quality warning kept
with the grant. Every problem is kept on the import run, in words (``problems``). No
value is ever altered. A file that cannot be read, or that is hostile
(huge texts, deep nesting), changes nothing.
"""

from thrive.opendata.importing.files import THREESIXTY, FileKind, format_of
from thrive.opendata.importing.guard import MAX_DEPTH, MAX_TEXT, ImportFileError, guard
from thrive.opendata.importing.run import ImportResult, check_grant, import_360giving

__all__ = [
    "MAX_DEPTH",
    "MAX_TEXT",
    "THREESIXTY",
    "FileKind",
    "ImportFileError",
    "ImportResult",
    "check_grant",
    "format_of",
    "guard",
    "import_360giving",
]
