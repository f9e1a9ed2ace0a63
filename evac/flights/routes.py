"""Flight pages: coordinators create, change and cancel flights; officers read theirs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import Conflict, InvalidInput
from evac.flights.deps import FlightReader, Protected, parse_flight_query
from evac.flights.form_pages import (
    FlightForm,
    Step,
    form_page,
    form_values,
    places_typed,
    read_form,
    review_page,
    translations,
)
from evac.flights.meeting_routes import router as meeting_router
from evac.flights.models import Flight, FlightKind, FlightStatus, LegMode
from evac.flights.service import (
    CANCELLED_IS_FINAL,
    FlightQuery,
    cancel_flight,
    create_flight,
    flight_history,
    get_readable_flight,
    list_flights,
    update_flight,
    used_on,
)
from evac.flights.times import arrival_times, departure_times
from evac.geo.airport_search import airport_kind, find_airports
from evac.i18n.labels import label
from evac.places.service import resolve_places
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role
from evac.staff.models import Role
from evac.validation import DbId, RowVersion
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render

router = APIRouter(prefix="/staff/flights", include_in_schema=False)
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]


def _ends(flights: Iterable[Flight]) -> set[str]:
    return {code for f in flights for code in (f.departure_airport, f.destination_airport)}


@router.get("", response_class=HTMLResponse)
def flight_list(
    request: Request,
    session: ReadSessionDep,
    staff: FlightReader,
    query: Annotated[FlightQuery, Depends(parse_flight_query)],
) -> HTMLResponse:
    result = list_flights(session, staff, query, utcnow())
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    countries = staff.country_choices(request.state.language)
    context = {
        "staff": staff,
        "query": query,
        "result": result,
        "countries": countries,
        "status_options": [
            (status.value, label(status, request.state.language, "flight_status"))
            for status in FlightStatus
        ],
        "kinds": list(FlightKind),
        "modes": list(LegMode),
        "times": departure_times,
        "page_link": lambda page: "?" + urlencode({**params, "page": page}),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/list.html", context)


@router.get("/new", response_class=HTMLResponse)
def new_flight(request: Request, staff: Coordinator) -> HTMLResponse:
    return form_page(request, staff, {"mode": LegMode.flight, "stretchers": "0"})


@router.post("", dependencies=Protected, response_model=None)
def add_flight(
    request: Request, session: SessionDep, staff: Coordinator, form: FlightForm, step: Step
) -> Response:
    """The first post shows what will be saved; the second (``confirmed=yes``) saves it."""
    places = places_typed(session, form)
    if step.change:
        return form_page(request, staff, form, places=places)
    reading, data, refused = read_form(form, places)
    if data is not None and not step.confirmed:
        return review_page(request, staff, data, reading.values, places)
    try:
        if refused is not None:
            raise refused
        flight = create_flight(session, data, actor=staff.actor)  # type: ignore[arg-type]
    except (InvalidInput, Conflict) as error:
        suggestions = reading.suggestions
        return form_page(
            request, staff, form, places=places, refused=error, suggestions=suggestions
        )
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    gettext = translations(request).gettext
    message = gettext("Flight %(number)s created.") % {"number": flight.flight_number}
    flash(response, message)
    return response


@router.get("/airports", response_class=HTMLResponse)
def airport_search(
    request: Request,
    staff: Coordinator,
    q: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """Airports by name, city, IATA or ICAO code, large ones first (works without JavaScript)."""
    found = find_airports(q, limit=25) if q.strip() else []
    context = {"staff": staff, "q": q, "found": found, "kind_of": airport_kind}
    return render(request, "flights/airports.html", context)


@router.get("/{flight_id}", response_class=HTMLResponse)
def flight_page(
    request: Request, session: ReadSessionDep, staff: FlightReader, flight_id: DbId
) -> HTMLResponse:
    flight = get_readable_flight(session, staff, flight_id)
    context = {
        "staff": staff,
        "flight": flight,
        "times": departure_times(flight),
        "arrival": arrival_times(flight),
        "used": used_on(session, flight),
        "can_change": staff.role is Role.coordinator and flight.status != FlightStatus.cancelled,
        "history": flight_history(session, flight),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/detail.html", context)


def _refuse_cancelled(request: Request, flight: Flight) -> Response | None:
    if flight.status != FlightStatus.cancelled:
        return None
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    flash(response, translations(request).gettext(CANCELLED_IS_FINAL), kind="error")
    return response


@router.get("/{flight_id}/edit", response_model=None)
def edit_flight(
    request: Request, session: ReadSessionDep, staff: Coordinator, flight_id: DbId
) -> Response:
    flight = get_readable_flight(session, staff, flight_id)
    refused = _refuse_cancelled(request, flight)
    if refused:
        return refused
    places = resolve_places(session, _ends([flight]))
    values = form_values(flight)
    return form_page(request, staff, values, places=places, flight=flight)


@router.post("/{flight_id}", dependencies=Protected, response_model=None)
def change_flight(
    request: Request,
    session: SessionDep,
    staff: Coordinator,
    flight_id: DbId,
    form: FlightForm,
    row_version: Annotated[RowVersion, Form()],
    step: Step,
) -> Response:
    flight = get_readable_flight(session, staff, flight_id)
    refused = _refuse_cancelled(request, flight)
    if refused:
        return refused
    places = places_typed(session, form)
    if step.change:
        return form_page(request, staff, form, places=places, flight=flight, version=row_version)
    reading, data, problem = read_form(form, places)
    if data is not None and not step.confirmed:
        return review_page(
            request, staff, data, reading.values, places, flight=flight, version=row_version
        )
    try:
        if problem is not None:
            raise problem
        update_flight(
            session, flight, reading.values, expected_version=row_version, actor=staff.actor
        )
    except (InvalidInput, Conflict) as error:
        return form_page(
            request,
            staff,
            form,
            places=places,
            flight=flight,
            refused=error,
            version=row_version,
            suggestions=reading.suggestions,
        )
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    gettext = translations(request).gettext
    flash(response, gettext("Flight changed."))
    return response


@router.post("/{flight_id}/cancel", dependencies=Protected)
def cancel(
    request: Request,
    session: SessionDep,
    staff: Coordinator,
    flight_id: DbId,
    row_version: Annotated[RowVersion, Form()],
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    words = translations(request)
    try:
        holding = cancel_flight(session, flight, expected_version=row_version, actor=staff.actor)
    except (InvalidInput, Conflict) as refused:
        flash(response, refused.render(words.gettext), kind="error")
        return response
    details = []
    if holding:
        still = words.ngettext(
            "%(num)s person still holds a place on it; run the planner to move them.",
            "%(num)s people still hold a place on it; run the planner to move them.",
            holding,
        )
        details.append(still % {"num": holding})
    gettext = words.gettext
    flash(response, gettext("Flight cancelled."), details, "warning" if holding else "success")
    return response


router.include_router(meeting_router)
