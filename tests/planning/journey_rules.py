"""An independent check of every rule a journey plan must keep.

It enumerates every journey by brute force (depth-first over the legs as
given, geopy's geodesic pair by pair for reach) and checks each rule from
its plain-language statement, so that the property tests do not trust the
planner's search, cache or bookkeeping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from geopy.distance import geodesic

from evac.geo.distance import within_km
from evac.planning.data import Household
from evac.planning.journey_data import (
    ExtraVehicles,
    JourneyPlanResult,
    JourneyPolicy,
    JourneyReason,
    Leg,
    LegMode,
    Place,
    Preference,
    StrandedPeople,
)
from evac.planning.tiers import priority_tier

Journey = tuple[Leg, ...]


def need_of(household: Household) -> tuple[int, int]:
    lying = sum(m.needs_stretcher for m in household.members)
    return len(household.members) - lying, lying


@dataclass
class World:
    places: dict[str, Place]
    legs: list[Leg]
    policy: JourneyPolicy

    @property
    def live(self) -> list[Leg]:
        return [g for g in self.legs if not g.cancelled]

    def home(self, code: str) -> bool:
        return self.places[code].country.upper() == self.policy.home_country.upper()

    def starts(self, household: Household) -> dict[str, int]:
        """Start places in reach, with the planner's rank (0 nearest, ties shared)."""
        mine = [
            p
            for p in self.places.values()
            if p.country.upper() == household.country.upper()
            and any(g.origin == p.code for g in self.live)
        ]
        if household.latitude is None or household.longitude is None:
            return {p.code: 0 for p in mine}
        here = (household.latitude, household.longitude)
        found = {}
        for place in mine:
            if geodesic(here, (place.latitude, place.longitude)).km <= place.reach_km:
                _, km = within_km(
                    np.array([here]), np.array([[place.latitude, place.longitude]]), place.reach_km
                )
                found[place.code] = float(km[0, 0])
        distinct = sorted(set(found.values()))
        return {code: distinct.index(km) for code, km in found.items()}

    def journeys(self, starts: dict[str, int], usable: object) -> list[Journey]:
        """Every journey home from ``starts`` over legs ``usable(leg)`` accepts,
        no place twice, stopping at the first arrival home."""
        connection = timedelta(minutes=self.policy.min_connection_minutes)
        out: list[Journey] = []

        def extend(path: Journey, visited: set[str]) -> None:
            last = path[-1]
            if self.home(last.destination):
                out.append(path)
                return
            for leg in self.live:
                if (
                    leg.origin == last.destination
                    and leg.departure_time >= last.arrival_time + connection
                    and leg.destination not in visited
                    and usable(leg)
                ):
                    extend((*path, leg), visited | {leg.destination})

        for leg in self.live:
            if leg.origin in starts and leg.destination != leg.origin and usable(leg):
                extend((leg,), {leg.origin, leg.destination})
        return out


def capable(leg: Leg, stretchers: int) -> bool:
    if stretchers:
        return leg.mode == LegMode.ambulance_flight or leg.stretchers > 0
    return leg.mode != LegMode.ambulance_flight


def fits(leg: Leg, need: tuple[int, int], used: Counter, freed: Counter | None = None) -> bool:
    seats, stretchers = need
    free_seats = leg.seats - used[(leg.leg_id, 0)] + (freed or Counter())[(leg.leg_id, 0)]
    free_lying = leg.stretchers - used[(leg.leg_id, 1)] + (freed or Counter())[(leg.leg_id, 1)]
    return capable(leg, stretchers) and free_seats >= seats and free_lying >= stretchers


def key(journey: Journey, rank: int, preference: Preference) -> tuple:
    ids = tuple(g.leg_id for g in journey)
    first = journey[0]
    if preference == Preference.nearest_departure:
        return (rank, first.departure_time, first.leg_id, journey[-1].arrival_time, len(ids), ids)
    return (journey[-1].arrival_time, len(ids), rank, ids)


def empty_fit(need: tuple[int, int]) -> object:
    return lambda g: fits(g, need, Counter())


@dataclass
class Outcome:
    journey_of: dict[int, Journey]
    used: Counter  # (leg id, 0 seats / 1 stretchers) -> used
    tiers: dict[int, int]


def read_outcome(people: Sequence[Household], world: World, result: JourneyPlanResult) -> Outcome:
    by_id = {g.leg_id: g for g in world.legs}
    journey_of = {j.registration_id: tuple(by_id[i] for i in j.leg_ids) for j in result.journeys}
    rows: dict[int, set[tuple[int, int]]] = defaultdict(set)
    used: Counter = Counter()
    for row in result.assignments:
        rows[row.registration_id].add((row.person_id, row.leg_id))
        used[(row.leg_id, 1 if row.uses_stretcher else 0)] += 1
    for household in people:
        legs = journey_of.get(household.registration_id, ())
        expected = {(m.person_id, g.leg_id) for m in household.members for g in legs}
        assert rows.get(household.registration_id, set()) == expected, "household split"
    return Outcome(journey_of, used, dict(result.tiers))


def assert_journey_plan_keeps_rules(
    people: Sequence[Household],
    places: Sequence[Place],
    legs: Sequence[Leg],
    policy: JourneyPolicy,
    result: JourneyPlanResult,
) -> None:
    world = World({p.code: p for p in places}, list(legs), policy)
    outcome = read_outcome(people, world, result)
    _check_loads(world, outcome, result)
    live = {g.leg_id for g in world.live}
    left = {u.registration_id: u for u in result.unassigned}
    assert len(left) == len(result.unassigned)
    for household in people:
        journey = outcome.journey_of.get(household.registration_id)
        assert (journey is None) == (household.registration_id in left)
        fixed = bool(household.fixed_leg_ids) and set(household.fixed_leg_ids) <= live
        _check_tier(household, world, result, fixed)
        if fixed:
            assert {g.leg_id for g in journey} == set(household.fixed_leg_ids), "moved"
        elif journey is not None:
            _check_journey(household, journey, world, outcome, result.preference)
        else:
            _check_left_out(household, left[household.registration_id], people, world, outcome)
    check_recommendations(people, world, outcome, result)


