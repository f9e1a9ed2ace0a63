"""Steps at a leg's place of departure, taken person by person and leg by leg, by the
table ``rules.PERSON_STEPS``.

A household checks in when its first person does, on the first leg of its
journey; the others keep their confirmed seats until they come. Boarding boards
the people who checked in. On a later leg the household is in transit
(``boarded``): check-in and boarding move that leg's seats only. Closing a leg
turns the seats of the people who never came into no-shows on that leg only,
while their household travels on, and a reopened leg can put them back; a
household that became a no-show as a whole is put back on every leg of its
journey, if each still has room.

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
from evac.flights.models import Assignment, Flight, FlightStatus
from evac.flights.models import AssignmentStatus as Seat
from evac.i18n import N_
from evac.lifecycle.capacity import FlightFull, free_capacity, lock_flights
from evac.lifecycle.journeys import is_later_leg
from evac.lifecycle.rules import (
    CASE_TRANSITIONS,
    NOT_FROM_HERE,
    PERSON_STEPS,
    TAKES_PASSENGERS,
    Action,
    person_step_refusal,
    seat_move_allowed,
)
from evac.lifecycle.service import TransitionRefused, case_event, claim
from evac.registration.models import CaseStatus, Registration

_NOBODY: dict[Action, str] = {
    Action.check_in: N_("None of the people chosen is still to check in."),
    Action.board: N_("Nobody in this household has checked in and is still to board."),
    Action.no_show: N_("Everyone in this household has checked in."),
    Action.restore: N_("Nobody in this household is a no-show on this flight."),
    Action.offload: N_("Nobody in this household is still to travel on this flight."),
}
# A no-show household is put back on the legs of its journey that have not left.
NOT_LEFT = (FlightStatus.planned, FlightStatus.open, FlightStatus.closed, FlightStatus.cancelled)


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
    reason = person_step_refusal(action, current, later_leg=is_later_leg(session, case, flight))
    if reason:
        raise TransitionRefused(reason)
    whole_journey = action is Action.restore and current not in step.stays
    legs = _no_show_legs(session, case, flight) if whole_journey else [flight]
    if action is Action.restore:
        lock_flights(session, [leg.id for leg in legs])  # type: ignore[misc]
    seats = _seats(session, case, legs, step.seats_from, person_ids)
    if not any(seat.flight_id == flight.id for seat in seats):
        raise TransitionRefused(_NOBODY[action])
    if action is Action.restore:
        for leg in legs:
            _check_room(session, leg, [seat for seat in seats if seat.flight_id == leg.id])
    target = current if current in step.stays else CASE_TRANSITIONS[action].target
    version = claim(session, case, current, target, expected_version)
    _move(session, seats, step.seat_to)
    on_this_leg = sum(seat.flight_id == flight.id for seat in seats)
    details: dict[str, object] = {"flight": flight.flight_number, "people": on_this_leg}
    if whole_journey and len(legs) > 1:
        details["flights"] = [leg.flight_number for leg in legs]
    record_events(
        session, [case_event(actor, action, case.reference, current, version, details, target)]
    )
    return on_this_leg


def _no_show_legs(session: Session, case: Registration, flight: Flight) -> list[Flight]:
    """The legs a no-show household lost together, in order: they are put back together,
    or not at all."""
    legs = list(
        session.exec(
            select(Flight)
            .where(
                col(Flight.id).in_(
                    select(Assignment.flight_id).where(
                        Assignment.registration_id == case.id,
                        Assignment.status == Seat.no_show,
                    )
                ),
                col(Flight.status).in_(NOT_LEFT),
            )
            .order_by(col(Flight.departure_time), col(Flight.id))
        )
    )
    if any(leg.status not in TAKES_PASSENGERS for leg in legs if leg.id != flight.id):
        raise TransitionRefused(
            N_("Another leg of this household's journey no longer takes passengers.")
        )
    return legs or [flight]


def _seats(
    session: Session,
    case: Registration,
    legs: list[Flight],
    statuses: Collection[str],
    person_ids: Collection[int] | None,
) -> list[Assignment]:
    statement = select(Assignment).where(
        Assignment.registration_id == case.id,
        col(Assignment.flight_id).in_([leg.id for leg in legs]),
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
        raise Conflict(N_("Someone in this household already holds a seat on this leg.")) from None
