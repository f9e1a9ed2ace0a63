"""The evacuation planner's functional core: plain data in, a plan out.

:func:`plan` seats households on flights in priority order. Households
already confirmed on a flight that still flies stay where they are. Everyone
else is taken one household at a time, highest tier first, then by
registration time, then by reference, and put on the first flight in its
preference order (nearest airport, earliest departure, lowest id) that still
has room for the whole household; a household with a stretcher patient
needs an ambulance flight with a stretcher for each patient and a seat for
each other member.

Because every household is placed before any household that comes after it
in that order, and seats are only ever taken, never freed:

* a household left out for lack of capacity found no room on any flight it
  could take, and there is still none at the end (no wasted seat);
* the only passengers it could displace were seated after it, so removing
  every lower-tier household from such a flight gives back at most the room
  it lacked (no priority inversion; fixed passengers are never removed).

The planner reads no clock, database or file and gives the same result for
the same input in any order. ``docs/planner.md`` explains the choices and how
far the result is from the exact optimum.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from operator import attrgetter

from evac.planning.data import (
    Airport,
    CountryRecommendation,
    Flight,
    FlightKind,
    FlightLoad,
    Household,
    MedicalUrgency,
    Member,
    PlannedAssignment,
    PlanResult,
    Policy,
    TcnPolicy,
    Unassigned,
    UnassignedReason,
)
from evac.planning.reach import candidate_flights
from evac.planning.recommend import recommend
from evac.planning.tiers import fallback_tier_date, priority_tier

__all__ = [
    "Airport",
    "CountryRecommendation",
    "Flight",
    "FlightKind",
    "FlightLoad",
    "Household",
    "MedicalUrgency",
    "Member",
    "PlanResult",
    "PlannedAssignment",
    "Policy",
    "TcnPolicy",
    "Unassigned",
    "UnassignedReason",
    "plan",
    "priority_tier",
]


class _Seating:
    """Room left on each flight that flies, and who sits where."""

    def __init__(self, live: list[Flight]) -> None:
        self.seats_free = [f.seats for f in live]
        self.stretchers_free = [f.stretchers for f in live]
        self.flight_of: dict[int, int] = {}  # registration id -> index in live
        # Candidate lists without the flights found full, by id of the original.
        self._open: dict[int, list[int]] = {}

    def place(self, household: Household, flight: int, stretchers: int) -> None:
        """Seat the household, its ``stretchers`` patients lying down."""
        self.seats_free[flight] -= len(household.members) - stretchers
        self.stretchers_free[flight] -= stretchers
        self.flight_of[household.registration_id] = flight

    def first_with_room(self, candidates: list[int], seats: int, stretchers: int) -> int | None:
        """The first of ``candidates`` with room for ``seats`` and ``stretchers``.

        A flight with no seat left can take no regular household any more, and
        one with no stretcher left no household with a patient (each list holds
        flights of one kind), so such flights are dropped from the shared list
        once seen: households of a big country do not scan hundreds of full
        flights each.
        """
        open_ = self._open.get(id(candidates))
        if open_ is None:
            open_ = self._open[id(candidates)] = list(candidates)
        seats_free, stretchers_free = self.seats_free, self.stretchers_free
        scarce = stretchers_free if stretchers else seats_free
        found = None
        full = False
        for flight in open_:
            if seats_free[flight] >= seats and stretchers_free[flight] >= stretchers:
                found = flight
                break
            full = full or scarce[flight] <= 0
        if full:
            open_[:] = [flight for flight in open_ if scarce[flight] > 0]
        return found


def _stretchers(household: Household) -> int:
    return sum(m.needs_stretcher for m in household.members)


_person_id = attrgetter("person_id")


def _priority_key(household: Household, tier: int) -> tuple:
    return (tier, household.registered_at, household.reference, household.registration_id)


def plan(
    households: Sequence[Household],
    flights: Sequence[Flight],
    policy: Policy,
    airports: Sequence[Airport] = (),
) -> PlanResult:
    """Seat ``households`` on ``flights`` and say what is still needed.

    Registration, person and flight ids must be unique. A household whose
    ``fixed_flight_id`` names a flight that is given and not cancelled keeps
    that flight whatever the rules say (its people count in the loads even
    past capacity, which then leaves no room for anyone else); any other is
    planned afresh. ``airports`` are the candidate airports for the
    recommendations of extra flights; without them no airport is suggested.

    The result lists assignments by registration then person id, the
    households left out in the order they would get the next seat, flight
    loads by flight id (cancelled flights too, empty), and one recommendation
    per country that has households.
    """
    with collection_paused():
        return _plan(households, flights, policy, airports)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while planning.

    A plan creates a row per person and builds no reference cycles, but the
    allocations trigger full collections that walk every object of the input:
    a fifth to a third of the run time at 100,000 people and more. Memory is
    still freed by reference counting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plan(
    households: Sequence[Household],
    flights: Sequence[Flight],
    policy: Policy,
    airports: Sequence[Airport],
) -> PlanResult:
    households = sorted(households, key=lambda h: h.registration_id)
    all_flights = sorted(flights, key=lambda f: f.flight_id)
    live = [f for f in all_flights if not f.cancelled]
    index = {f.flight_id: i for i, f in enumerate(live)}
    seating = _Seating(live)
    tiers: dict[int, int] = {}
    pool: list[Household] = []
    for household in households:
        flight = None if household.fixed_flight_id is None else index.get(household.fixed_flight_id)
        if flight is None:
            pool.append(household)
            continue
        on_date = live[flight].departure_time.date()
        tiers[household.registration_id] = priority_tier(household, on_date, policy)
        on_ambulance = live[flight].kind == FlightKind.ambulance
        seating.place(household, flight, _stretchers(household) if on_ambulance else 0)
    candidates = candidate_flights(pool, live, policy.max_airport_distance_km)
    _assign_tiers(pool, candidates, live, policy, tiers)
    unassigned = _seat_pool(pool, candidates, live, tiers, seating)
    return PlanResult(
        assignments=_assignments(households, live, seating),
        unassigned=tuple(unassigned),
        flight_loads=_flight_loads(all_flights, live, index, seating),
        recommendations=recommend(households, seating.flight_of.keys(), policy, airports),
        tiers=dict(sorted(tiers.items())),
    )


def _assign_tiers(
    pool: list[Household],
    candidates: list[list[int]],
    live: list[Flight],
    policy: Policy,
    tiers: dict[int, int],
) -> None:
    """Tier of each household, judged on the date of its earliest flight in reach.

    A household with no flight in reach is judged on the earliest departure of
    any flight that flies (see :func:`fallback_tier_date`).
    """
    departures = [f.departure_time.date() for f in live]
    registrations = [] if departures else [h.registered_at.date() for h in pool]
    fallback = fallback_tier_date(departures, registrations)
    earliest: dict[int, date | None] = {}  # candidate lists are shared: by id
    for household, flights in zip(pool, candidates, strict=True):
        key = id(flights)
        if key not in earliest:
            earliest[key] = min((departures[i] for i in flights), default=None)
        on_date = earliest[key] or fallback
        assert on_date is not None  # the pool is not empty here
        tiers[household.registration_id] = priority_tier(household, on_date, policy)


def _seat_pool(
    pool: list[Household],
    candidates: list[list[int]],
    live: list[Flight],
    tiers: dict[int, int],
    seating: _Seating,
) -> list[Unassigned]:
    """The greedy: seat households in priority order; return those left out."""
    keys = [_priority_key(h, tiers[h.registration_id]) for h in pool]
    order = sorted(range(len(pool)), key=keys.__getitem__)
    unassigned = []
    for k in order:
        household = pool[k]
        size = len(household.members)
        stretchers = _stretchers(household)
        flight = (
            seating.first_with_room(candidates[k], size - stretchers, stretchers) if size else None
        )
        if flight is not None:
            seating.place(household, flight, stretchers)
            continue
        reason = _reason(size, stretchers, candidates[k], live)
        unassigned.append(
            Unassigned(
                registration_id=household.registration_id,
                reference=household.reference,
                people=size,
                reason=reason,
                tier=tiers[household.registration_id],
            )
        )
    return unassigned


def _reason(
    size: int, stretchers: int, candidates: list[int], live: list[Flight]
) -> UnassignedReason:
    if size == 0:
        return UnassignedReason.no_members
    if not candidates:
        return UnassignedReason.no_flight_in_reach
    seats = size - stretchers
    if any(live[i].seats >= seats and live[i].stretchers >= stretchers for i in candidates):
        return UnassignedReason.no_capacity
    if stretchers:
        return UnassignedReason.household_too_large_for_ambulance
    return UnassignedReason.household_too_large_for_flight


def _assignments(
    households: list[Household], live: list[Flight], seating: _Seating
) -> tuple[PlannedAssignment, ...]:
    """One row per seated person, by registration then person id.

    A stretcher patient uses a stretcher only on an ambulance flight; a fixed
    passenger on a regular flight takes a seat whatever the record says.
    """
    out = []
    for household in households:
        flight = seating.flight_of.get(household.registration_id)
        if flight is None:
            continue
        flight_id = live[flight].flight_id
        on_ambulance = live[flight].kind == FlightKind.ambulance
        for member in sorted(household.members, key=_person_id):
            out.append(
                PlannedAssignment(
                    registration_id=household.registration_id,
                    person_id=member.person_id,
                    flight_id=flight_id,
                    uses_stretcher=on_ambulance and member.needs_stretcher,
                )
            )
    return tuple(out)


def _flight_loads(
    all_flights: list[Flight], live: list[Flight], index: dict[int, int], seating: _Seating
) -> tuple[FlightLoad, ...]:
    out = []
    for flight in all_flights:
        i = index.get(flight.flight_id)
        seats = 0 if i is None else live[i].seats - seating.seats_free[i]
        stretchers = 0 if i is None else live[i].stretchers - seating.stretchers_free[i]
        out.append(FlightLoad(flight.flight_id, flight.flight_number, seats, stretchers))
    return tuple(out)
