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
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2000


def safe_cell(value: object) -> object:
    """``value``, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in row]


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Iterable[object]]) -> None:
    """The whole CSV file into ``stream`` (the command line's exports)."""
    for chunk in csv_lines(header, rows):
        stream.write(chunk)


def csv_lines(header: Sequence[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text in chunks of ``BATCH`` rows, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(safe_row(header))
    for count, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Iterable[object]]) -> Path:
    """A one-sheet workbook in a temporary file (the caller removes it).

    openpyxl makes a formula of any text starting with ``=``; after
    ``safe_cell`` no text does, so every text cell is a string cell.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    handle = tempfile.NamedTemporaryFile(prefix="evac-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)
