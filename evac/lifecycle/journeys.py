"""A household's journey: its seats on every leg, given, replaced and read in leg order.

A journey is the flights (legs) a case holds live seats on, ordered by departure:
``legs_of`` reads it. ``seat_journey`` gives a household a whole journey,
``move_journey`` replaces it (``move_household`` swaps one leg for another), each
checked by ``rules.journey_refusal`` and ``capacity.add_journey_seats`` and moved
through ``service.apply``, in the caller's transaction.

A household in transit (``boarded``) may be missing people on a later leg: its
closing made their seats there no-shows, or the leg was cancelled under them.
Nothing is released then: the household has travelled its first legs and is
somewhere on the way, not back in the pool. The case stays ``boarded`` and
``left_behind`` names those people, for the case page: an officer must contact
them, and either reopen the leg's check-in and put them back (``put_back``, if
the seats are still free) or give them onward travel from where they wait
(``evac.lifecycle.onward``); the case arrives, and closes, with the people who
reach the last leg's destination.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.db import utcnow
from evac.flights.models import Assignment, Flight
from evac.flights.models import AssignmentStatus as Seat
from evac.lifecycle import service
from evac.lifecycle.capacity import NewSeat, add_journey_seats, lock_flights
from evac.lifecycle.rules import LIVE_SEATS, Action, journey_refusal, refusal
from evac.registration.models import CaseStatus, Person, Registration


def legs_of(session: Session, case_id: int) -> list[Flight]:
    """The legs of the case's journey (where it holds live seats), in travel order."""
    return list(
        session.exec(
            select(Flight)
            .where(
                col(Flight.id).in_(
                    select(Assignment.flight_id).where(
                        Assignment.registration_id == case_id,
                        col(Assignment.status).in_(LIVE_SEATS),
                    )
                )
            )
            .order_by(col(Flight.departure_time), col(Flight.id))
        )
    )


def is_later_leg(session: Session, case: Registration, flight: Flight) -> bool:
    """Whether ``flight`` comes after the first leg of the case's journey."""
    legs = legs_of(session, case.id)  # type: ignore[arg-type]
    return bool(legs) and legs[0].id != flight.id and flight.departure_time > legs[0].departure_time


def _refuse_journey(legs: Sequence[Flight]) -> None:
    reason = journey_refusal(legs)
    if reason:
        raise service.TransitionRefused(reason)


