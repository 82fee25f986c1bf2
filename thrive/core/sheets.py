"""One-sheet XLSX and ODS files written as text, row by row, straight into the zip.

A spreadsheet library builds an object per cell and (for ODS) the whole document in
memory before writing; these write each row's XML as it comes, so a million-row export
keeps memory flat and runs several times faster. What goes in follows the rules in
``thrive.core.exports``: every text is a string cell (never a formula), a text a
spreadsheet program could take for a formula carries Excel's "quote prefix" style in XLSX,
characters XML cannot hold are left out, numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import IO, Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

ROWS_PER_WRITE = 500
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_NEEDS_ESCAPE = re.compile(r'[&<>"]')
# Either of the above: a character XML cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE) or one
# to escape.
_NEEDS_WORK = re.compile(r'[\000-\010\013\014\016-\037&<>"]')


def escape(text: str) -> str:
    """Text fit for an XML element or attribute, without characters XML cannot hold."""
    if not _NEEDS_WORK.search(text):  # most texts: one look and nothing to do
        return text
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPES)
    return text


def sheet_title(title: str) -> str:
    """A sheet name spreadsheet programs accept: no \\ / * ? : [ ], at most 31 characters."""
    return re.sub(r"[\\/*?:\[\]]", "-", title)[:31] or "Export"


def _naive(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _is_number(value: Any) -> bool:
    kind = type(value)
    return (
        kind is int
        or (kind is float and math.isfinite(value))
        or (kind is Decimal and value.is_finite())
    )


# --- XLSX ---------------------------------------------------------------------------------

_XLSX_PARTS = {
    "[Content_Types].xml": (
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
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Cell styles: 0 plain, 1 quote prefix (stays text when edited), 2 bold, 3 date,
    # 4 date and time.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"


# Texts and dates repeat down a column (a status, a directorate, a start date), so each
# one's cell is worked out once and remembered; the memory is emptied when this many are held.
REMEMBERED_CELLS = 20_000
_EMPTY_XLSX = "/>"
_PLAIN_TEXT = ' t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>'
_QUOTED_TEXT = ' t="inlineStr" s="1"><is><t xml:space="preserve">{}</t></is></c>'


def xlsx_cell(value: Any, text: Callable[[str], tuple[str, bool]]) -> str:
    """One value's cell XML after its ``<c r="A1"`` (``/>`` when it has no value); ``text``
    gives a text's cell text and whether it needs the quote prefix."""
    if type(value) is str:
        shown, quoted = text(value)
        if not shown:
            return _EMPTY_XLSX
        return (_QUOTED_TEXT if quoted else _PLAIN_TEXT).format(shown)
    if value is None:
        return _EMPTY_XLSX
    if type(value) is bool:
        return f' t="b"><v>{int(value)}</v></c>'
    if _is_number(value):
        return f"><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        return f' s="4"><v>{to_excel(_naive(value))}</v></c>'
    if isinstance(value, dt.date):
        return f' s="3"><v>{to_excel(value)}</v></c>'
    return xlsx_cell(str(value), text)


def _remembering(
    make: Callable[[Any], str], whole: str, text: Callable[[str], str] | None = None
) -> Callable[[Any], str]:
    """``make`` with each text's and date's cell remembered; a whole number's cell is
    ``whole`` with the number in it (quicker made than looked up); ``text``, when given,
    makes a text's cell (quicker than ``make`` asking its type again)."""
    texts: dict[str, str] = {}
    dates: dict[dt.date, str] = {}
    make_text = text or make

    def cell(value: Any) -> str:
        kind = type(value)
        if kind is str:
            remembered, making = texts, make_text
        elif kind is int:
            return whole.format(value)
        elif kind is dt.date:
            remembered, making = dates, make
        else:
            return make(value)
        found = remembered.get(value)
        if found is None:
            if len(remembered) >= REMEMBERED_CELLS:
                remembered.clear()
            found = remembered[value] = making(value)
        return found

    return cell


def _fitted(row: Sequence[Any], width: int) -> Sequence[Any]:
    """The row cut or padded with blanks to the number of columns."""
    return row if len(row) == width else [*row[:width], *[None] * (width - len(row))]


