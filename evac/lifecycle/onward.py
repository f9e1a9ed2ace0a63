"""Onward travel for people of a household in transit left behind on a later leg.

``journeys.left_behind`` names the people who lost their seat on a later leg (they
missed its closing, or it was cancelled). ``stranded`` groups them by where they
wait: the place the last leg they travelled on arrived at (the one the leg they
missed leaves from), from the moment it arrived. ``send_onward`` gives one such
group a journey of its own from there: it releases what they still hold on the
journey's later legs (their seats still to travel become offloaded, and so do
their no-shows, so that reopening the leg they missed cannot seat them twice),
seats them on the chosen legs if each has room for them all, and moves the case
by ``Action.reroute`` (it stays ``boarded``: the household travels on, and the
people who went on keep their seats), audited as ``case.reroute``; then it
queues their seat message, naming the new legs. All in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from evac.db import utcnow
from evac.errors import Conflict
from evac.flights.models import Assignment, Flight, LegMode
from evac.flights.models import AssignmentStatus as Seat
from evac.i18n import N_
from evac.lifecycle import service
from evac.lifecycle.capacity import FlightFull, NewSeat, add_journey_seats, has_room, lock_flights
from evac.lifecycle.journeys import LeftBehind, left_behind, legs_of
from evac.lifecycle.rules import (
    LIVE_SEATS,
    NOT_FROM_HERE,
    TAKES_PASSENGERS,
    Action,
    journey_refusal,
    refusal,
    seat_move_allowed,
)
from evac.notifications.flight_notices import enqueue_onward_seats
from evac.registration.models import CaseStatus, Person, Registration

# What people left behind still hold on the legs after the last one they travelled on.
RELEASED = (LIVE_SEATS - {Seat.boarded}) | {Seat.no_show}
CHANGED = N_("Who waits for onward travel changed since you looked: check the page again.")


@dataclass(frozen=True)
class Stranded:
    """People of a household in transit who wait at one place for onward travel."""

    people: tuple[Person, ...]
    missed: Flight
    """The first leg they lost their seat on."""
    travelled: Flight | None
    """The last leg they travelled on (boarded); None if they boarded none."""

    @property
    def place(self) -> str:
        """Where they wait: where the last leg they travelled on arrived."""
        leg = self.travelled
        return (leg.destination_airport if leg else self.missed.departure_airport).upper()

    @property
    def zone(self) -> str:
        """The time zone of where they wait, as the legs there carry it."""
        leg = self.travelled
        return leg.arrival_zone if leg else self.missed.departure_zone

    @property
    def stretchers(self) -> int:
        return sum(person.needs_stretcher for person in self.people)

    def ready_at(self, connection: timedelta) -> datetime | None:
        """The earliest departure onwards: the connection time after the last leg they
        travelled on arrived (left, if its arrival is not recorded)."""
        leg = self.travelled
        if leg is None:
            return None
        return (leg.arrival_time or leg.departure_time) + connection

    def person_ids(self) -> set[int]:
        return {person.id for person in self.people}  # type: ignore[misc]


def stranded(session: Session, case: Registration) -> list[Stranded]:
    """The case's people left behind, grouped by the leg they travelled on last and the
    leg they lost, in the order they lost them."""
    groups: dict[tuple[int | None, int | None], list[LeftBehind]] = {}
    for found in left_behind(session, case):
        key = (found.travelled.id if found.travelled else None, found.flight.id)
        groups.setdefault(key, []).append(found)
    return [
        Stranded(tuple(b.person for b in group), group[0].flight, group[0].travelled)
        for group in groups.values()
    ]


def group_of(session: Session, case: Registration, person_ids: Collection[int]) -> Stranded:
    """The group of people left behind that is exactly ``person_ids``; a conflict if
    the people waiting changed since the page that chose them."""
    for group in stranded(session, case):
        if group.person_ids() == set(person_ids):
            return group
    raise Conflict(CHANGED)


def seats_given_up(session: Session, group: Stranded, *, lock: bool = False) -> list[Assignment]:
    """What the group still holds on legs after the last one it travelled on: seats still
    to travel, and no-shows that a reopened leg could give back (``lock``: held until
    commit, to release them)."""
    statement = (
        select(Assignment)
        .join(Flight, col(Flight.id) == col(Assignment.flight_id))
        .where(
            col(Assignment.person_id).in_(group.person_ids()),
            col(Assignment.status).in_(RELEASED),
        )
        .order_by(col(Flight.departure_time), col(Flight.id), col(Assignment.id))
    )
    if group.travelled is not None:
        statement = statement.where(Flight.departure_time > group.travelled.departure_time)
    if lock:
        statement = statement.with_for_update(of=Assignment)  # type: ignore[arg-type]
    return list(session.exec(statement))


def send_onward(
    session: Session,
    case: Registration,
    person_ids: Collection[int],
    legs: Sequence[Flight],
    *,
    actor: str,
    expected_version: int | None = None,
) -> Stranded:
    """Give the people left behind ``person_ids`` (one group of ``stranded``) the journey
    ``legs``, in travel order, from where they wait; returns the group."""
    reason = refusal(Action.reroute, CaseStatus(case.status))
    if reason:
        raise service.TransitionRefused(reason)
    group = group_of(session, case, person_ids)
    refuse_legs(group, legs)
    lock_flights(session, [leg.id for leg in legs])  # type: ignore[misc]
    given_up = seats_given_up(session, group, lock=True)
    if any(not seat_move_allowed(seat.status, Seat.offloaded) for seat in given_up):
        raise service.TransitionRefused(NOT_FROM_HERE)
    released = _numbers(session, {seat.flight_id for seat in given_up if seat.status in LIVE_SEATS})
    now = utcnow()
    for seat in given_up:
        seat.status = Seat.offloaded
        seat.updated_at = now
    session.flush()
    seats = [NewSeat(person.id, person.needs_stretcher) for person in group.people]  # type: ignore[arg-type]
    _check_room(session, legs, seats)
    add_journey_seats(session, case, legs, seats)
    details = {
        "people": len(seats),
        "missed": group.missed.flight_number,
        "from_flights": released,
        "flights": [leg.flight_number for leg in legs],
    }
    service.apply(
        session, case, Action.reroute, actor=actor, expected_version=expected_version,
        details=details,
    )  # fmt: skip
    enqueue_onward_seats(session, case.id, legs, legs_of(session, case.id)[0].id)  # type: ignore[arg-type]
    return group


def refuse_legs(group: Stranded, legs: Sequence[Flight]) -> None:
    """The legs must take passengers, leave from where the group waits and connect, and
    carry the group: ambulance flights only a stretcher patient's people."""
    reason = journey_refusal(legs)
    if not reason and legs[0].departure_airport.upper() != group.place:
        raise service.TransitionRefused(
            N_("The first leg must leave from where they wait (%(place)s)."), place=group.place
        )
    before = [group.travelled] if group.travelled else []
    reason = reason or journey_refusal([*before, *legs])  # after the last leg travelled
    if reason:
        raise service.TransitionRefused(reason)
    for leg in legs:
        if leg.status not in TAKES_PASSENGERS:
            raise service.TransitionRefused(
                N_("The leg %(flight)s no longer takes passengers: choose another journey."),
                flight=leg.flight_number,
            )
        if leg.mode == LegMode.ambulance_flight and not group.stretchers:
            raise service.TransitionRefused(
                N_("Ambulance flights carry only people travelling with a stretcher patient.")
            )


def _check_room(session: Session, legs: Sequence[Flight], seats: Sequence[NewSeat]) -> None:
    """Every leg still has room for them all (its row is locked): or which one filled."""
    stretchers = sum(seat.uses_stretcher for seat in seats)
    for leg in legs:
        if not has_room(session, leg, len(seats) - stretchers, stretchers):
            raise FlightFull(
                N_("The leg %(flight)s has no room left for them: choose another journey."),
                flight=leg.flight_number,
            )


def _numbers(session: Session, flight_ids: set[int]) -> list[str]:
    """The legs' numbers, in travel order."""
    return list(
        session.exec(
            select(Flight.flight_number)
            .where(col(Flight.id).in_(flight_ids))
            .order_by(col(Flight.departure_time), col(Flight.id))
        )
    )
