"""What a change will do, in numbers, for the page that asks before doing it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from evac.cases.scope import get_readable_case
from evac.errors import NotFound
from evac.flights.models import Assignment, Flight
from evac.lifecycle.rules import LIVE_SEATS, way_back
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext


@dataclass(frozen=True)
class ChangePreview:
    case: Registration
    target: CaseStatus
    people: int
    flight: Flight | None
    can_undo: bool
    suggested_original: str


def seated_flight(session: Session, case: Registration) -> Flight | None:
    """The flight the household holds live seats on, if any."""
    return session.exec(
        select(Flight)
        .join(Assignment, col(Assignment.flight_id) == col(Flight.id))
        .where(Assignment.registration_id == case.id, col(Assignment.status).in_(LIVE_SEATS))
        .limit(1)
    ).first()


def change_preview(
    session: Session, staff: StaffContext, case: Registration, target: CaseStatus
) -> ChangePreview:
    suggested = ""
    other = session.get(Registration, case.possible_duplicate_of_id or 0)
    if other is not None:
        try:
            suggested = get_readable_case(session, staff, other.reference).reference
        except NotFound:  # outside this officer's missions: suggest nothing
            suggested = ""
    return ChangePreview(
        case=case,
        target=target,
        people=case.people_count,
        flight=seated_flight(session, case),
        can_undo=way_back(CaseStatus(case.status), target) is not None,
        suggested_original=suggested,
    )


def find_original(session: Session, staff: StaffContext, reference: str) -> Registration:
    """The case another one duplicates, among the cases this person may see."""
    return get_readable_case(session, staff, reference)
