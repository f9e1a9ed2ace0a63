"""The coordination dashboard: every country at a glance, for coordinators."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from evac.db import ReadSessionDep, utc_today
from evac.errors import NotFound
from evac.flights.service import readable_flights
from evac.geo.countries import is_country_code
from evac.i18n import N_, get_translations
from evac.notifications.delivery import delivery
from evac.reports.charts import bar_chart, meter
from evac.reports.dashboard import Dashboard, build_dashboard, daily_series
from evac.reports.journey_map import transit_rows
from evac.reports.map_marks import country_page_context, dashboard_map
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role
from evac.staff.models import Role
from evac.web.templating import render

router = APIRouter(prefix="/staff/dashboard", include_in_schema=False)
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]


def _days(counts: list[tuple[date, int]]) -> list[tuple[str, int]]:
    last = max([day for day, _ in counts] + [utc_today()])
    return [(day.strftime("%d.%m"), n) for day, n in daily_series(counts, last)]


def _charts(dashboard: Dashboard, language: str) -> dict[str, object]:
    gettext = get_translations(language).gettext
    return {
        "registrations_chart": bar_chart(
            _days(dashboard.registrations_per_day),
            gettext("Households registered per day"),
        ),
        "evacuations_chart": bar_chart(
            _days(dashboard.evacuations_per_day),
            gettext("People boarded per day of departure"),
        ),
    }


@router.get("", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    session: ReadSessionDep,
    staff: Coordinator,
    recommendations: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """The figures come from a few grouped queries; the planner's extra-flight
    recommendations (a full planning run) only when asked for."""
    dashboard = build_dashboard(
        session, get_settings().home_country, recommendations=recommendations
    )
    most_waiting = max((row.waiting for row in dashboard.countries), default=0)
    context = {
        "staff": staff,
        "dashboard": dashboard,
        "total": dashboard.total,
        "most_waiting": most_waiting,
        "meter": meter,
        "waiting_map": dashboard_map(session, dashboard, request.state.language),
        "delivery": delivery(),
        "in_transit": transit_rows(session, readable_flights(staff), request.state.language),
        **_charts(dashboard, request.state.language),
    }
    return render(request, "reports/dashboard.html", context)


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(
    request: Request,
    session: ReadSessionDep,
    staff: Coordinator,
    code: Annotated[str, Path(pattern="^[A-Za-z]{2}$")],
) -> HTMLResponse:
    """One country: where its people wait, city by city; its flights; its missions."""
    code = code.upper()
    if not is_country_code(code):
        raise NotFound(N_("No such country."))
    context = {"staff": staff, **country_page_context(session, code, request.state.language)}
    return render(request, "reports/country.html", context)
