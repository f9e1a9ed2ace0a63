"""A Sudan-like crisis for the journey tests: Khartoum's airport is closed, so people
gather at an assembly point, go by bus to Port Sudan, by ship to Jeddah, by bus to
Jeddah's airport and fly home to Istanbul (as in April 2023)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from evac.flights.models import Flight, FlightStatus, LegMode, kind_for_mode
from evac.places.models import Place, PlaceKind
from evac.registration.models import Registration
from tests.factories import leg_row, make_case, member, verify

DAY = datetime(2026, 12, 1, tzinfo=UTC)
KHARTOUM = (15.55, 32.53)
GIVEN = ("Ali", "Ayse", "Can", "Deniz", "Emre", "Fatma", "Gul", "Hasan")

PLACES = (
    ("KRT-1", PlaceKind.assembly_point, "Khartoum, Riyadh district", "SD", 15.57, 32.58, 30.0),
    ("PZU-PORT", PlaceKind.seaport, "Port Sudan seaport", "SD", 19.61, 37.23, None),
    ("JED-PORT", PlaceKind.seaport, "Jeddah Islamic Port", "SA", 21.47, 39.17, None),
)


@dataclass
class Crisis:
    legs: dict[str, Flight]
    cases: dict[str, Registration]


def make_places(session: Session) -> None:
    for code, kind, name, country, lat, lon, reach in PLACES:
        session.add(
            Place(code=code, kind=kind, name=name, country=country, latitude=lat,
                  longitude=lon, reach_km=reach)
        )  # fmt: skip
    session.commit()


def make_leg(session: Session, number: str, mode: LegMode, route: tuple[str, str, str],
             hours: tuple[float, float | None], seats: int, *, stretchers: int = 0,
             day: datetime = DAY) -> Flight:  # fmt: skip
    """A leg ``route`` = (country, from, to), leaving and arriving ``hours`` after ``day``."""
    country, origin, destination = route
    departs = day + timedelta(hours=hours[0])
    arrives = day + timedelta(hours=hours[1]) if hours[1] is not None else None
    leg = leg_row(
        session, flight_number=number, kind=kind_for_mode(mode), mode=mode,
        departure_airport=origin, destination_airport=destination, country=country,
        departure_time=departs, departure_date=departs.date(), arrival_time=arrives, seats=seats,
        stretchers=stretchers, status=FlightStatus.open,
    )  # fmt: skip
    session.add(leg)
    session.commit()
    return leg


def make_crisis(session: Session, bus_seats: int = 10) -> Crisis:
    """Four legs home and a spare ship; families of 8, 3 and 2 in Khartoum.

    The bus has ``bus_seats`` seats: with 10, the family of 8 (registered first) and the
    family of 2 go, the family of 3 is left out for lack of room on the bus. The flight
    home has no arrival time recorded (an old flight): the planner estimates it.
    """
    make_places(session)
    legs = {
        "B1": make_leg(session, "B1", LegMode.bus, ("SD", "KRT-1", "PZU-PORT"), (4, 20), bus_seats),
        "S1": make_leg(session, "S1", LegMode.ship, ("SD", "PZU-PORT", "JED-PORT"), (28, 40), 500),
        "S2": make_leg(session, "S2", LegMode.ship, ("SD", "PZU-PORT", "JED-PORT"), (29, 41), 500),
        "B2": make_leg(session, "B2", LegMode.bus, ("SA", "JED-PORT", "JED"), (43, 44), 50),
        "F1": make_leg(session, "F1", LegMode.flight, ("SA", "JED", "IST"), (50, None), 180),
    }
    cases = {}
    for name, size in (("Eight", 8), ("Three", 3), ("Two", 2)):
        people = [member(given, name) for given in GIVEN[:size]]
        cases[name] = verify(
            session, make_case(session, "SD", people, city="Khartoum", position=KHARTOUM)
        )
    return Crisis(legs, cases)
