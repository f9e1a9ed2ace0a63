"""Spreadsheet downloads: the one way a page hands out a CSV or XLSX file.

CSV streams as it is written, so 100,000 rows start arriving at once and
never sit in memory; XLSX is built in a temporary file, sent, then removed.
Both are written by ``evac.spreadsheet``, so every cell is formula-safe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from evac.column_words import column_headings
from evac.db import utcnow
from evac.spreadsheet import Row, csv_lines, write_xlsx

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def attachment(filename: str) -> dict[str, str]:
    """The header that saves the response as ``filename`` (other characters become ``_``)."""
    plain = _UNSAFE_IN_FILENAME.sub("_", filename)
    return {"Content-Disposition": f'attachment; filename="{plain}"'}


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Row]) -> StreamingResponse:
    return StreamingResponse(
        csv_lines(header, rows), media_type=CSV_TYPE, headers=attachment(filename)
    )


def xlsx_download(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Row]
) -> FileResponse:
    path = write_xlsx(title, header, rows)
    return FileResponse(
        path,
        media_type=XLSX_TYPE,
        headers=attachment(filename),
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


def dated_download(
    name: str,
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Row],
    gettext: Callable[[str], str] = str,
) -> Response:
    """``evac-NAME-YYYYMMDD-HHMM.FMT`` as CSV or XLSX (``fmt`` is one of ``FORMATS``).

    The CSV file is headed with the field codes, for programs; the workbook with
    words, translated by ``gettext`` (the reader's), for people.
    """
    filename = f"evac-{name}-{utcnow():%Y%m%d-%H%M}.{fmt}"
    if fmt == "xlsx":
        return xlsx_download(filename, name, column_headings(header, gettext), rows)
    return csv_download(filename, header, rows)
