"""At the airport: check households in, board them, and close the flight.

Closing turns everyone still only assigned or confirmed into a no-show, which
frees their seats for the next plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.service import record_event, record_events
from evac.db import utcnow
from evac.errors import InvalidInput, NotFound
from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightStatus
from evac.i18n import N_
from evac.registration.models import CaseStatus, Registration
from evac.registration.reference import normalize_reference
from evac.staff.auth import StaffContext

A = AssignmentStatus
# What each airport step accepts, and what it sets on the seats and the case.
STEPS = {
    "check_in": ((A.assigned, A.confirmed), A.checked_in, CaseStatus.checked_in),
    "board": ((A.checked_in,), A.boarded, CaseStatus.boarded),
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
    accepted, seat_status, case_status = STEPS[step]
    case, seats = _household_on_flight(session, flight, typed)
    if any(seat.status not in accepted for seat in seats):
        if all(seat.status == seat_status for seat in seats):
            raise InvalidInput(N_("Already done for this household."))
        raise InvalidInput(N_("Check the household in before boarding."))
    for seat in seats:
        seat.status = seat_status
        seat.updated_at = utcnow()
    before = case.status
    case.status = case_status
    case.row_version += 1
    record_event(
        session, actor=staff.actor, action=f"airport.{step}", subject_type="registration",
        subject_id=case.reference, before={"status": before},
        after={"status": case_status, "flight": flight.flight_number},
    )  # fmt: skip
    session.commit()
    return AirportStep(case.reference, len(seats), seat_status)


def close_flight(session: Session, staff: StaffContext, flight: Flight) -> int:
    """Close boarding; whoever has not checked in is a no-show. Returns how many."""
    if flight.status not in (FlightStatus.planned, FlightStatus.open):
        raise InvalidInput(N_("This flight is closed."))
    missing = list(
        session.exec(
            select(Assignment).where(
                Assignment.flight_id == flight.id,
                Assignment.status.in_(STEPS["check_in"][0]),  # type: ignore[attr-defined]
            )
        ).all()
    )
    for seat in missing:
        seat.status = A.no_show
        seat.updated_at = utcnow()
    households = sorted({seat.registration_id for seat in missing})
    if households:
        session.execute(
            sa.update(Registration)
            .where(Registration.id.in_(households))  # type: ignore[union-attr]
            .values(status=CaseStatus.no_show, row_version=Registration.row_version + 1)
        )
        references = session.exec(
            select(Registration.reference).where(Registration.id.in_(households))  # type: ignore[union-attr]
        ).all()
        record_events(
            session,
            [
                {
                    "actor": staff.actor,
                    "action": "airport.no_show",
                    "subject_type": "registration",
                    "subject_id": reference,
                    "after": {"status": CaseStatus.no_show, "flight": flight.flight_number},
                }
                for reference in references
            ],
        )
    flight.status = FlightStatus.closed
    flight.updated_at = utcnow()
    record_event(
        session, actor=staff.actor, action="flight.close", subject_type="flight",
        subject_id=flight.id, after={"no_show_people": len(missing)},  # type: ignore[arg-type]
    )  # fmt: skip
    session.commit()
    return len(missing)
