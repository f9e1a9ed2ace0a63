"""Officers' changes to a flight's passengers: offload or move a household."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import InvalidInput
from evac.flights.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Flight,
    FlightKind,
    FlightStatus,
)
from evac.geo.airports import local_time
from evac.i18n import N_
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext

SEATED_CASE_STATUSES = (CaseStatus.assigned, CaseStatus.confirmed)


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


def _free(session: Session, flight: Flight) -> tuple[int, int]:
    seats, stretchers = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((Assignment.uses_stretcher, 0), else_=1)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((Assignment.uses_stretcher, 1), else_=0)), 0),
        ).where(
            Assignment.flight_id == flight.id,
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
        )
    ).one()
    return flight.seats - seats, flight.stretchers - stretchers


def offload_household(
    session: Session, staff: StaffContext, flight: Flight, case: Registration
) -> int:
    """Take a household off a flight; it returns to the pool for the next plan."""
    seats = _household_seats(session, flight, case)
    if not seats:
        raise InvalidInput(N_("This household is not on this flight."))
    if any(s.status == AssignmentStatus.boarded for s in seats):
        raise InvalidInput(N_("The household has boarded; it cannot be offloaded."))
    for seat in seats:
        seat.status = AssignmentStatus.offloaded
        seat.updated_at = utcnow()
    before = case.status
    if case.status in (*SEATED_CASE_STATUSES, CaseStatus.checked_in):
        case.status = CaseStatus.verified
    case.row_version += 1
    record_event(
        session, actor=staff.actor, action="manifest.offload", subject_type="registration",
        subject_id=case.reference, before={"flight": flight.flight_number, "status": before},
        after={"flight": None, "status": case.status},
    )  # fmt: skip
    session.commit()
    return len(seats)


def move_household(
    session: Session, staff: StaffContext, flight: Flight, case: Registration, target: Flight
) -> None:
    """Move a household to another flight of its country that has room for it."""
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
    free_seats, free_stretchers = _free(session, target)
    if free_seats < len(seats) - stretchers or free_stretchers < stretchers:
        raise InvalidInput(N_("That flight has no room for the whole household."))
    for seat in seats:
        seat.status = AssignmentStatus.offloaded
        session.add(
            Assignment(
                flight_id=target.id,  # type: ignore[arg-type]
                person_id=seat.person_id,
                registration_id=seat.registration_id,
                uses_stretcher=seat.uses_stretcher,
            )
        )
    case.status = CaseStatus.assigned
    case.row_version += 1
    record_event(
        session, actor=staff.actor, action="manifest.move", subject_type="registration",
        subject_id=case.reference, before={"flight": flight.flight_number},
        after={"flight": target.flight_number},
    )  # fmt: skip
    session.commit()


def household_flight(session: Session, case: Registration) -> Flight | None:
    """The flight the household holds seats on, if any."""
    return session.exec(
        select(Flight)
        .join(Assignment, Assignment.flight_id == Flight.id)  # type: ignore[arg-type]
        .where(
            Assignment.registration_id == case.id,
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
        )
        .limit(1)
    ).first()


def confirm_seats(session: Session, case: Registration, *, actor: str) -> Flight:
    """The registrant confirms the household will travel on the flight it was given."""
    flight = household_flight(session, case)
    if flight is None or case.status != CaseStatus.assigned:
        raise InvalidInput(N_("There is no seat to confirm for this case."))
    for seat in _household_seats(session, flight, case):
        if seat.status == AssignmentStatus.assigned:
            seat.status = AssignmentStatus.confirmed
            seat.updated_at = utcnow()
    case.status = CaseStatus.confirmed
    case.row_version += 1
    record_event(
        session, actor=actor, action="seat.confirm", subject_type="registration",
        subject_id=case.reference, before={"status": CaseStatus.assigned},
        after={"status": CaseStatus.confirmed, "flight": flight.flight_number},
    )  # fmt: skip
    session.commit()
    return flight


PRINTABLE_CASE_STATUSES = (CaseStatus.confirmed, CaseStatus.checked_in, CaseStatus.boarded)


def seat_summary(session: Session, case: Registration) -> dict[str, object]:
    """What the registrant's page shows about the household's seat (nothing without one)."""
    flight = household_flight(session, case)
    if flight is None:
        return {}
    return {
        "seat_flight": flight,
        "seat_local_departure": local_time(flight.departure_airport, flight.departure_time),
        "seat_can_confirm": case.status == CaseStatus.assigned,
        "seat_can_print": case.status in PRINTABLE_CASE_STATUSES,
    }
