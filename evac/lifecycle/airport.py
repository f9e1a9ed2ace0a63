"""Airport steps taken person by person, by the table ``rules.PERSON_STEPS``.

A household checks in when its first person does; the others keep their
confirmed seats until they come. Boarding boards the people who checked in.
Closing the flight turns the seats of the people who never came into no-shows
while their household travels on, and a reopened flight can put them back.

Like ``service.apply``, every step claims the case's next row version in one
conditional UPDATE, checks each seat's move against ``rules.SEAT_TRANSITIONS``
and writes one audit event ``case.<action>``; the caller commits.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evac.audit.service import record_events
from evac.db import utcnow
from evac.errors import Conflict
from evac.flights.models import Assignment, Flight
from evac.i18n import N_
from evac.lifecycle.rules import (
    CASE_TRANSITIONS,
    NOT_FROM_HERE,
    PERSON_STEPS,
    Action,
    person_step_refusal,
    seat_move_allowed,
)
from evac.lifecycle.service import (
    FlightFull,
    TransitionRefused,
    case_event,
    claim,
    free_capacity,
    lock_flights,
)
from evac.registration.models import CaseStatus, Registration

_NOBODY: dict[Action, str] = {
    Action.check_in: N_("None of the people chosen is still to check in."),
    Action.board: N_("Nobody in this household has checked in and is still to board."),
    Action.no_show: N_("Everyone in this household has checked in."),
    Action.restore: N_("Nobody in this household is a no-show on this flight."),
}


def check_in_people(
    session: Session,
    case: Registration,
    flight: Flight,
    person_ids: Collection[int],
    *,
    actor: str,
    expected_version: int | None = None,
) -> int:
    """Check in the chosen people of the household; returns how many."""
    return step_people(
        session, case, flight, Action.check_in, person_ids,
        actor=actor, expected_version=expected_version,
    )  # fmt: skip


def board_people(
    session: Session,
    case: Registration,
    flight: Flight,
    *,
    actor: str,
    expected_version: int | None = None,
) -> int:
    """Board everyone in the household who checked in; returns how many."""
    return step_people(
        session, case, flight, Action.board, None, actor=actor, expected_version=expected_version
    )


def step_people(
    session: Session,
    case: Registration,
    flight: Flight,
    action: Action,
    person_ids: Collection[int] | None,
    *,
    actor: str,
    expected_version: int | None = None,
) -> int:
    """Move the seats on ``flight`` of the chosen people (everyone the step applies to if
    ``person_ids`` is None) by the airport step ``action``, and the case with them if it
    is not yet past that step. Returns how many people moved."""
    step = PERSON_STEPS[action]
    current = CaseStatus(case.status)
    reason = person_step_refusal(action, current)
    if reason:
        raise TransitionRefused(reason)
    if action is Action.restore:
        lock_flights(session, [flight.id])  # type: ignore[list-item]
    seats = _seats(session, case, flight, step.seats_from, person_ids)
    if not seats:
        raise TransitionRefused(_NOBODY[action])
    if action is Action.restore:
        _check_room(session, flight, seats)
    target = current if current in step.stays else CASE_TRANSITIONS[action].target
    version = claim(session, case, current, target, expected_version)
    _move(session, seats, step.seat_to)
    details = {"flight": flight.flight_number, "people": len(seats)}
    record_events(
        session, [case_event(actor, action, case.reference, current, version, details, target)]
    )
    return len(seats)


def _seats(
    session: Session,
    case: Registration,
    flight: Flight,
    statuses: Collection[str],
    person_ids: Collection[int] | None,
) -> list[Assignment]:
    statement = select(Assignment).where(
        Assignment.registration_id == case.id,
        Assignment.flight_id == flight.id,
        col(Assignment.status).in_(statuses),
    )
    if person_ids is not None:
        statement = statement.where(col(Assignment.person_id).in_(person_ids))
    return list(session.exec(statement.order_by(col(Assignment.id)).with_for_update()))


def _check_room(session: Session, flight: Flight, seats: list[Assignment]) -> None:
    """No-shows put back need their seats free again: the planner may have used them."""
    free_seats, free_stretchers = free_capacity(session, flight)
    stretchers = sum(seat.uses_stretcher for seat in seats)
    if free_seats < len(seats) - stretchers or free_stretchers < stretchers:
        raise FlightFull(
            N_("The flight has no room left for them: their seats were given to others.")
        )


def _move(session: Session, seats: list[Assignment], target: str) -> None:
    if any(not seat_move_allowed(seat.status, target) for seat in seats):  # type: ignore[arg-type]
        session.rollback()
        raise TransitionRefused(NOT_FROM_HERE)
    now = utcnow()
    for seat in seats:
        seat.status = target  # type: ignore[assignment]
        seat.updated_at = now
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            N_("Someone in this household already holds a seat on another flight.")
        ) from None
