"""Report downloads for staff, scoped and filtered like the case list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from evac.cases.deps import CaseReader, parse_case_query
from evac.cases.export import COLUMNS, case_rows
from evac.cases.search import CaseQuery
from evac.db import SessionDep, utcnow
from evac.errors import NotFound
from evac.reports.exports import FLIGHT_COLUMNS, TCN_COLUMNS, flight_rows, tcn_rows
from evac.settings import get_settings
from evac.spreadsheet import csv_lines, write_xlsx
from evac.web.templating import render

router = APIRouter(prefix="/staff/reports", include_in_schema=False)
FORMATS = ("csv", "xlsx")


@router.get("", response_class=HTMLResponse)
def reports_page(request: Request, staff: CaseReader) -> HTMLResponse:
    return render(request, "reports/index.html", {"staff": staff})


def _download(
    name: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    filename = f"evac-{name}-{utcnow():%Y%m%d-%H%M}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return StreamingResponse(
            csv_lines(header, rows),
            media_type="text/csv; charset=utf-8",
            headers=disposition,
        )
    path = write_xlsx(name, header, rows)
    return FileResponse(
        path,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=disposition,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.get("/{name}.{fmt}")
def report(
    session: SessionDep,
    staff: CaseReader,
    name: str,
    fmt: str,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
) -> Response:
    if fmt not in FORMATS:
        raise NotFound("No such report format.")
    home = get_settings().home_country
    if name == "cases":
        return _download(name, fmt, COLUMNS, case_rows(session, staff, query, home))
    if name == "flights":
        return _download(name, fmt, FLIGHT_COLUMNS, flight_rows(session, staff, home))
    if name == "third-country-nationals":
        return _download(name, fmt, TCN_COLUMNS, tcn_rows(session, staff, home))
    raise NotFound("No such report.")
