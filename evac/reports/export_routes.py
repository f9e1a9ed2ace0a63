"""Report downloads for staff, scoped and filtered like the case list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from evac.cases.deps import CaseReader, parse_case_query
from evac.cases.export import COLUMNS, case_rows
from evac.cases.search import CaseQuery
from evac.db import ReadSessionDep
from evac.errors import NotFound
from evac.reports.exports import FLIGHT_COLUMNS, TCN_COLUMNS, flight_rows, tcn_rows
from evac.settings import get_settings
from evac.web.downloads import FORMATS, dated_download
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/reports", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def reports_page(request: Request, staff: CaseReader) -> HTMLResponse:
    return render(request, "reports/index.html", {"staff": staff})


@router.get("/{name}.{fmt}")
def report(
    request: Request,
    session: ReadSessionDep,
    staff: CaseReader,
    name: str,
    fmt: str,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
) -> Response:
    if fmt not in FORMATS:
        raise NotFound("No such report format.")
    home = get_settings().home_country
    words = request_gettext(request)
    if name == "cases":
        rows = case_rows(session, staff, query, home)
        return dated_download(name, fmt, COLUMNS, rows, words)
    if name == "flights":
        return dated_download(name, fmt, FLIGHT_COLUMNS, flight_rows(session, staff, home), words)
    if name == "third-country-nationals":
        return dated_download(name, fmt, TCN_COLUMNS, tcn_rows(session, staff, home), words)
    raise NotFound("No such report.")
