"""Every CSV and XLSX export is written here, with formula injection neutralised.

Registrants type their own names, cities and phone numbers, anonymously. A
spreadsheet program opening an export runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)`` sends the row to any
server; a tab or carriage return first can hide the sign). OWASP's rule:
such a text cell gets a leading apostrophe, so it is read as text. This module
is the one place that applies it: the pages, the API's downloads and the
command line all write their files through ``csv_lines``, ``write_csv`` or
``write_xlsx``.

Only text is changed: an int or a float stays a number, negative or not. A
phone number written as text, ``+90 …``, does start with a sign, so it is
exported as ``'+90 …``.

Exports hold 100,000 rows and more, so rows go through in batches of
``BATCH``: each column of a batch is checked at once (joined into one string
and searched by one regular expression); only a column in which some cell may
start with a trigger is rewritten cell by cell.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TextIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2000
Row = Sequence[object]

# A trigger right after a line break: in "\n" + "\n".join(cells) this finds
# every cell that starts with one (and, harmlessly, a line break inside a cell).
_TRIGGER_AFTER_BREAK = re.compile("\n[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def safe_cell(value: object) -> object:
    """``value``, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in row]


def safe_batches(rows: Iterable[Row]) -> Iterator[Sequence[Row]]:
    """The rows in batches of ``BATCH``, every cell neutralised as ``safe_cell`` does."""
    remaining = iter(rows)
    while batch := list(islice(remaining, BATCH)):
        yield _safe_batch(batch)


def _safe_batch(batch: list[Row]) -> Sequence[Row]:
    columns = list(zip(*batch, strict=True))
    risky = [_may_start_with_trigger(column) for column in columns]
    if not any(risky):
        return batch
    safe_columns = [
        [safe_cell(value) for value in column] if check else column
        for column, check in zip(columns, risky, strict=True)
    ]
    return list(zip(*safe_columns, strict=True))


def _may_start_with_trigger(column: Sequence[object]) -> bool:
    """True if some cell may start with a trigger (cheap; may say so needlessly)."""
    try:
        text = "\n".join(column)  # type: ignore[arg-type]
    except TypeError:  # numbers, dates or None among the text
        text = "\n".join(map(str, column))
    return _TRIGGER_AFTER_BREAK.search("\n" + text) is not None


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Row]) -> None:
    """The whole CSV file into ``stream`` (the command line's exports)."""
    for chunk in csv_lines(header, rows):
        stream.write(chunk)


def csv_lines(header: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text in chunks of ``BATCH`` rows, for a streaming response."""
    buffer = io.StringIO()
    # Lines end in CRLF (RFC 4180): with a bare LF, the csv module would leave
    # a carriage return inside a cell unquoted, and a spreadsheet would start
    # a new row there, whose first cell could be a formula.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    for batch in safe_batches(rows):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


_RAW_XML_START, _RAW_XML_END = "<r>", "</r>"
XLSX_OPTIONS = {
    # Rows go straight to a temporary file: memory stays flat at any size.
    "constant_memory": True,
    # Text is text: never a formula, a link or a number, whatever it starts with.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Row]) -> Path:
    """A one-sheet workbook in a temporary file (the caller removes it).

    The header row is bold, frozen and carries the filters. Every text cell is
    written as a string (``write_string``), after ``safe_cell``, so nothing is
    a formula in the file and nothing turns into one when a cell is edited.
    """
    handle = tempfile.NamedTemporaryFile(prefix="evac-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook = xlsxwriter.Workbook(handle.name, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(title[:31])
    for column, name in enumerate(header):
        sheet.set_column(column, column, max(len(name) + 2, 12))
    sheet.write_row(0, 0, safe_row(header), workbook.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    last_row = 0
    for batch in safe_batches(rows):
        for row in batch:
            last_row += 1
            _write_cells(sheet, last_row, row)
    sheet.autofilter(0, 0, last_row, max(len(header) - 1, 0))
    workbook.close()
    return Path(handle.name)


def _write_cells(sheet: Worksheet, row_number: int, row: Row) -> None:
    """Text as string cells, numbers as numbers; empty text and None as empty cells.

    XlsxWriter copies text of the form ``<r>…</r>`` into the file as raw XML
    (its rich-string form): typed by a registrant, that could close the cell
    and open a formula. Such text gets the apostrophe too, so it is escaped.
    """
    for column, value in enumerate(row):
        if type(value) is str:
            if value.startswith(_RAW_XML_START) and value.endswith(_RAW_XML_END):
                value = "'" + value
            if value:
                sheet.write_string(row_number, column, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row_number, column, value)
        elif value is not None:
            sheet.write_string(row_number, column, str(value))