def seat_journey(
    session: Session,
    case: Registration,
    legs: Sequence[Flight],
    seats: Sequence[NewSeat],
    *,
    actor: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Seat the household on every leg of ``legs`` (in travel order; one leg for a
    flight), if the case may be seated and every leg has room for all of it."""
    reason = refusal(Action.seat, CaseStatus(case.status))
    if reason:
        raise service.TransitionRefused(reason)
    _refuse_journey(legs)
    add_journey_seats(session, case, legs, seats)
    numbers = [leg.flight_number for leg in legs]
    service.apply(
        session, case, Action.seat, actor=actor, details={"flights": numbers, **(details or {})}
    )


def seat_on_flight(
    session: Session, case: Registration, flight: Flight, seats: Sequence[NewSeat], *, actor: str
) -> None:
    """``seat_journey`` for a journey of one leg."""
    seat_journey(
        session, case, [flight], seats, actor=actor, details={"flight": flight.flight_number}
    )


def move_journey(
    session: Session,
    case: Registration,
    legs: Sequence[Flight],
    *,
    actor: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Release the household's seats on every leg and seat it on the journey ``legs``."""
    reason = refusal(Action.move, CaseStatus(case.status))
    if reason:
        raise service.TransitionRefused(reason)
    _refuse_journey(legs)
    before = legs_of(session, case.id)  # type: ignore[arg-type]
    lock_flights(session, [leg.id for leg in [*before, *legs]])  # type: ignore[misc]
    held = list(
        session.exec(
            select(Assignment).where(
                Assignment.registration_id == case.id,
                col(Assignment.status).in_(LIVE_SEATS - {Seat.boarded}),
            )
        )
    )
    people = {seat.person_id: seat.uses_stretcher for seat in held}
    now = utcnow()
    for seat in held:
        seat.status = Seat.offloaded
        seat.updated_at = now
    session.flush()
    add_journey_seats(session, case, legs, [NewSeat(p, s) for p, s in people.items()])
    moved = {
        "from_flights": [leg.flight_number for leg in before],
        "flights": [leg.flight_number for leg in legs],
    }
    service.apply(session, case, Action.move, actor=actor, details={**moved, **(details or {})})


def move_household(
    session: Session, case: Registration, from_flight: Flight, to_flight: Flight, *, actor: str
) -> None:
    """Take the household off ``from_flight`` and put it on ``to_flight`` instead: its
    journey with that one leg replaced (the whole journey for a one-leg one)."""
    before = legs_of(session, case.id)  # type: ignore[arg-type]
    legs = [to_flight if leg.id == from_flight.id else leg for leg in before]
    legs.sort(key=lambda leg: (leg.departure_time, leg.id or 0))
    details = {"from_flight": from_flight.flight_number, "flight": to_flight.flight_number}
    move_journey(session, case, legs, actor=actor, details=details)


def arriving(session: Session, flight: Flight) -> list[int]:
    """The cases on ``flight`` for which it is the last leg: none of their seats, live
    or missed, is on a leg leaving after it. They arrive when it lands."""
    later = (
        sa.select(Assignment.registration_id)
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(
            Assignment.status.in_([*LIVE_SEATS, Seat.no_show]),  # type: ignore[attr-defined]
            Flight.departure_time > flight.departure_time,
        )
    )
    on_board = service.cases_on(session, flight)
    if not on_board:
        return []
    travelling_on = set(
        session.execute(
            later.where(Assignment.registration_id.in_(on_board))  # type: ignore[attr-defined]
        ).scalars()
    )
    return sorted(set(on_board) - travelling_on)


@dataclass(frozen=True)
class LeftBehind:
    """Someone who lost their seat on ``flight``, a later leg, and waits where it leaves,
    after ``travelled``: the last leg they boarded (None if they boarded none)."""

    person: Person
    flight: Flight
    travelled: Flight | None = None


# A seat lost: its leg's closing without them, or the leg cancelled (or left for another).
LOST = (Seat.no_show, Seat.offloaded)


def left_behind(session: Session, case: Registration) -> list[LeftBehind]:
    """The people of a household in transit who lost their seat on a later leg (missed
    its closing, or the leg was cancelled) since the household boarded its first leg:
    each with the first leg they lost after the last one they travelled on, unless they
    hold a seat on a leg leaving from where that one leaves (put back, or onward travel
    given). In travel order."""
    if case.status != CaseStatus.boarded:
        return []
    legs = legs_of(session, case.id)  # type: ignore[arg-type]
    if not legs:
        return []
    boarded_at = session.execute(
        sa.select(sa.func.min(Assignment.updated_at)).where(
            Assignment.registration_id == case.id,
            Assignment.flight_id == legs[0].id,
            Assignment.status == Seat.boarded,
        )
    ).scalar_one()
    if boarded_at is None:
        return []
    people: dict[int, Person] = {}
    seats: dict[int, list[tuple[Flight, Assignment]]] = {}
    for person, leg, seat in session.exec(
        select(Person, Flight, Assignment)
        .join(Assignment, col(Assignment.person_id) == col(Person.id))
        .join(Flight, col(Flight.id) == col(Assignment.flight_id))
        .where(Assignment.registration_id == case.id)
        .order_by(col(Flight.departure_time), col(Flight.id))
    ):
        people[person.id] = person  # type: ignore[index]
        seats.setdefault(person.id, []).append((leg, seat))  # type: ignore[arg-type]
    found = []
    for person_id, held in seats.items():
        lost = _first_lost(held, boarded_at, legs[0])
        if lost is not None:
            found.append(LeftBehind(people[person_id], *lost))
    found.sort(key=lambda b: (b.flight.departure_time, b.flight.id or 0, b.person.position))
    return found


def _first_lost(
    held: list[tuple[Flight, Assignment]], boarded_at: datetime, first: Flight
) -> tuple[Flight, Flight | None] | None:
    """Of one person's seats (in travel order): the first leg lost after the last one
    boarded, and that one; None if nothing was lost there or onward travel was given.

    Someone who boarded nothing while the household left (a no-show at its first leg)
    still waits where the journey began: their first leg is the one they lost."""
    travelled = None
    for leg, seat in held:
        if seat.status == Seat.boarded:
            travelled = leg
    ahead = [
        (leg, seat)
        for leg, seat in held
        if travelled is None or leg.departure_time > travelled.departure_time
    ]
    lost = [
        leg
        for leg, seat in ahead
        if seat.status in LOST
        and (
            travelled is None
            or (seat.updated_at >= boarded_at and leg.departure_time > first.departure_time)
        )
    ]
    if not lost:
        return None
    place = lost[0].departure_airport.upper()
    if any(
        seat.status in LIVE_SEATS and leg.departure_airport.upper() == place for leg, seat in ahead
    ):
        return None
    return lost[0], travelled