def _check_loads(world: World, outcome: Outcome, result: JourneyPlanResult) -> None:
    loads = {load.leg_id: load for load in result.leg_loads}
    assert sorted(loads) == sorted(g.leg_id for g in world.legs)
    for leg in world.legs:
        load = loads[leg.leg_id]
        assert (load.seats_used, load.stretchers_used) == (
            outcome.used[(leg.leg_id, 0)],
            outcome.used[(leg.leg_id, 1)],
        )
        assert load.seats_used <= leg.seats and load.stretchers_used <= leg.stretchers
        if leg.cancelled:
            assert load.seats_used == load.stretchers_used == 0, "someone on a cancelled leg"


def _check_tier(household: Household, world: World, result: JourneyPlanResult, fixed: bool) -> None:
    if fixed:
        mine = [g for g in world.live if g.leg_id in household.fixed_leg_ids]
    else:
        lying = need_of(household)[1]
        routes = world.journeys(world.starts(household), lambda g: capable(g, lying))
        mine = [j[0] for j in routes] or world.live
    if not mine:
        return
    on_date = min(g.departure_time for g in mine).date()
    expected = priority_tier(household, on_date, world.policy.tier_policy())
    assert result.tiers[household.registration_id] == expected


def _check_journey(
    household: Household, journey: Journey, world: World, outcome: Outcome, pref: Preference
) -> None:
    """A journey by the rules, and none it prefers has room for it at the end."""
    need = need_of(household)
    starts = world.starts(household)
    options = world.journeys(starts, empty_fit(need))
    assert journey in options, "not a journey it may take"
    mine = key(journey, starts[journey[0].origin], pref)
    for other in options:
        if key(other, starts[other[0].origin], pref) < mine:
            assert not all(fits(g, need, outcome.used) for g in other), "a better journey had room"


def _check_left_out(
    household: Household,
    left: object,
    people: Sequence[Household],
    world: World,
    outcome: Outcome,
) -> None:
    assert left.people == len(household.members)
    need = need_of(household)
    if not household.members:
        assert left.reason == JourneyReason.no_members
        return
    starts = world.starts(household)
    if not world.journeys(starts, lambda g: capable(g, need[1])):
        assert left.reason == JourneyReason.no_route_in_reach
        return
    options = world.journeys(starts, empty_fit(need))
    if not options:
        assert left.reason == JourneyReason.household_too_large
        return
    assert left.reason == JourneyReason.no_capacity
    lower: Counter = Counter()
    for other in people:
        other_journey = outcome.journey_of.get(other.registration_id)
        fixed = bool(other.fixed_leg_ids) and set(other.fixed_leg_ids) <= {
            g.leg_id for g in world.live
        }
        if other_journey and not fixed and left.tier < outcome.tiers[other.registration_id]:
            for g in other_journey:
                lower[(g.leg_id, 0)] += need_of(other)[0]
                lower[(g.leg_id, 1)] += need_of(other)[1]
    full = set()
    for journey in options:
        assert not all(fits(g, need, outcome.used) for g in journey), "capacity wasted"
        assert not all(fits(g, need, outcome.used, lower) for g in journey), "priority inversion"
        full |= {g.number for g in journey if not fits(g, need, outcome.used)}
    assert full <= set(left.full_legs)
    by_number = {g.number: g for g in world.live}
    assert all(not fits(by_number[n], need, outcome.used) for n in left.full_legs)


def check_recommendations(
    people: Sequence[Household], world: World, outcome: Outcome, result: JourneyPlanResult
) -> None:
    """Free room plus the recommended vehicles on each leg cover the left-out people
    routed over it (each along its best journey on empty legs)."""
    extras = [r for r in result.recommendations if isinstance(r, ExtraVehicles)]
    stranded = [r for r in result.recommendations if isinstance(r, StrandedPeople)]
    by_id = {h.registration_id: h for h in people}
    demand: Counter = Counter()
    for left in result.unassigned:
        if left.reason != JourneyReason.no_capacity:
            continue
        household = by_id[left.registration_id]
        need = need_of(household)
        starts = world.starts(household)
        options = world.journeys(starts, empty_fit(need))
        route = min(options, key=lambda j: key(j, starts[j[0].origin], result.preference))
        for g in route:
            demand[(g.number, 0)] += need[0]
            demand[(g.number, 1)] += need[1]
    supply: Counter = Counter()
    for extra in extras:
        assert extra.extra_seats >= extra.people - extra.extra_stretchers
        supply[(extra.leg_number, 0)] += extra.extra_seats + extra.unplaceable_people
        supply[(extra.leg_number, 1)] += extra.extra_stretchers + extra.unplaceable_people
    for leg in world.live:
        for dim, capacity in ((0, leg.seats), (1, leg.stretchers)):
            free = max(capacity - outcome.used[(leg.leg_id, dim)], 0)
            assert free + supply[(leg.number, dim)] >= demand[(leg.number, dim)], "not covered"
    stranded_people = sum(
        u.people
        for u in result.unassigned
        if u.reason in (JourneyReason.no_route_in_reach, JourneyReason.household_too_large)
    )
    assert sum(s.people for s in stranded) == stranded_people
