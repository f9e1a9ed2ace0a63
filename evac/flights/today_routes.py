"""The officer's landing page: today's flights, cases waiting, cases to look at."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from evac.db import ReadSessionDep, utc_today, utcnow
from evac.flights.deps import FlightReader
from evac.flights.today import officer_today
from evac.web.flash import pop_flashes
from evac.web.templating import render

router = APIRouter(prefix="/staff/today", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def today_page(request: Request, session: ReadSessionDep, staff: FlightReader) -> HTMLResponse:
    context = {
        "staff": staff,
        "today": officer_today(session, staff, utcnow(), utc_today()),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/today.html", context)
