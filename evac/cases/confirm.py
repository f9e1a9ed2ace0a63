"""What a change will do, in numbers, for the page that asks before doing it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from evac.cases.scope import get_readable_case
from evac.errors import NotFound
from evac.flights.models import Flight
from evac.lifecycle.journeys import legs_of
from evac.lifecycle.rules import way_back
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
    legs: tuple[Flight, ...] = ()


def seated_flight(session: Session, case: Registration) -> Flight | None:
    """The first leg the household holds live seats on, if any."""
    legs = legs_of(session, case.id)  # type: ignore[arg-type]
    return legs[0] if legs else None


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
    legs = tuple(legs_of(session, case.id))  # type: ignore[arg-type]
    return ChangePreview(
        case=case,
        target=target,
        people=case.people_count,
        flight=legs[0] if legs else None,
        can_undo=way_back(CaseStatus(case.status), target) is not None,
        suggested_original=suggested,
        legs=legs,
    )


def find_original(session: Session, staff: StaffContext, reference: str) -> Registration:
    """The case another one duplicates, among the cases this person may see."""
    return get_readable_case(session, staff, reference)
