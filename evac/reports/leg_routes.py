"""The map of a country's legs: where journeys go, and who is on each leg.

A page of its own rather than a panel of the country page: officers follow the
journeys leaving their missions' countries too, and the country page is the
coordinators' dashboard. Coordinators reach it from a country's page and the
dashboard's table of people in transit; officers and coordinators from the list
of flights.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from evac.db import ReadSessionDep
from evac.flights.service import readable_flights
from evac.geo.countries import is_country_code
from evac.reports.journey_map import legs_map_context
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role
from evac.staff.models import Role
from evac.web.templating import render

router = APIRouter(prefix="/staff/legs", include_in_schema=False)
Follower = Annotated[StaffContext, Depends(require_role(Role.coordinator, Role.officer))]


def _country(value: str | None, staff: StaffContext) -> str | None:
    """The country asked for if it is one; else an officer's first country."""
    if value and is_country_code(value.upper()):
        return value.upper()
    return None if staff.sees_all_countries or not staff.countries else staff.countries[0]


@router.get("/map", response_class=HTMLResponse)
def legs_map_page(
    request: Request,
    session: ReadSessionDep,
    staff: Follower,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    """Every leg leaving or reaching the country, and those continuing from there."""
    chosen = _country(country, staff)
    language = request.state.language
    context: dict[str, object] = {
        "staff": staff,
        "country": chosen,
        "countries": staff.country_choices(language),
    }
    if chosen:
        home = get_settings().home_country
        scope = readable_flights(staff)
        context |= legs_map_context(session, scope, chosen, home, language)
    return render(request, "reports/legs_map.html", context)
