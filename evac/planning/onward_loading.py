"""Onward journeys for people left behind, read from the database: the shell of
``evac.planning.onward``.

The legs and places are the journey planner's (``journey_loading.load_network``:
every leg planned or open, cancelled ones left out, an estimated arrival for a
flight saved without one), each leg with the room nobody else holds: the seats
of the people waiting still count as theirs, since they give them up when they
take another journey.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.flights.models import Assignment, Flight
from evac.places.service import ResolvedPlace
from evac.planning.journey_loading import (
    LIVE_SEATS,
    journey_places,
    journey_policy,
    load_network,
    without_held,
)
from evac.planning.onward import Waiting, onward_journeys
from evac.settings import Settings


@dataclass(frozen=True)
class OnwardJourney:
    legs: tuple[Flight, ...]
    """In travel order."""
    arrives: datetime
    """When the last leg arrives home (UTC)."""
    estimated: bool
    """The arrival is an estimate: the last leg was saved without one."""


@dataclass(frozen=True)
class OnwardJourneys:
    journeys: list[OnwardJourney]
    """Best first."""
    places: dict[str, ResolvedPlace]
    """Every place the legs touch, by code (their zones, their names)."""


def find_onward_journeys(
    session: Session, waiting: Waiting, person_ids: Collection[int], settings: Settings
) -> OnwardJourneys:
    """The onward journeys home for the people ``person_ids`` waiting as ``waiting`` says."""
    network = load_network(session)
    legs = without_held(network.legs.values(), _held_by_others(session, person_ids))
    found = onward_journeys(
        waiting, journey_places(network, settings), legs, journey_policy(settings)
    )
    wanted = {leg_id for journey in found for leg_id in journey}
    flights = {f.id: f for f in session.exec(select(Flight).where(col(Flight.id).in_(wanted)))}
    journeys = [
        OnwardJourney(
            legs=tuple(flights[leg_id] for leg_id in journey),
            arrives=network.legs[journey[-1]].arrival_time,
            estimated=journey[-1] in network.estimated,
        )
        for journey in found
    ]
    return OnwardJourneys(journeys, network.places)


def _held_by_others(session: Session, person_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """Seats and stretchers held on each leg by anyone but ``person_ids``."""
    rows = session.execute(
        sa.select(
            Assignment.flight_id,
            sa.func.count().filter(Assignment.uses_stretcher.is_(False)),  # type: ignore[attr-defined]
            sa.func.count().filter(Assignment.uses_stretcher.is_(True)),  # type: ignore[attr-defined]
        )
        .where(
            Assignment.status.in_(LIVE_SEATS),  # type: ignore[attr-defined]
            Assignment.person_id.not_in(list(person_ids)),  # type: ignore[attr-defined]
        )
        .group_by(Assignment.flight_id)
    )
    return {flight_id: (seats, stretchers) for flight_id, seats, stretchers in rows}
