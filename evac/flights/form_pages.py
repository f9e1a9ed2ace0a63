"""The flight form's pages: the form (again with its problems), and the review step
that shows what will be saved, on the clocks of both places and in UTC.

What the create and change routes share; ``routes.py`` holds the routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from babel.support import NullTranslations
from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from evac.errors import EvacError, InvalidFields
from evac.flights.form_input import FormReading, picker_value, read_flight_form
from evac.flights.models import Flight, FlightKind, LegMode
from evac.flights.schemas import FLIGHT_FIELDS, FlightCreate, parse_flight
from evac.flights.service import DuplicateFlight, place_problems
from evac.flights.times import arrival_times, departure_times, times_at
from evac.geo.airport_search import large_airports
from evac.geo.airports import Airport
from evac.i18n import get_translations
from evac.places.service import ResolvedPlace, airport_place, resolve_places
from evac.staff.auth import StaffContext
from evac.web.flash import pop_flashes
from evac.web.templating import render


def flight_form(
    flight_number: Annotated[str, Form(max_length=100)] = "",
    mode: Annotated[str, Form(max_length=20)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    departure_airport: Annotated[str, Form(max_length=200)] = "",
    destination_airport: Annotated[str, Form(max_length=200)] = "",
    departure_time: Annotated[str, Form(max_length=100)] = "",
    arrival_time: Annotated[str, Form(max_length=100)] = "",
    seats: Annotated[str, Form(max_length=20)] = "",
    stretchers: Annotated[str, Form(max_length=20)] = "",
    meeting_point: Annotated[str, Form(max_length=5000)] = "",
) -> dict[str, str]:
    """The posted flight fields, kept as typed so that a refused form shows them again."""
    return {
        "flight_number": flight_number,
        "mode": mode,
        "kind": kind,
        "departure_airport": departure_airport,
        "destination_airport": destination_airport,
        "departure_time": departure_time,
        "arrival_time": arrival_time,
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


def translations(request: Request) -> NullTranslations:
    return get_translations(request.state.language)


def places_typed(session: Session, values: dict[str, str]) -> dict[str, ResolvedPlace]:
    """The airports and recorded places the form's two place fields name by code."""
    return resolve_places(
        session, (values.get("departure_airport", ""), values.get("destination_airport", ""))
    )


def zones_of(places: dict[str, ResolvedPlace]) -> dict[str, str]:
    return {code: place.tz for code, place in places.items()}


def form_page(
    request: Request,
    staff: StaffContext,
    values: dict[str, str],
    *,
    places: dict[str, ResolvedPlace] | None = None,
    flight: Flight | None = None,
    refused: EvacError | None = None,
    version: int | None = None,
    suggestions: dict[str, list[Airport]] | None = None,
) -> HTMLResponse:
    gettext = translations(request).gettext
    errors: dict[str, str] = {}
    if isinstance(refused, InvalidFields):
        errors = refused.by_field(gettext)
    elif refused is not None:
        field = "flight_number" if isinstance(refused, DuplicateFlight) else "form"
        errors = {field: refused.render(gettext)}
    zones = zones_of(places or {})
    pickers = {
        name: picker_value(values, name, zones) for name in ("departure_time", "arrival_time")
    }
    if not values.get("mode") and values.get("kind") == FlightKind.ambulance:
        pickers["mode"] = LegMode.ambulance_flight
    context = {
        "staff": staff,
        "flight": flight,
        "row_version": version if version is not None else getattr(flight, "row_version", None),
        "values": values | pickers,
        "errors": errors,
        "modes": list(LegMode),
        "suggestions": suggestions or {},
        "large_airports": large_airports(),
        "flashes": pop_flashes(request),
    }
    status = refused.status_code if refused else 200
    return render(request, "flights/form.html", context, status_code=status)


def read_form(
    form: dict[str, str], places: dict[str, ResolvedPlace]
) -> tuple[FormReading, FlightCreate | None, EvacError | None]:
    """The form read as a new leg, or every problem with it (the form's own first)."""
    reading = read_flight_form(form, zones_of(places))
    try:
        data = parse_flight(reading.values)
    except InvalidFields as invalid:
        return reading, None, InvalidFields(reading.problems + invalid.problems)
    for code in (data.departure_airport, data.destination_airport):
        airport = places.get(code) or airport_place(code)
        if airport is not None:
            places[code] = airport  # typed by name or city: the review names it
    problems = reading.problems + place_problems(data, places)
    if problems:
        return reading, None, InvalidFields(problems)
    return reading, data, None


def review_page(
    request: Request,
    staff: StaffContext,
    data: FlightCreate,
    values: dict[str, str],
    places: dict[str, ResolvedPlace],
    *,
    flight: Flight | None = None,
    version: int | None = None,
) -> HTMLResponse:
    """What will be saved, the times on the places' clocks and in UTC, before saving."""
    departure, destination = places[data.departure_airport], places[data.destination_airport]
    arrival = data.arrival_time
    context = {
        "staff": staff,
        "flight": flight,
        "row_version": version,
        "data": data,
        "values": values,
        "departure": departure,
        "destination": destination,
        "times": times_at(data.departure_time, departure.tz),
        "arrival": times_at(arrival, destination.tz) if arrival else None,
        "fields": FLIGHT_FIELDS,
    }
    return render(request, "flights/review.html", context)


def form_values(flight: Flight) -> dict[str, str]:
    """A saved leg as the form shows it: times on the places' clocks."""
    values = {name: str(getattr(flight, name) or "") for name in FLIGHT_FIELDS}
    departure = departure_times(flight)
    values["departure_time"] = departure.local.isoformat(timespec="minutes")
    arrival = arrival_times(flight)
    values["arrival_time"] = arrival.local.isoformat(timespec="minutes") if arrival else ""
    values["stretchers"] = str(flight.stretchers)
    values["seats"] = str(flight.seats)
    values["kind"] = ""  # the mode says it
    return values
