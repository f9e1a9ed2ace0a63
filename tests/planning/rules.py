"""An independent check of every rule a plan must keep.

It recomputes reach pair by pair with geopy's exact geodesic, loads from the
assignments, and each rule from its plain-language statement, so that the
property tests do not trust the planner's own bookkeeping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from geopy.distance import geodesic

from evac.geo.distance import within_km
from evac.planning.core import (
    Flight,
    FlightKind,
    Household,
    PlanResult,
    Policy,
    UnassignedReason,
    priority_tier,
)
from evac.planning.packing import ambulance_lower_bound, seats_lower_bound
from evac.planning.recommend import split_for_packing


def stretchers_of(household: Household) -> int:
    return sum(m.needs_stretcher for m in household.members)


def seats_of(household: Household) -> int:
    return len(household.members) - stretchers_of(household)


def is_fixed(household: Household, flights: Sequence[Flight]) -> bool:
    live = {f.flight_id for f in flights if not f.cancelled}
    return household.fixed_flight_id in live


def candidates(household: Household, flights: Sequence[Flight], policy: Policy) -> list[Flight]:
    """Flights the household may take, best first, by the rules' own words."""
    ambulance = stretchers_of(household) > 0
    options = [
        f
        for f in flights
        if not f.cancelled
        and f.country == household.country
        and (f.kind == FlightKind.ambulance) == ambulance
    ]
    if household.latitude is None or household.longitude is None:
        return sorted(options, key=lambda f: (f.departure_time, f.flight_id))
    here = (household.latitude, household.longitude)
    exact = [geodesic(here, (f.latitude, f.longitude)).km for f in options]
    # The planner ranks airports by the distances within_km reports.
    targets = np.array([(f.latitude, f.longitude) for f in options]).reshape(-1, 2)
    _, ranking = within_km(np.array([here]), targets, policy.max_airport_distance_km)
    keyed = [
        (float(ranking[0, k]), f.departure_time, f.flight_id, f)
        for k, f in enumerate(options)
        if exact[k] <= policy.max_airport_distance_km
    ]
    return [item[-1] for item in sorted(keyed, key=lambda item: item[:3])]


def tier_date(household: Household, flights: Sequence[Flight], policy: Policy) -> date:
    live = [f for f in flights if not f.cancelled]
    fixed = [f for f in live if f.flight_id == household.fixed_flight_id]
    mine = fixed or candidates(household, flights, policy) or live
    return min(f.departure_time.date() for f in mine)


@dataclass
class Outcome:
    """The plan, reshaped for checking."""

    flight_of: dict[int, int]
    seats_used: Counter
    stretchers_used: Counter
    tiers: dict[int, int]


def read_outcome(
    people: Sequence[Household], flights: Sequence[Flight], result: PlanResult
) -> Outcome:
    kinds = {f.flight_id: f.kind for f in flights}
    by_registration: dict[int, set[int]] = defaultdict(set)
    seats_used: Counter = Counter()
    stretchers_used: Counter = Counter()
    flight_of = {}
    for row in result.assignments:
        by_registration[row.registration_id].add(row.flight_id)
        flight_of[row.registration_id] = row.flight_id
        if row.uses_stretcher:
            assert kinds[row.flight_id] == FlightKind.ambulance
            stretchers_used[row.flight_id] += 1
        else:
            seats_used[row.flight_id] += 1
    for household in people:
        assigned = {
            r.person_id
            for r in result.assignments
            if r.registration_id == household.registration_id
        }
        assert assigned in (set(), {m.person_id for m in household.members}), "household split"
        assert len(by_registration.get(household.registration_id, ())) <= 1, "household split"
    return Outcome(flight_of, seats_used, stretchers_used, dict(result.tiers))


def room_for(household: Household, flight: Flight, outcome: Outcome, freed: tuple = (0, 0)) -> bool:
    seats_free = flight.seats - outcome.seats_used[flight.flight_id] + freed[0]
    stretchers_free = flight.stretchers - outcome.stretchers_used[flight.flight_id] + freed[1]
    return seats_free >= seats_of(household) and stretchers_free >= stretchers_of(household)


def assert_plan_keeps_rules(
    people: Sequence[Household], flights: Sequence[Flight], policy: Policy, result: PlanResult
) -> None:
    outcome = read_outcome(people, flights, result)
    by_id = {f.flight_id: f for f in flights}
    _check_capacity_and_kinds(people, flights, outcome, result)
    _check_tiers(people, flights, policy, outcome)
    unassigned = {u.registration_id: u for u in result.unassigned}
    assert len(unassigned) == len(result.unassigned), "a household is left out twice"
    for household in people:
        fixed = is_fixed(household, flights)
        flight_id = outcome.flight_of.get(household.registration_id)
        assert (flight_id is None) == (household.registration_id in unassigned)
        if fixed:
            assert flight_id == household.fixed_flight_id, "a confirmed household was moved"
            continue
        options = candidates(household, flights, policy)
        if flight_id is not None:
            _check_choice(household, by_id[flight_id], options, outcome)
        else:
            left = unassigned[household.registration_id]
            assert left.people == len(household.members)
            assert left.tier == outcome.tiers[household.registration_id]
            _check_left_out(household, left.reason, options, people, flights, outcome)
    _check_recommendations(people, policy, result)


