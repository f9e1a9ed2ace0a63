"""Room on legs, and the only code that creates seats for a household.

``add_journey_seats`` first locks every leg it fills, in id order
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock, taken at
``BEGIN IMMEDIATE``), then checks each leg's capacity, so two officers seating
households on journeys that share a leg cannot overbook it, and cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from evac.errors import Conflict
from evac.flights.models import Assignment, Flight
from evac.flights.models import AssignmentStatus as Seat
from evac.i18n import N_
from evac.lifecycle.rules import LIVE_SEATS
from evac.registration.models import Registration


class FlightFull(Conflict):
    code = "flight_full"


class AlreadySeated(Conflict):
    code = "already_seated"


@dataclass(frozen=True)
class NewSeat:
    """A person to seat; ``uses_stretcher`` holds on every leg of the journey."""

    person_id: int
    uses_stretcher: bool = False


def lock_flights(session: Session, flight_ids: Sequence[int]) -> None:
    """Hold the legs' rows until commit, in id order so that two writers never deadlock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.select(Flight.id)
            .where(Flight.id.in_(sorted(set(flight_ids))))  # type: ignore[union-attr]
            .order_by(Flight.id)
            .with_for_update()
        )
    else:
        session.execute(sa.select(1))  # opens the transaction: BEGIN IMMEDIATE on SQLite


def free_capacity(session: Session, flight: Flight) -> tuple[int, int]:
    """Seats and stretchers still free on ``flight`` (one leg)."""
    seats, stretchers = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((Assignment.uses_stretcher, 0), else_=1)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((Assignment.uses_stretcher, 1), else_=0)), 0),
        ).where(
            Assignment.flight_id == flight.id,
            Assignment.status.in_(LIVE_SEATS),  # type: ignore[attr-defined]
        )
    ).one()
    return flight.seats - seats, flight.stretchers - stretchers


def has_room(session: Session, flight: Flight, seats: int, stretchers: int) -> bool:
    """Whether ``flight`` still has ``seats`` seats and ``stretchers`` stretchers free;
    the caller holds its lock."""
    free_seats, free_stretchers = free_capacity(session, flight)
    return free_seats >= seats and free_stretchers >= stretchers


def add_journey_seats(
    session: Session, case: Registration, legs: Sequence[Flight], seats: Iterable[NewSeat]
) -> None:
    """Give the household new seats on every leg of ``legs``, if each still has room
    for them all and none of the people holds a live seat still to travel (a boarded
    seat is a leg travelled: people left behind after it are given onward travel).

    The caller checks that the legs make a journey, and then moves the case with
    ``Action.seat``, ``Action.move`` or ``Action.reroute``.
    """
    wanted = list(seats)
    lock_flights(session, [leg.id for leg in legs])  # type: ignore[misc]
    held = session.execute(
        sa.select(sa.func.count()).where(
            Assignment.person_id.in_([seat.person_id for seat in wanted]),  # type: ignore[attr-defined]
            Assignment.status.in_(LIVE_SEATS - {Seat.boarded}),  # type: ignore[attr-defined]
        )
    ).scalar_one()
    if held:
        raise AlreadySeated(N_("Someone in this household already holds a seat."))
    stretchers = sum(seat.uses_stretcher for seat in wanted)
    for leg in legs:
        if has_room(session, leg, len(wanted) - stretchers, stretchers):
            continue
        if len(legs) == 1:
            raise FlightFull(N_("That flight has no room for the whole household."))
        raise FlightFull(
            N_("The leg %(flight)s has no room for the whole household."),
            flight=leg.flight_number,
        )
    for leg in legs:
        for seat in wanted:
            session.add(
                Assignment(
                    flight_id=leg.id,  # type: ignore[arg-type]
                    person_id=seat.person_id,
                    registration_id=case.id,  # type: ignore[arg-type]
                    uses_stretcher=seat.uses_stretcher,
                    status=Seat.assigned,
                )
            )
    session.flush()
