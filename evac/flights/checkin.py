"""At the airport: check households in, board them, and close the flight.

Closing turns everyone still only assigned or confirmed into a no-show, which
frees their seats for the next plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import InvalidInput, NotFound
from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightStatus
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.registration.models import Registration
from evac.registration.reference import normalize_reference
from evac.staff.auth import StaffContext

A = AssignmentStatus
# What each airport step accepts on the seats, what it sets, and the case's action.
STEPS = {
    "check_in": ((A.assigned, A.confirmed), A.checked_in, Action.check_in),
    "board": ((A.checked_in,), A.boarded, Action.board),
}


@dataclass(frozen=True)
class AirportStep:
    reference: str
    people: int
    status: AssignmentStatus


def _household_on_flight(
    session: Session, flight: Flight, typed: str
) -> tuple[Registration, list[Assignment]]:
    reference = normalize_reference(typed)
    case = (
        session.exec(select(Registration).where(Registration.reference == reference)).first()
        if reference
        else None
    )
    seats = (
        list(
            session.exec(
                select(Assignment).where(
                    Assignment.flight_id == flight.id,
                    Assignment.registration_id == case.id,
                    Assignment.status.in_([*STEPS["check_in"][0], A.checked_in, A.boarded]),  # type: ignore[attr-defined]
                )
            ).all()
        )
        if case
        else []
    )
    if case is None or not seats:
        raise NotFound(N_("No household with this reference on this flight."))
    return case, seats


def airport_step(
    session: Session, staff: StaffContext, flight: Flight, typed: str, step: str
) -> AirportStep:
    """Check in or board the household whose reference was typed or scanned."""
    if flight.status not in (FlightStatus.planned, FlightStatus.open):
        raise InvalidInput(N_("This flight is closed."))
    accepted, seat_status, action = STEPS[step]
    case, seats = _household_on_flight(session, flight, typed)
    if any(seat.status not in accepted for seat in seats):
        if all(seat.status == seat_status for seat in seats):
            raise InvalidInput(N_("Already done for this household."))
        raise InvalidInput(N_("Check the household in before boarding."))
    lifecycle.apply(
        session, case, action, actor=staff.actor, details={"flight": flight.flight_number}
    )
    session.commit()
    return AirportStep(case.reference, len(seats), seat_status)


def close_flight(session: Session, staff: StaffContext, flight: Flight) -> int:
    """Close boarding; whoever has not checked in is a no-show. Returns how many."""
    if flight.status not in (FlightStatus.planned, FlightStatus.open):
        raise InvalidInput(N_("This flight is closed."))
    missing = session.execute(
        sa.select(Assignment.registration_id).where(
            Assignment.flight_id == flight.id,
            Assignment.status.in_(STEPS["check_in"][0]),  # type: ignore[attr-defined]
        )
    ).scalars()
    households = sorted(set(missing))
    people = lifecycle.seats_of(session, households)
    lifecycle.apply_many(
        session,
        households,
        Action.no_show,
        actor=staff.actor,
        details={case_id: {"flight": flight.flight_number} for case_id in households},
    )
    flight.status = FlightStatus.closed
    flight.updated_at = utcnow()
    record_event(
        session, actor=staff.actor, action="flight.close", subject_type="flight",
        subject_id=flight.id, after={"no_show_people": people},  # type: ignore[arg-type]
    )  # fmt: skip
    session.commit()
    return people