def _check_capacity_and_kinds(
    people: Sequence[Household], flights: Sequence[Flight], outcome: Outcome, result: PlanResult
) -> None:
    loads = {load.flight_id: load for load in result.flight_loads}
    assert sorted(loads) == sorted(f.flight_id for f in flights)
    for flight in flights:
        load = loads[flight.flight_id]
        assert load.seats_used == outcome.seats_used[flight.flight_id]
        assert load.stretchers_used == outcome.stretchers_used[flight.flight_id]
        assert load.seats_used <= flight.seats and load.stretchers_used <= flight.stretchers
        if flight.cancelled:
            assert load.seats_used == load.stretchers_used == 0, "someone on a cancelled flight"
    kinds = {f.flight_id: f.kind for f in flights}
    for household in people:
        flight_id = outcome.flight_of.get(household.registration_id)
        if flight_id is None or is_fixed(household, flights):
            continue
        on_ambulance = kinds[flight_id] == FlightKind.ambulance
        assert on_ambulance == (stretchers_of(household) > 0), "wrong kind of flight"


def _check_tiers(
    people: Sequence[Household], flights: Sequence[Flight], policy: Policy, outcome: Outcome
) -> None:
    assert sorted(outcome.tiers) == sorted(h.registration_id for h in people)
    if not any(not f.cancelled for f in flights):
        return
    for household in people:
        expected = priority_tier(household, tier_date(household, flights, policy), policy)
        assert outcome.tiers[household.registration_id] == expected


def _check_choice(
    household: Household, flight: Flight, options: list[Flight], outcome: Outcome
) -> None:
    """Seated on a flight it may take, and no flight it prefers has room for it."""
    assert flight in options, "seated on a flight out of reach or of another country"
    for better in options[: options.index(flight)]:
        assert not room_for(household, better, outcome), "a preferred flight had room"


def _check_left_out(
    household: Household,
    reason: UnassignedReason,
    options: list[Flight],
    people: Sequence[Household],
    flights: Sequence[Flight],
    outcome: Outcome,
) -> None:
    if not household.members:
        assert reason == UnassignedReason.no_members
        return
    if not options:
        assert reason == UnassignedReason.no_flight_in_reach
        return
    empty = Outcome({}, Counter(), Counter(), {})
    if not any(room_for(household, f, empty) for f in options):
        too_large = (
            UnassignedReason.household_too_large_for_ambulance
            if stretchers_of(household)
            else UnassignedReason.household_too_large_for_flight
        )
        assert reason == too_large
        return
    assert reason == UnassignedReason.no_capacity
    tier = outcome.tiers[household.registration_id]
    for flight in options:
        assert not room_for(household, flight, outcome), "a seat was wasted"
        lower = [
            h
            for h in people
            if outcome.flight_of.get(h.registration_id) == flight.flight_id
            and not is_fixed(h, flights)
            and outcome.tiers[h.registration_id] > tier
        ]
        freed = (sum(seats_of(h) for h in lower), sum(stretchers_of(h) for h in lower))
        assert not room_for(household, flight, outcome, freed), "priority inversion"


def _check_recommendations(people: Sequence[Household], policy: Policy, result: PlanResult) -> None:
    countries = sorted({h.country for h in people})
    assert [r.country for r in result.recommendations] == countries
    seated = {r.registration_id for r in result.assignments}
    for rec in result.recommendations:
        mine = [h for h in people if h.country == rec.country]
        left_out = [h for h in mine if h.registration_id not in seated]
        assert rec.assigned_people == sum(len(h.members) for h in mine) - rec.unassigned_people
        assert rec.unassigned_people == sum(len(h.members) for h in left_out)
        regular, ambulance, unplaceable = split_for_packing(left_out, policy)
        assert rec.unplaceable_people == unplaceable
        assert seats_lower_bound(regular, policy.standard_flight_seats) <= rec.extra_regular_flights
        assert rec.extra_regular_flights <= len(regular)
        lower = ambulance_lower_bound(
            ambulance, policy.ambulance_stretchers, policy.ambulance_seats
        )
        assert lower <= rec.extra_ambulance_flights <= len(ambulance)
        if not rec.unassigned_people:
            assert rec.suggested_airport is None
