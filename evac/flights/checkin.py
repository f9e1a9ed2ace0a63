"""At the airport: check people in, person by person, and board those who checked in.

One missing member does not hold the others back: their household checks in with
its first person; whoever has not come by the time check-in closes becomes a
no-show (``evac.flights.closing``) while the household travels on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import Session, select

from evac.errors import InvalidInput, NotFound
from evac.flights.airport_list import ON_THE_FLIGHT, people_on
from evac.flights.flight_status import BOARDING_OPEN, CHECK_IN_OPEN
from evac.flights.models import Flight
from evac.i18n import N_
from evac.lifecycle.airport import board_people, check_in_people
from evac.registration.models import Registration
from evac.registration.reference import normalize_reference
from evac.staff.auth import StaffContext


@dataclass(frozen=True)
class AirportStep:
    reference: str
    people: int


def household_on_flight(session: Session, flight: Flight, typed: str) -> Registration:
    """The case whose reference was typed, if it has people on ``flight``."""
    reference = normalize_reference(typed)
    case = (
        session.exec(select(Registration).where(Registration.reference == reference)).first()
        if reference
        else None
    )
    if case is None or not people_on(session, flight, ON_THE_FLIGHT, [case.id]):  # type: ignore[list-item]
        raise NotFound(N_("No household with this reference on this flight."))
    return case


def check_in(
    session: Session,
    staff: StaffContext,
    flight: Flight,
    typed: str,
    person_ids: Collection[int],
    *,
    expected_version: int | None = None,
) -> AirportStep:
    """Check in the people of the household who are here, and commit."""
    if flight.status not in CHECK_IN_OPEN:
        raise InvalidInput(N_("Check-in on this flight is closed."))
    if not person_ids:
        raise InvalidInput(N_("Tick the people who are here."))
    case = household_on_flight(session, flight, typed)
    people = check_in_people(
        session, case, flight, person_ids, actor=staff.actor, expected_version=expected_version
    )
    session.commit()
    return AirportStep(case.reference, people)


def board(
    session: Session,
    staff: StaffContext,
    flight: Flight,
    typed: str,
    *,
    expected_version: int | None = None,
) -> AirportStep:
    """Board everyone in the household who checked in, and commit."""
    if flight.status not in BOARDING_OPEN:
        raise InvalidInput(N_("This flight has left; nobody can board it any more."))
    case = household_on_flight(session, flight, typed)
    people = board_people(
        session, case, flight, actor=staff.actor, expected_version=expected_version
    )
    session.commit()
    return AirportStep(case.reference, people)
