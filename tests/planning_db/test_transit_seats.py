"""Seats held by people already on their way count against every plan, whichever
planner runs: once the bus has left, only flights home remain and the flight planner
plans, but the seats the bus's passengers hold on the flight (given by an officer's
onward travel, or never confirmed) are not its to give."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightStatus, LegMode
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus, Registration
from tests.factories import make_case, member, verify
from tests.planning_db.journeys import make_leg, seat_household, seats_by_leg
from tests.planning_db.test_plan_pages import _staff


def _on_the_way(session: Session, case: Registration, bus: Flight) -> None:
    """The household boarded the bus, which has left (as the airport desk would leave it)."""
    session.execute(
        sa.update(Assignment)
        .where(Assignment.registration_id == case.id, Assignment.flight_id == bus.id)
        .values(status=AssignmentStatus.boarded)
    )
    session.execute(
        sa.update(Registration).where(Registration.id == case.id).values(status=CaseStatus.boarded)
    )
    session.execute(
        sa.update(Flight).where(Flight.id == bus.id).values(status=FlightStatus.departed)
    )
    session.commit()


def test_the_flight_planner_leaves_travellers_seats_on_the_flight_home(session: Session) -> None:
    _staff(session)
    bus = make_leg(session, "B1", 4, "BER", "FRA", mode=LegMode.bus)
    flight = make_leg(session, "TK1590", 3, "FRA", "IST", hours=6)
    travelling = seat_household(session, [bus, flight], ("Aylin", "Kerem"))
    _on_the_way(session, travelling, bus)
    waiting = verify(
        session, make_case(session, "DE", [member("Deniz", "Kaya"), member("Ece", "Kaya")])
    )

    preview = commit_plan(session, actor="planner", country="DE")

    assert waiting.reference not in {move.reference for move in preview.moves}
    assert seats_by_leg(session, travelling) == {
        "B1": ["boarded", "boarded"],
        "TK1590": ["assigned", "assigned"],
    }
    assert seats_by_leg(session, waiting) == {}
