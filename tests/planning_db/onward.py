"""Someone left behind in Jeddah, for the onward travel tests.

A Khartoum household goes by bus to Port Sudan, by ship to Jeddah's port, by bus
to Jeddah's airport and flies home (``sudan.py``'s crisis). Everyone travels the
bus and the ship; at Jeddah's port one of them misses the bus to the airport: its
check-in closes without them, and they wait at the port (JED-PORT) from two hours
after the ship landed. The legs lie a day ahead: onward journeys never leave in
the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from evac.db import utcnow
from evac.flights.checkin import board, check_in
from evac.flights.closing import close_flight
from evac.flights.models import Flight, LegMode
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.registration.models import Person, Registration
from evac.staff.auth import StaffContext
from tests.factories import make_case, member, verify
from tests.planning_db.sudan import KHARTOUM, make_leg, make_places
from tests.planning_db.test_journeys import _land

# (number, mode, (country, from, to), (departs, arrives) in hours after the day)
ROUTE = (
    ("B1", LegMode.bus, ("SD", "KRT-1", "PZU-PORT"), (4, 20)),
    ("S1", LegMode.ship, ("SD", "PZU-PORT", "JED-PORT"), (28, 40)),
    ("B2", LegMode.bus, ("SA", "JED-PORT", "JED"), (43, 44)),
    ("F1", LegMode.flight, ("SA", "JED", "IST"), (50, 54)),
)
# Where the one left behind waits, and from when (the ship landed at 40 h).
WAITS_AT, WAITS_FROM = "JED-PORT", 42


def ahead() -> datetime:
    """Tomorrow, on the hour: the day the legs are counted from."""
    return utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


@dataclass
class Route:
    session: Session
    day: datetime
    legs: dict[str, Flight]

    def add(
        self,
        number: str,
        mode: LegMode,
        where: tuple[str, str, str],
        hours: tuple[float, float | None],
        seats: int,
        stretchers: int = 0,
    ) -> Flight:
        """Another leg, counted from the same day."""
        day = self.day
        leg = make_leg(
            self.session, number, mode, where, hours, seats, stretchers=stretchers, day=day
        )
        self.legs[number] = leg
        return leg


def make_route(session: Session, *, seats: int = 50, stretchers: int = 0) -> Route:
    """The places and the four legs home, each with ``seats`` seats and ``stretchers``."""
    make_places(session)
    route = Route(session, ahead(), {})
    for number, mode, where, hours in ROUTE:
        route.add(number, mode, where, hours, seats, stretchers)
    return route


@dataclass
class Household:
    case: Registration
    went_on: Person
    behind: Person


def leave_behind(
    session: Session, staff: StaffContext, route: Route, families: dict[str, bool]
) -> list[Household]:
    """A household of two for each family (the second person on a stretcher if its
    value says so), seated on the route; everyone travels the bus and the ship, the
    second of each household misses the bus at Jeddah's port."""
    legs = [route.legs[number] for number, *_ in ROUTE]
    cases = []
    for family, stretcher in families.items():
        people = [member("Ali", family), member("Ayse", family, needs_stretcher=stretcher)]
        case = make_case(session, "SD", people, city="Khartoum", position=KHARTOUM)
        verify(session, case)
        seats = [NewSeat(p.id, p.needs_stretcher) for p in case.members]  # type: ignore[arg-type]
        journeys.seat_journey(session, case, legs, seats, actor="planner")
        session.commit()
        cases.append(case)
    for leg in legs[:2]:
        for case in cases:
            check_in(session, staff, leg, case.reference, [p.id for p in case.members])  # type: ignore[misc]
            board(session, staff, leg, case.reference)
        _land(session, staff, leg)
    for case in cases:
        check_in(session, staff, route.legs["B2"], case.reference, [case.members[0].id])  # type: ignore[list-item]
        board(session, staff, route.legs["B2"], case.reference)
    session.expire_all()
    close_flight(session, staff, session.get_one(Flight, route.legs["B2"].id), len(cases))
    session.expire_all()
    households = []
    for case in cases:
        fresh = session.get_one(Registration, case.id)
        households.append(Household(fresh, *fresh.members))
    return households
