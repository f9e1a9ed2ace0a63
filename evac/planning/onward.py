"""Onward journeys for people left behind on the way: plain data in, journeys out.

People of a household in transit who lost their seat on a later leg wait at one
place (where the last leg they travelled on arrived) from a given moment. An
onward journey is a chain of legs home from that place, leaving no earlier than
that moment, each leg with room for all of them, by the journey planner's rules
(``docs/planner.md``, "Journeys": each leg from where the previous one arrived,
the connection time apart, no place twice, stretchers for a stretcher patient on
every leg, ambulance flights only for them, no cancelled leg).

:func:`onward_journeys` gives one journey per leg leaving that place (the best
one beginning with that leg, found by the planner's own label-setting search,
``journey_search.best_journey``), ordered as the planner orders journeys:
earliest arrival home, then fewest legs, then nearest departure. No session,
no clock: the caller gives the moment and the room left on each leg.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from evac.planning.journey_data import JourneyPolicy, Leg, Place, Preference
from evac.planning.journey_network import Network
from evac.planning.journey_search import best_journey


@dataclass(frozen=True, slots=True)
class Waiting:
    """Who waits where: ``place`` (a code), from ``not_before``, needing ``seats``
    seats and ``stretchers`` stretchers on every leg."""

    place: str
    not_before: datetime
    seats: int
    stretchers: int = 0


def onward_journeys(
    waiting: Waiting, places: Sequence[Place], legs: Sequence[Leg], policy: JourneyPolicy
) -> list[tuple[int, ...]]:
    """The leg ids of each onward journey home, in travel order, best first.

    ``legs`` carry the room left on them (seats and stretchers nobody else holds).
    """
    later = [leg for leg in legs if leg.departure_time >= waiting.not_before]
    net = Network(places, later, policy)
    start = net.place_index.get(waiting.place.upper())
    if start is None:
        return []
    need = (waiting.seats, waiting.stretchers)
    elsewhere = [leg for leg in range(len(net.legs)) if net.origin[leg] != start]
    found = []
    for first in range(len(net.legs)):
        if net.origin[first] != start:
            continue
        # Only legs after the first in the network's order can follow it, and none
        # other leaving from here: the best journey that begins with this leg.
        candidates = [first, *(leg for leg in elsewhere if leg > first)]
        path = best_journey(net, {start: 0}, candidates, need, Preference.earliest_arrival)
        if path is not None:
            found.append(path)
    journeys = [tuple(net.ids[leg] for leg in path) for path in found]
    keys = {ids: (net.arrives[path[-1]], len(path), net.departs[path[0]], ids)
            for ids, path in zip(journeys, found, strict=True)}  # fmt: skip
    return sorted(journeys, key=keys.__getitem__)
