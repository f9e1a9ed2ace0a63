"""Arranging onward travel for people left behind on a later leg, from the case page.

For each group of people waiting at one place (``lifecycle.onward.stranded``),
the onward journeys home from there (``planning.onward_loading``), leaving no
earlier than the connection time after the last leg they travelled on arrived,
and not in the past; then, once the officer has confirmed one, the journey given
to them through ``lifecycle.onward.send_onward``, committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from evac.errors import InvalidInput
from evac.flights.models import Flight
from evac.flights.times import arrival_times, departure_times, times_at
from evac.i18n import N_
from evac.lifecycle.onward import (
    Stranded,
    group_of,
    refuse_legs,
    seats_given_up,
    send_onward,
    stranded,
)
from evac.lifecycle.rules import LIVE_SEATS
from evac.places.service import ResolvedPlace, resolve_places
from evac.planning.onward import Waiting
from evac.planning.onward_loading import find_onward_journeys
from evac.registration.models import Registration
from evac.settings import Settings, get_settings
from evac.staff.auth import StaffContext

NOT_OFFERED = N_("Choose one of the journeys offered: they end in the home country.")


@dataclass(frozen=True)
class Leg:
    """A leg as an officer reads it: its departure (and arrival) on its places' clocks."""

    flight: Flight
    departs: datetime
    arrives: datetime | None


@dataclass(frozen=True)
class Option:
    legs: tuple[Leg, ...]
    arrives_home: datetime
    estimated: bool

    @property
    def leg_ids(self) -> list[int]:
        return [leg.flight.id for leg in self.legs]  # type: ignore[misc]


@dataclass(frozen=True)
class Choice:
    """People waiting at one place, and the journeys that can take them home."""

    group: Stranded
    waits_at: ResolvedPlace | None
    not_before: datetime
    options: list[Option]


def onward_choices(
    session: Session, case: Registration, now: datetime, settings: Settings | None = None
) -> list[Choice]:
    """For each group of the case's people left behind, its onward journeys, best first."""
    settings = settings or get_settings()
    connection = timedelta(minutes=settings.min_connection_minutes)
    choices = []
    for group in stranded(session, case):
        ready = group.ready_at(connection)
        not_before = max(ready, now) if ready is not None else now
        waiting = Waiting(group.place, not_before, len(group.people), group.stretchers)
        found = find_onward_journeys(session, waiting, group.person_ids(), settings)
        options = [
            Option(_legs(j.legs), times_at(j.arrives, j.legs[-1].arrival_zone).local, j.estimated)
            for j in found.journeys
        ]
        waits_from = times_at(not_before, group.zone).local
        choices.append(Choice(group, found.places.get(group.place), waits_from, options))
    return choices


def _legs(flights: Sequence[Flight]) -> tuple[Leg, ...]:
    """Each leg with its departure and arrival on its places' clocks."""
    legs = []
    for flight in flights:
        arrival = arrival_times(flight)
        legs.append(Leg(flight, departure_times(flight).local, arrival.local if arrival else None))
    return tuple(legs)


@dataclass(frozen=True)
class Preview:
    """What confirming a journey will do: who, which seats they give up, which legs."""

    group: Stranded
    given_up: list[str]
    legs: tuple[Leg, ...]


def onward_preview(
    session: Session, case: Registration, person_ids: Sequence[int], leg_ids: Sequence[int]
) -> Preview:
    group = group_of(session, case, person_ids)
    legs = journey_home(session, group, leg_ids)
    live = {seat.flight_id for seat in seats_given_up(session, group) if seat.status in LIVE_SEATS}
    given_up = [leg.flight_number for leg in _by_ids(session, live - set(leg_ids))]
    return Preview(group, given_up, _legs(legs))


def arrange_onward(
    session: Session,
    staff: StaffContext,
    case: Registration,
    person_ids: Sequence[int],
    leg_ids: Sequence[int],
    *,
    expected_version: int,
) -> tuple[Stranded, list[Flight]]:
    """Give the people ``person_ids`` the onward journey ``leg_ids`` and commit."""
    legs = journey_home(session, group_of(session, case, person_ids), leg_ids)
    try:
        group = send_onward(
            session, case, person_ids, legs, actor=staff.actor, expected_version=expected_version
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return group, legs


def journey_home(session: Session, group: Stranded, leg_ids: Sequence[int]) -> list[Flight]:
    """The chosen legs, if they make a journey the group may take: from where it waits,
    connected, home. Checked before anything about them is shown, so that a leg id
    typed into the form shows nothing of a leg the officer was not offered."""
    legs = chosen_legs(session, leg_ids)
    refuse_legs(group, legs)
    last = legs[-1].destination_airport.upper()
    arrival = resolve_places(session, [last]).get(last)
    if arrival is None or arrival.country.upper() != get_settings().home_country.upper():
        raise InvalidInput(NOT_OFFERED)
    return legs


def chosen_legs(session: Session, leg_ids: Sequence[int]) -> list[Flight]:
    """The legs of a chosen journey, in the order given; every one must exist."""
    found = {leg.id: leg for leg in _by_ids(session, set(leg_ids))}
    if not leg_ids or len(set(leg_ids)) != len(leg_ids) or set(found) != set(leg_ids):
        raise InvalidInput(NOT_OFFERED)
    return [found[leg_id] for leg_id in leg_ids]


def _by_ids(session: Session, leg_ids: set[int]) -> list[Flight]:
    statement = select(Flight).where(col(Flight.id).in_(leg_ids))
    return list(session.exec(statement.order_by(col(Flight.departure_time), col(Flight.id))))
