"""Legs and households seated on journeys, for the journey tests."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from evac.flights.models import Assignment, Flight, FlightKind, FlightStatus, LegMode
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.places.models import Place, PlaceKind
from evac.registration.models import Registration
from tests.factories import leg_row, make_case, member, verify
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
    mode: LegMode = LegMode.flight,
    meeting_point: str | None = None,
) -> Flight:
    departs = SOON + timedelta(hours=hours)
    leg = leg_row(
        session, flight_number=number, kind=FlightKind.regular, departure_airport=origin,
        destination_airport=destination, country="DE", departure_time=departs,
        departure_date=departs.date(), seats=seats, stretchers=stretchers,
        status=FlightStatus.open, mode=mode, arrival_time=departs + timedelta(hours=3),
        meeting_point=meeting_point,
    )  # fmt: skip
    session.add(leg)
    session.commit()
    return leg


def make_journey(session: Session, legs: int = 3, seats: int = 4, first: int = 0) -> list[Flight]:
    """``legs`` legs along ``ROUTE``, six hours apart; numbers start at ``first``."""
    return [make_leg(session, f"J{first + i}", seats, *ROUTE[i], hours=6 * i) for i in range(legs)]


def make_place(
    session: Session, code: str, name: str, country: str, at: tuple[float, float]
) -> None:
    latitude, longitude = at
    place = Place(code=code, kind=PlaceKind.assembly_point, name=name, country=country,
                  latitude=latitude, longitude=longitude)  # fmt: skip
    session.add(place)
    session.commit()


def make_four_legs(session: Session) -> list[Flight]:
    """By bus from an assembly point in Berlin to BER, by air to Istanbul and on to
    Ankara, by bus to an assembly point in Ankara: Berlin's clocks, then Istanbul's."""
    make_place(session, "AP-BERLIN", "Rotes Rathaus", "DE", (52.518, 13.408))
    make_place(session, "AP-ANKARA", "Kızılay Meydanı", "TR", (39.920, 32.854))
    legs = [
        ("B1", "AP-BERLIN", "BER", LegMode.bus, "Rotes Rathaus, bus stop"),
        ("TK1724", "BER", "IST", LegMode.flight, None),
        ("TK2140", "IST", "ESB", LegMode.flight, "Gate B12"),
        ("B2", "ESB", "AP-ANKARA", LegMode.bus, None),
    ]
    return [
        make_leg(session, number, 10, origin, to, hours=5 * i, mode=mode, meeting_point=meeting)
        for i, (number, origin, to, mode, meeting) in enumerate(legs)
    ]


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
