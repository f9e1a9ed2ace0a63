"""Flight pages: coordinators create, change and cancel flights; officers read theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from babel.support import NullTranslations
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import Conflict, EvacError, InvalidFields, InvalidInput
from evac.flights.deps import FlightReader, Protected, parse_flight_query
from evac.flights.form_input import FormReading, picker_value, read_flight_form
from evac.flights.meeting_routes import router as meeting_router
from evac.flights.models import Flight, FlightKind, FlightStatus
from evac.flights.schemas import (
    FLIGHT_FIELDS,
    DepartureTimes,
    FlightCreate,
    departure_times,
    parse_flight,
)
from evac.flights.service import (
    CANCELLED_IS_FINAL,
    DuplicateFlight,
    FlightQuery,
    cancel_flight,
    create_flight,
    flight_history,
    get_readable_flight,
    list_flights,
    update_flight,
    used_on,
)
from evac.geo.airport_search import airport_kind, find_airports, large_airports
from evac.geo.airports import Airport, get_airport, local_time
from evac.i18n import get_translations
from evac.i18n.labels import label
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role
from evac.staff.models import Role
from evac.validation import DbId, RowVersion
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render

router = APIRouter(prefix="/staff/flights", include_in_schema=False)
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]


def flight_form(
    flight_number: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    departure_airport: Annotated[str, Form(max_length=200)] = "",
    destination_airport: Annotated[str, Form(max_length=200)] = "",
    departure_time: Annotated[str, Form(max_length=100)] = "",
    seats: Annotated[str, Form(max_length=20)] = "",
    stretchers: Annotated[str, Form(max_length=20)] = "",
    meeting_point: Annotated[str, Form(max_length=5000)] = "",
) -> dict[str, str]:
    """The posted flight fields, kept as typed so that a refused form shows them again."""
    return {
        "flight_number": flight_number,
        "kind": kind,
        "departure_airport": departure_airport,
        "destination_airport": destination_airport,
        "departure_time": departure_time,
        "seats": seats,
        "stretchers": stretchers,
        "meeting_point": meeting_point,
    }


FlightForm = Annotated[dict[str, str], Depends(flight_form)]


@dataclass(frozen=True)
class FormStep:
    confirmed: bool
    change: bool


def form_step(
    confirmed: Annotated[str, Form(max_length=3)] = "",
    change: Annotated[str, Form(max_length=3)] = "",
) -> FormStep:
    """Which button of the review step was pressed: save, or change the values."""
    return FormStep(confirmed == "yes", change == "yes")


Step = Annotated[FormStep, Depends(form_step)]


def _translations(request: Request) -> NullTranslations:
    return get_translations(request.state.language)


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
        "times": departure_times,
        "page_link": lambda page: "?" + urlencode({**params, "page": page}),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/list.html", context)


def _form_page(
    request: Request,
    staff: StaffContext,
    values: dict[str, str],
    *,
    flight: Flight | None = None,
    refused: EvacError | None = None,
    version: int | None = None,
    suggestions: dict[str, list[Airport]] | None = None,
) -> HTMLResponse:
    gettext = _translations(request).gettext
    errors: dict[str, str] = {}
    if isinstance(refused, InvalidFields):
        errors = refused.by_field(gettext)
    elif refused is not None:
        field = "flight_number" if isinstance(refused, DuplicateFlight) else "form"
        errors = {field: refused.render(gettext)}
    context = {
        "staff": staff,
        "flight": flight,
        "row_version": version if version is not None else getattr(flight, "row_version", None),
        "values": values | {"departure_time": picker_value(values)},
        "errors": errors,
        "kinds": list(FlightKind),
        "suggestions": suggestions or {},
        "large_airports": large_airports(),
        "flashes": pop_flashes(request),
    }
    status = refused.status_code if refused else 200
    return render(request, "flights/form.html", context, status_code=status)


def _read(form: dict[str, str]) -> tuple[FormReading, FlightCreate | None, EvacError | None]:
    """The form read as a new flight, or every problem with it (the form's own first)."""
    reading = read_flight_form(form)
    try:
        data = parse_flight(reading.values)
    except InvalidFields as invalid:
        return reading, None, InvalidFields(reading.problems + invalid.problems)
    if reading.problems:
        return reading, None, InvalidFields(reading.problems)
    return reading, data, None


def _review_page(
    request: Request,
    staff: StaffContext,
    data: FlightCreate,
    values: dict[str, str],
    *,
    flight: Flight | None = None,
    version: int | None = None,
) -> HTMLResponse:
    """What will be saved, the departure on the airport's clocks and in UTC, before saving."""
    departure = get_airport(data.departure_airport)
    context = {
        "staff": staff,
        "flight": flight,
        "row_version": version,
        "data": data,
        "values": values,
        "departure": departure,
        "destination": get_airport(data.destination_airport),
        "times": DepartureTimes(
            local=local_time(data.departure_airport, data.departure_time),
            utc=data.departure_time,
            zone=(departure.tz if departure else "") or "UTC",
        ),
        "fields": FLIGHT_FIELDS,
    }
    return render(request, "flights/review.html", context)


@router.get("/new", response_class=HTMLResponse)
def new_flight(request: Request, staff: Coordinator) -> HTMLResponse:
    return _form_page(request, staff, {"kind": FlightKind.regular, "stretchers": "0"})


@router.post("", dependencies=Protected, response_model=None)
def add_flight(
    request: Request, session: SessionDep, staff: Coordinator, form: FlightForm, step: Step
) -> Response:
    """The first post shows what will be saved; the second (``confirmed=yes``) saves it."""
    if step.change:
        return _form_page(request, staff, form)
    reading, data, refused = _read(form)
    if data is not None and not step.confirmed:
        return _review_page(request, staff, data, reading.values)
    try:
        if refused is not None:
            raise refused
        flight = create_flight(session, data, actor=staff.actor)  # type: ignore[arg-type]
    except (InvalidInput, Conflict) as error:
        return _form_page(request, staff, form, refused=error, suggestions=reading.suggestions)
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    gettext = _translations(request).gettext
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
        "used": used_on(session, flight),
        "can_change": staff.role is Role.coordinator and flight.status != FlightStatus.cancelled,
        "history": flight_history(session, flight),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/detail.html", context)


def _form_values(flight: Flight) -> dict[str, str]:
    values = {name: str(getattr(flight, name) or "") for name in FLIGHT_FIELDS}
    values["departure_time"] = departure_times(flight).local.isoformat(timespec="minutes")
    values["stretchers"] = str(flight.stretchers)
    values["seats"] = str(flight.seats)
    return values


def _refuse_cancelled(request: Request, flight: Flight) -> Response | None:
    if flight.status != FlightStatus.cancelled:
        return None
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    flash(response, _translations(request).gettext(CANCELLED_IS_FINAL), kind="error")
    return response


@router.get("/{flight_id}/edit", response_model=None)
def edit_flight(
    request: Request, session: ReadSessionDep, staff: Coordinator, flight_id: DbId
) -> Response:
    flight = get_readable_flight(session, staff, flight_id)
    refused = _refuse_cancelled(request, flight)
    if refused:
        return refused
    return _form_page(request, staff, _form_values(flight), flight=flight)


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
    if step.change:
        return _form_page(request, staff, form, flight=flight, version=row_version)
    reading, data, problem = _read(form)
    if data is not None and not step.confirmed:
        return _review_page(
            request, staff, data, reading.values, flight=flight, version=row_version
        )
    try:
        if problem is not None:
            raise problem
        update_flight(
            session, flight, reading.values, expected_version=row_version, actor=staff.actor
        )
    except (InvalidInput, Conflict) as error:
        return _form_page(
            request,
            staff,
            form,
            flight=flight,
            refused=error,
            version=row_version,
            suggestions=reading.suggestions,
        )
    response = RedirectResponse(f"/staff/flights/{flight.id}", status_code=303)
    gettext = _translations(request).gettext
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
    translations = _translations(request)
    try:
        holding = cancel_flight(session, flight, expected_version=row_version, actor=staff.actor)
    except (InvalidInput, Conflict) as refused:
        flash(response, refused.render(translations.gettext), kind="error")
        return response
    details = []
    if holding:
        still = translations.ngettext(
            "%(num)s person still holds a place on it; run the planner to move them.",
            "%(num)s people still hold a place on it; run the planner to move them.",
            holding,
        )
        details.append(still % {"num": holding})
    gettext = translations.gettext
    flash(response, gettext("Flight cancelled."), details, "warning" if holding else "success")
    return response


router.include_router(meeting_router)
