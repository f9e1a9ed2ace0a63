"""The coordinator's planning page: preview a plan, then commit it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from evac.db import ReadSessionDep, SessionDep
from evac.geo.airports import get_airport
from evac.geo.countries import country_choices, is_country_code
from evac.i18n.formats import number
from evac.planning.data import Flight, FlightLoad
from evac.planning.journey_views import journey_page
from evac.planning.report import plan_report, reasons_count
from evac.planning.service import PlanPreview, commit_plan, preview_plan
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role, verify_csrf
from evac.staff.models import Role
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/plan", include_in_schema=False)
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]
SHOWN = 200


def _country(value: str | None) -> str | None:
    return value.upper() if value and is_country_code(value.upper()) else None


@router.get("", response_class=HTMLResponse)
def plan_page(
    request: Request,
    session: ReadSessionDep,
    staff: Coordinator,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    chosen = _country(country)
    preview = preview_plan(session, chosen)
    report = plan_report(preview)
    journeys = journey_page(preview, SHOWN) if preview.by_journeys else None
    context = {
        "journeys": journeys,
        "staff": staff,
        "country": chosen,
        "countries": country_choices(request.state.language),
        "preview": preview,
        "report": report,
        "reasons": sorted(reasons_count(preview).items()),
        "moves": preview.moves[:SHOWN],
        "unassigned": report["unassigned"][:SHOWN],
        "needs": [c for c in report.get("countries", ()) if c["unassigned_people"]],
        "flight_rows": [] if journeys else _flight_rows(preview),
        "airport_of": get_airport,
        "shown": SHOWN,
        "flashes": pop_flashes(request),
    }
    return render(request, "planning/plan.html", context)


def _flight_rows(preview: PlanPreview) -> list[tuple[Flight, FlightLoad | None]]:
    loads = {load.flight_id: load for load in preview.result.flight_loads}  # type: ignore[union-attr]
    flights = sorted(preview.flights.values(), key=lambda f: (f.departure_time, f.flight_number))
    return [(f, loads.get(f.flight_id)) for f in flights if not f.cancelled]


@router.post("/commit", dependencies=[Depends(verify_csrf)])
def commit(
    request: Request,
    session: SessionDep,
    staff: Coordinator,
    country: Annotated[str, Form(max_length=2)] = "",
) -> RedirectResponse:
    chosen = _country(country)
    preview = commit_plan(session, actor=staff.actor, country=chosen)
    gettext = request_gettext(request)
    message = gettext("Plan saved: %(seated)s people seated, %(left)s left out, %(moved)s moved.")
    response = RedirectResponse(f"/staff/plan?country={chosen or ''}", status_code=303)
    counts = {
        "seated": preview.assigned_people,
        "left": preview.unassigned_people,
        "moved": len(preview.moves),
    }
    values = {name: number(count, request.state.language) for name, count in counts.items()}
    flash(response, message % values)
    return response
