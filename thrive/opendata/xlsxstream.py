"""One-sheet XLSX workbooks streamed straight to the file: for large open data exports.

A general spreadsheet library builds an object per cell; this writes each row's XML as
text, as it comes, into the zip (memory stays flat for a million rows), several times
faster. The workbook holds what the open data sheets need and nothing more: one sheet,
a bold frozen title row, text as inline string cells, numbers as numbers.

It keeps the service's rule for files people open (see ``thrive.core.exports``): every
text is a string cell, never a formula, and a text a spreadsheet program could take for
a formula is also marked with Excel's "quote prefix" style; characters XML cannot hold
are left out.

A text longer than an Excel cell holds (32,767 characters) makes the workbook refuse to
be written: ``TooLongForExcel`` names the grant (its Identifier) and the column, and
points to the JSON and CSV exports, which hold every text whole. Open data is republished
and compared, so a sheet with a silently shorter description would be wrong data under
the publisher's name; a cut with a note in the cell (what the staff list downloads do)
would still read back as a changed grant; and a text spread over extra columns or rows
is no 360Giving sheet any tool reads back as one field. flattentool, the community's
converter, leaves the cut to openpyxl, which shortens the text without a word. Refusing
loudly is the only way that loses nothing. The council's own grants cannot meet the
limit (their texts come from fields of at most a few hundred characters); imported
grants exported back (``exporting``) can, and the command says so and writes no file.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from thrive.core.exports import XLSX_CELL_LIMIT, excel_length, fits_excel_cell, is_formula_like

ROWS_PER_WRITE = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>Thrive</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    "</cp:coreProperties>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<bookViews><workbookView activeTab="0"/></bookViews>'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 text with Excel's quote prefix (stays text when edited), 2 bold.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
    "<sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"


class TooLongForExcel(ValueError):
    """A text is longer than an Excel cell holds; the workbook is not written."""


class _TooLong(Exception):
    def __init__(self, length: int) -> None:
        self.length = length


def _escape(text: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _text_cell(ref: str, text: str, style: str = "") -> str:
    if not fits_excel_cell(text):
        raise _TooLong(excel_length(text))
    if not style and is_formula_like(text):
        style = ' s="1"'
    text = _escape(text)
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(ref: str, value: Any) -> str:
    """One cell's XML: text as a string cell, numbers and yes/no as themselves."""
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value)
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if (
        kind is int
        or (kind is float and math.isfinite(value))
        or (kind is Decimal and value.is_finite())
    ):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, (dt.date, dt.time)):
        return _text_cell(ref, value.isoformat())
    return _text_cell(ref, str(value))


def _sheet_name(title: str) -> str:
    name = "".join("-" if c in "\\/*?:[]" else c for c in title)[:31] or "Export"
    return _escape(name).replace('"', "&quot;")


def write_xlsx(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> None:
    """Write the rows as one XLSX sheet titled ``title``, streamed, the titles in bold."""
    letters = [get_column_letter(index + 1) for index in range(len(headers))]
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/core.xml", _CORE.format(created=created))
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=_sheet_name(title)))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            try:
                head = "".join(
                    _text_cell(f"{letter}1", str(text), ' s="2"')
                    for letter, text in zip(letters, headers, strict=False)
                )
            except _TooLong as exc:
                raise TooLongForExcel(_refusal("A column title", exc.length)) from None
            parts = [_SHEET_START, f'<row r="1">{head}</row>']
            number = 1
            for row in rows:
                number += 1
                try:
                    cells = [
                        _cell(f"{letter}{number}", value)
                        for letter, value in zip(letters, row, strict=False)
                        if value is not None and value != ""
                    ]
                except _TooLong as exc:
                    raise _too_long(headers, row, exc.length) from None
                parts.append(f'<row r="{number}">{"".join(cells)}</row>')
                if len(parts) >= ROWS_PER_WRITE:
                    sheet.write("".join(parts).encode())
                    parts = []
            parts.append(_SHEET_END)
            sheet.write("".join(parts).encode())


def _too_long(headers: Sequence[str], row: Sequence[Any], length: int) -> TooLongForExcel:
    """Name the grant and column of the first text too long for a cell in ``row``."""
    column = next(
        (
            str(title)
            for title, value in zip(headers, row, strict=False)
            if value is not None and not fits_excel_cell(str(value))
        ),
        "text",
    )
    titles = [str(title).strip().lower() for title in headers]
    where = "A grant"
    if "identifier" in titles and titles.index("identifier") < len(row):
        where = f"Grant {row[titles.index('identifier')]}"
    return TooLongForExcel(_refusal(f"{where}'s {column}", length))


def _refusal(what: str, length: int) -> str:
    return (
        f"{what} has {length:,} characters, more than the {XLSX_CELL_LIMIT:,} an Excel cell "
        "holds, so no XLSX file was written (it would lose the end of the text). Export as "
        "JSON or CSV instead: both hold every text whole."
    )
