"""The legs that run, as arrays the journey search walks, and the room left on them.

Legs are kept in one order, by departure, then arrival, then id. A leg can
only follow one before it in that order (it departs at least
``min_connection_minutes`` after the previous one arrives, and no leg arrives
before it departs), so the legs form a directed acyclic graph in that order
and a single forward pass finds the best journey.

Two kinds of household travel differently: one with a stretcher patient
("stretcher kind") only on legs that carry stretchers (any mode, and
ambulance flights whatever their stretchers); any other household on any
leg but an ambulance flight. :meth:`Network.capable` says which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from evac.planning.journey_data import JourneyPolicy, Leg, LegMode, Place

REGULAR, STRETCHER = 0, 1
KINDS = (REGULAR, STRETCHER)


class Network:
    """Places, live legs in departure order, and the room left on each leg."""

    def __init__(self, places: Sequence[Place], legs: Sequence[Leg], policy: JourneyPolicy):
        self.places = sorted(places, key=lambda p: p.code)
        self.place_index = {p.code: i for i, p in enumerate(self.places)}
        if len(self.place_index) != len(self.places):
            raise ValueError("two places share a code")
        home = policy.home_country.upper()
        self.home = [p.country.upper() == home for p in self.places]
        connection = timedelta(minutes=policy.min_connection_minutes)
        for leg in legs:
            if leg.arrival_time < leg.departure_time:
                raise ValueError(f"leg {leg.number} arrives before it departs")
        live = [
            leg
            for leg in legs
            if not leg.cancelled
            and leg.origin in self.place_index
            and leg.destination in self.place_index
            and leg.origin != leg.destination
        ]
        self.legs = sorted(live, key=lambda g: (g.departure_time, g.arrival_time, g.leg_id))
        self.index = {leg.leg_id: i for i, leg in enumerate(self.legs)}
        self.origin = [self.place_index[g.origin] for g in self.legs]
        self.destination = [self.place_index[g.destination] for g in self.legs]
        base = min((g.departure_time for g in self.legs), default=None)
        self.departs = [(g.departure_time - base).total_seconds() for g in self.legs]
        self.arrives = [(g.arrival_time - base).total_seconds() for g in self.legs]
        self.ready = [a + connection.total_seconds() for a in self.arrives]
        self.ids = [g.leg_id for g in self.legs]
        self.ambulance = [g.mode == LegMode.ambulance_flight for g in self.legs]
        self.seats = [g.seats for g in self.legs]
        self.stretchers = [g.stretchers for g in self.legs]
        self.seats_free = list(self.seats)
        self.stretchers_free = list(self.stretchers)
        self.filled = 0  # counts seats or stretchers running out on a leg
        self.leads_home = {kind: self._leads_home(kind) for kind in KINDS}

    def capable(self, leg: int, kind: int) -> bool:
        """Whether the leg can carry households of ``kind`` at all (room aside)."""
        if kind == STRETCHER:
            return self.ambulance[leg] or self.stretchers[leg] > 0
        return not self.ambulance[leg]

    def has_room(self, leg: int, seats: int, stretchers: int) -> bool:
        """Room now for a household needing ``seats`` and ``stretchers`` (kind included)."""
        if self.ambulance[leg] and not stretchers:
            return False
        return self.seats_free[leg] >= seats and self.stretchers_free[leg] >= stretchers

    def take(self, legs: Sequence[int], seats: int, stretchers: int) -> None:
        for leg in legs:
            had = self.seats_free[leg] > 0, self.stretchers_free[leg] > 0
            self.seats_free[leg] -= seats
            self.stretchers_free[leg] -= stretchers
            if had != (self.seats_free[leg] > 0, self.stretchers_free[leg] > 0):
                self.filled += 1

    def open_legs(self, legs: list[int], kind: int) -> list[int]:
        """``legs`` without those that can take nobody of ``kind`` any more."""
        free = self.stretchers_free if kind == STRETCHER else self.seats_free
        return [leg for leg in legs if free[leg] > 0]

    def _leads_home(self, kind: int) -> list[bool]:
        """For each leg, whether some chain of legs of ``kind`` from it ends at home.

        A backward pass: a leg leads home if it arrives home, or if a leg of
        the kind that leads home leaves its destination after the connection.
        """
        latest: dict[int, float] = {}  # place -> latest departure of a leg leading home
        out = [False] * len(self.legs)
        for leg in reversed(range(len(self.legs))):
            if not self.capable(leg, kind):
                continue
            there = self.destination[leg]
            if self.home[there] or latest.get(there, -1.0) >= self.ready[leg]:
                out[leg] = True
                place = self.origin[leg]
                latest[place] = max(latest.get(place, -1.0), self.departs[leg])
        return out

    def country_legs(self, country: str, kind: int) -> list[int]:
        """Legs, in order, that households of ``kind`` starting in ``country`` may use.

        A forward pass keeps the legs reachable in time from a place of the
        country; of them, those that lead home. Only a speed-up: the search
        would find nothing better among the others.
        """
        starts = {i for i, p in enumerate(self.places) if p.country.upper() == country}
        ready: dict[int, float] = {}  # place -> earliest time one can leave it
        out = []
        for leg in range(len(self.legs)):
            if not self.leads_home[kind][leg]:
                continue
            place = self.origin[leg]
            if place in starts or ready.get(place, float("inf")) <= self.departs[leg]:
                out.append(leg)
                there = self.destination[leg]
                ready[there] = min(ready.get(there, float("inf")), self.ready[leg])
        return out

    def departure_places(self) -> dict[str, list[int]]:
        """Places with a leg leaving them, by country (codes order)."""
        out: dict[str, set[int]] = defaultdict(set)
        for leg in range(len(self.legs)):
            place = self.origin[leg]
            out[self.places[place].country.upper()].add(place)
        return {country: sorted(found) for country, found in out.items()}
