"""Legs and households seated on journeys, for the journey tests."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from evac.flights.models import Assignment, Flight, FlightKind, FlightStatus
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.registration.models import Registration
from tests.factories import make_case, member, verify
from tests.planning_db.test_plan_commit import SOON

# Berlin by bus to Frankfurt, a flight on to Istanbul, a last one to Ankara.
ROUTE = (("BER", "FRA"), ("FRA", "IST"), ("IST", "ESB"))


def make_leg(
    session: Session,
    number: str,
    seats: int,
    origin: str,
    destination: str,
    *,
    hours: int = 0,
    stretchers: int = 0,
) -> Flight:
    departs = SOON + timedelta(hours=hours)
    leg = Flight(
        flight_number=number, kind=FlightKind.regular, departure_airport=origin,
        destination_airport=destination, country="DE", departure_time=departs,
        departure_date=departs.date(), seats=seats, stretchers=stretchers,
        status=FlightStatus.open,
    )  # fmt: skip
    session.add(leg)
    session.commit()
    return leg


def make_journey(session: Session, legs: int = 3, seats: int = 4, first: int = 0) -> list[Flight]:
    """``legs`` legs along ``ROUTE``, six hours apart; numbers start at ``first``."""
    return [make_leg(session, f"J{first + i}", seats, *ROUTE[i], hours=6 * i) for i in range(legs)]


def seat_household(
    session: Session, legs: list[Flight], names: tuple[str, ...] = ("Aylin", "Kerem")
) -> Registration:
    """A verified household of ``names`` seated on the journey ``legs``."""
    case = verify(session, make_case(session, "DE", [member(name, "Tan") for name in names]))
    seats = [NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
    journeys.seat_journey(session, case, legs, seats, actor="planner")
    session.commit()
    return case


def seats_by_leg(session: Session, case: Registration) -> dict[str, list[str]]:
    """Leg number → the case's seat statuses on it, in its people's order."""
    session.expire_all()
    rows = session.exec(
        select(Flight.flight_number, Assignment.status)
        .join(Flight, col(Flight.id) == Assignment.flight_id)
        .where(Assignment.registration_id == case.id)
        .order_by(col(Flight.departure_time), col(Assignment.person_id), col(Assignment.id))
    )
    found: dict[str, list[str]] = {}
    for number, seat in rows:
        found.setdefault(number, []).append(seat)
    return found
