"""Officers' changes to a flight's passengers (offload or move a household), and what
the registrant's page shows of the household's journey."""

from __future__ import annotations

from babel.numbers import format_decimal
from sqlmodel import Session, select

from evac.errors import InvalidInput
from evac.flights.meeting_texts import language_in, meeting_for
from evac.flights.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Flight,
    FlightKind,
    FlightStatus,
)
from evac.geo.airports import get_airport
from evac.geo.distance import geodesic_km
from evac.i18n import N_
from evac.lifecycle import journeys
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import CASE_TRANSITIONS, Action
from evac.places.service import local_departures
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext


def _household_seats(session: Session, flight: Flight, case: Registration) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment).where(
                Assignment.flight_id == flight.id,
                Assignment.registration_id == case.id,
                Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
            )
        ).all()
    )


def offload_household(
    session: Session, staff: StaffContext, flight: Flight, case: Registration
) -> int:
    """Take a household off a flight, and so off every leg of its journey not yet
    travelled; it returns to the pool for the next plan. Returns the people on ``flight``."""
    seats = _household_seats(session, flight, case)
    if not seats:
        raise InvalidInput(N_("This household is not on this flight."))
    details = {"from_flight": flight.flight_number, "flight": None}
    lifecycle.apply(session, case, Action.offload, actor=staff.actor, details=details)
    session.commit()
    return len(seats)


def move_household(
    session: Session, staff: StaffContext, flight: Flight, case: Registration, target: Flight
) -> None:
    """Move a household to another flight of its country that has room for it (on a
    journey, that leg is replaced, and the journey must still connect)."""
    seats = _household_seats(session, flight, case)
    if not seats:
        raise InvalidInput(N_("This household is not on this flight."))
    stretchers = sum(s.uses_stretcher for s in seats)
    if target.id == flight.id or target.country != flight.country:
        raise InvalidInput(N_("Choose another flight from the same country."))
    if target.status not in (FlightStatus.planned, FlightStatus.open):
        raise InvalidInput(N_("That flight no longer takes passengers."))
    if (target.kind == FlightKind.ambulance) != bool(stretchers):
        raise InvalidInput(N_("Stretcher patients fly on ambulance planes, and only they do."))
    journeys.move_household(session, case, flight, target, actor=staff.actor)
    session.commit()


def household_journey(session: Session, case: Registration) -> list[Flight]:
    """The legs the household holds seats on, in travel order (none without seats)."""
    return journeys.legs_of(session, case.id)  # type: ignore[arg-type]


def household_flight(session: Session, case: Registration) -> Flight | None:
    """The first leg the household holds seats on, if any: where it must go first."""
    legs = household_journey(session, case)
    return legs[0] if legs else None


def confirm_seats(session: Session, case: Registration, *, actor: str) -> Flight:
    """The registrant confirms the household will travel on the flight it was given."""
    flight = household_flight(session, case)
    if flight is None or case.status != CaseStatus.assigned:
        raise InvalidInput(N_("There is no seat to confirm for this case."))
    lifecycle.apply(
        session, case, Action.confirm, actor=actor, details={"flight": flight.flight_number}
    )
    session.commit()
    return flight


PRINTABLE_CASE_STATUSES = (CaseStatus.confirmed, CaseStatus.checked_in, CaseStatus.boarded)


def seat_summary(
    session: Session, case: Registration, language: str | None = None
) -> dict[str, object]:
    """What the registrant's page shows about the household's seat (nothing without one):
    the flight, its meeting point in ``language`` (the registrant's by default), how far
    the airport is from where the household said it is, and what they may do; then
    every leg of its journey, in order (``seat_legs``)."""
    legs = household_journey(session, case)
    if not legs:
        return {}
    flight = legs[0]
    language = language or case.language
    meeting = meeting_for(flight, language)
    distance = airport_distance_km(case, flight.departure_airport)
    departures = local_departures(session, legs)
    return {
        "seat_flight": flight,
        "seat_legs": departures,
        "seat_local_departure": departures[0][1],
        "seat_can_confirm": case.status == CaseStatus.assigned,
        "seat_can_print": case.status in PRINTABLE_CASE_STATUSES,
        "seat_can_decline": case.status in CASE_TRANSITIONS[Action.decline].sources,
        "seat_meeting": meeting,
        "seat_meeting_language": meeting and language_in(meeting.language, language),
        "seat_distance_km": None if distance is None else format_decimal(distance, locale=language),
    }


def airport_distance_km(case: Registration, airport_code: str) -> int | None:
    """How far the household's saved position is from the airport, rounded; None if unknown."""
    airport = get_airport(airport_code)
    if airport is None or case.latitude is None or case.longitude is None:
        return None
    return round(geodesic_km(case.latitude, case.longitude, airport.latitude, airport.longitude))