def write_xlsx(
    out: IO[bytes],
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str,
    text: Callable[[str], tuple[str, bool]],
) -> int:
    """Write one sheet with a bold, frozen title row; answer the number of rows written."""
    letters = [get_column_letter(index + 1) for index in range(len(headers))]
    width = len(letters)
    # One row's XML with the row number as {0} and each cell's XML after its reference.
    template = (
        '<row r="{0}">'
        + "".join(f'<c r="{letter}{{0}}"{{{index}}}' for index, letter in enumerate(letters, 1))
        + "</row>"
    )

    def text_cell(value: str) -> str:
        shown, quoted = text(value)
        if not shown:
            return _EMPTY_XLSX
        return (_QUOTED_TEXT if quoted else _PLAIN_TEXT).format(shown)

    cell = _remembering(partial(xlsx_cell, text=text), "><v>{}</v></c>", text_cell)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, part in _XLSX_PARTS.items():
            book.writestr(name, part)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet_title(title))))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = "".join(
                f'<c r="{letter}1" t="inlineStr" s="2"><is><t>{text(str(title))[0]}</t></is></c>'
                for letter, title in zip(letters, headers, strict=False)
            )
            parts = [_SHEET_START, f'<row r="1">{head}</row>']
            number = 1
            for row in rows:
                number += 1
                parts.append(template.format(number, *map(cell, _fitted(row, width))))
                if len(parts) >= ROWS_PER_WRITE:
                    sheet.write("".join(parts).encode())
                    parts = []
            parts.append(_SHEET_END)
            sheet.write("".join(parts).encode())
    return number - 1


# --- ODS ----------------------------------------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
)
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<manifest:manifest {_NS} manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_DATE_PARTS = (
    '<number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/>'
)
_ODS_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-styles {_NS} office:version="1.2"><office:styles>'
    f'<number:date-style style:name="date-style1">{_DATE_PARTS}</number:date-style>'
    f'<number:date-style style:name="datetime-style1">{_DATE_PARTS}<number:text> </number:text>'
    '<number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/></number:date-style>'
    "</office:styles></office:document-styles>"
)
_ODS_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-content {_NS} office:version="1.2"><office:automatic-styles>'
    '<style:style style:name="bold" style:family="paragraph">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="ds1" style:family="table-cell" '
    'style:data-style-name="date-style1"/>'
    '<style:style style:name="dts1" style:family="table-cell" '
    'style:data-style-name="datetime-style1"/>'
    "</office:automatic-styles><office:body><office:spreadsheet>"
    '<table:table table:name="{name}">'
)
_ODS_END = "</table:table></office:spreadsheet></office:body></office:document-content>"
_VOID = '<table:table-cell office:value-type="void"/>'


def ods_cell(value: Any) -> str:
    """One ODS cell: text as a string cell (never a formula), numbers, yes/no and dates."""
    if type(value) is str:
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(value)}</text:p></table:table-cell>"
        )
    if value is None:
        return _VOID
    if type(value) is bool:
        return (
            '<table:table-cell office:value-type="boolean" '
            f'office:boolean-value="{"true" if value else "false"}"/>'
        )
    if _is_number(value):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    if isinstance(value, dt.datetime):
        value = _naive(value)
        return (
            '<table:table-cell office:value-type="date" '
            f'office:date-value="{value:%Y-%m-%dT%H:%M:%S}" table:style-name="dts1">'
            f"<text:p>{value:%Y-%m-%d %H:%M}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            '<table:table-cell office:value-type="date" '
            f'office:date-value="{value:%Y-%m-%d}" table:style-name="ds1">'
            f"<text:p>{value:%Y-%m-%d}</text:p></table:table-cell>"
        )
    return ods_cell(str(value))


def write_ods(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    """Write one sheet with a bold title row; answer the number of rows written."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        # The media type comes first and uncompressed, as ODF asks.
        book.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        book.writestr("styles.xml", _ODS_STYLES)
        with book.open("content.xml", "w", force_zip64=True) as content:
            head = "".join(
                '<table:table-cell office:value-type="string">'
                f'<text:p text:style-name="bold">{escape(str(title))}</text:p></table:table-cell>'
                for title in headers
            )
            parts = [
                _ODS_START.format(name=escape(sheet_title(title))),
                f"<table:table-row>{head}</table:table-row>",
            ]
            count = 0
            cell = _remembering(
                ods_cell, '<table:table-cell office:value-type="float" office:value="{}"/>'
            )
            for row in rows:
                count += 1
                parts.append(f"<table:table-row>{''.join(map(cell, row))}</table:table-row>")
                if len(parts) >= ROWS_PER_WRITE:
                    content.write("".join(parts).encode())
                    parts = []
            parts.append(_ODS_END)
            content.write("".join(parts).encode())
    return count
