"""An exact reference for the journey planner, to measure how far the greedy is from best.

Every journey each household may take (start in reach, chained legs with the
connection time, no place twice, ending at the first arrival home, legs it
fits when empty, of its kind) is enumerated, and CP-SAT chooses at most one
per household so that no leg exceeds its seats or stretchers (confirmed
households stay and count), maximising the people seated tier by tier. It
ignores arrival order and the preference among journeys, which the greedy
honours, so it is an upper bound, not a better plan to use.

It needs OR-Tools (a test and benchmark dependency only) and is meant for a
few dozen households over about ten legs: the journeys are enumerated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evac.planning.data import Household
from evac.planning.exact import _solve
from evac.planning.journey_data import JourneyPolicy, Leg, Place
from evac.planning.journey_network import Network
from evac.planning.journey_reach import start_sets
from evac.planning.tiers import ALL_TIERS


def exact_journeys_seated_by_tier(
    households: Sequence[Household],
    places: Sequence[Place],
    legs: Sequence[Leg],
    policy: JourneyPolicy,
    tiers: Mapping[int, int],
    by_tier: bool = True,
    time_limit_s: float = 10.0,
) -> tuple[int, ...]:
    """People seated in each tier (1 to 4) by a lexicographically best journey plan.

    ``tiers`` maps registration ids to tiers, as :func:`plan_journeys` reports
    them. With ``by_tier=False`` it seats the most people whatever their tier.
    """
    from ortools.sat.python import cp_model

    net = Network(places, legs, policy)
    pool, fixed_people = _place_fixed(households, net, tiers)
    set_of, sets = start_sets(pool, net)
    model = cp_model.CpModel()
    seats_use: list[list] = [[] for _ in net.legs]
    stretchers_use: list[list] = [[] for _ in net.legs]
    seated: dict[int, list] = {tier: [] for tier in ALL_TIERS}
    for household, set_id in zip(pool, set_of, strict=True):
        lying = sum(m.needs_stretcher for m in household.members)
        need = (len(household.members) - lying, lying)
        options = journeys_from(net, {place for place, _ in sets[set_id]}, need)
        if not sum(need) or not options:
            continue
        choices = [model.new_bool_var(f"x{household.registration_id}_{k}") for k in options]
        model.add_at_most_one(choices)
        for journey, choice in zip(options, choices, strict=True):
            for g in journey:
                seats_use[g].append(need[0] * choice)
                stretchers_use[g].append(need[1] * choice)
            seated[tiers[household.registration_id]].append(len(household.members) * choice)
    for g in range(len(net.legs)):
        model.add(sum(seats_use[g]) <= max(net.seats_free[g], 0))
        model.add(sum(stretchers_use[g]) <= max(net.stretchers_free[g], 0))
    scale = sum(len(h.members) for h in pool) + 1
    model.maximize(
        sum(
            (scale ** (len(ALL_TIERS) - tier) if by_tier else 1) * sum(seated[tier])
            for tier in ALL_TIERS
        )
    )
    solver = _solve(model, time_limit_s)
    return tuple(fixed_people[t] + int(solver.value(sum(seated[t]))) for t in ALL_TIERS)


def journeys_from(net: Network, starts: set[int], need: tuple[int, int]) -> list[tuple[int, ...]]:
    """Every journey home from ``starts`` over legs the household fits when empty."""
    seats, stretchers = need
    fitting = [
        g
        for g in range(len(net.legs))
        if (stretchers or not net.ambulance[g])
        and net.seats[g] >= seats
        and net.stretchers[g] >= stretchers
    ]
    out: list[tuple[int, ...]] = []

    def extend(path: tuple[int, ...], visited: frozenset[int]) -> None:
        last = path[-1]
        there = net.destination[last]
        if net.home[there]:
            out.append(path)
            return
        for g in fitting:
            if (
                net.origin[g] == there
                and net.departs[g] >= net.ready[last]
                and net.destination[g] not in visited
            ):
                extend((*path, g), visited | {net.destination[g]})

    for g in fitting:
        if net.origin[g] in starts:
            extend((g,), frozenset({net.origin[g], net.destination[g]}))
    return out


def _place_fixed(
    households: Sequence[Household], net: Network, tiers: Mapping[int, int]
) -> tuple[list[Household], dict[int, int]]:
    """Households still to plan, and confirmed people per tier (their room taken)."""
    fixed_people = dict.fromkeys(ALL_TIERS, 0)
    pool = []
    for household in sorted(households, key=lambda h: h.registration_id):
        ids = set(household.fixed_leg_ids)
        if not ids or not ids <= net.index.keys():
            pool.append(household)
            continue
        lying = sum(m.needs_stretcher for m in household.members)
        for leg_id in ids:
            g = net.index[leg_id]
            on_stretchers = lying if net.stretchers[g] > 0 else 0
            net.take((g,), len(household.members) - on_stretchers, on_stretchers)
        fixed_people[tiers[household.registration_id]] += len(household.members)
    return pool, fixed_people
