"""An exact reference for the planner, to measure how far the greedy is from best.

It seats the same households on the same flights under the same rules
(whole households, reach, flight kind, capacity, fixed passengers stay) and
maximises the people seated tier by tier: as many tier-1 people as possible,
then as many tier-2 people as that allows, and so on. It ignores arrival
order and airport preference, which the greedy honours, so it is an upper
bound, not a better plan to use.

It needs OR-Tools (CP-SAT), a test and benchmark dependency only, and is
meant for instances of a few dozen households.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evac.planning.data import Flight, FlightKind, Household, Policy
from evac.planning.reach import candidate_flights
from evac.planning.tiers import ALL_TIERS


def exact_seated_by_tier(
    households: Sequence[Household],
    flights: Sequence[Flight],
    policy: Policy,
    tiers: Mapping[int, int],
    by_tier: bool = True,
    time_limit_s: float = 10.0,
) -> tuple[int, ...]:
    """People seated in each tier (1 to 4) by a lexicographically best plan.

    ``tiers`` maps registration ids to tiers, as :func:`plan` reports them.
    With ``by_tier=False`` the plan instead seats the most people whatever
    their tier: the most that the flights can carry at all.
    """
    from ortools.sat.python import cp_model

    live = sorted((f for f in flights if not f.cancelled), key=lambda f: f.flight_id)
    pool, seats_free, stretchers_free, fixed_people = _place_fixed(households, live, tiers)
    candidates = candidate_flights(pool, live, policy.max_airport_distance_km)
    model = cp_model.CpModel()
    seats_use: list[list] = [[] for _ in live]
    stretchers_use: list[list] = [[] for _ in live]
    seated: dict[int, list] = {tier: [] for tier in ALL_TIERS}
    for household, options in zip(pool, candidates, strict=True):
        size = len(household.members)
        stretchers = sum(m.needs_stretcher for m in household.members)
        if not size or not options:
            continue
        choices = [model.new_bool_var(f"x{household.registration_id}_{f}") for f in options]
        model.add_at_most_one(choices)
        for flight, choice in zip(options, choices, strict=True):
            seats_use[flight].append((size - stretchers) * choice)
            stretchers_use[flight].append(stretchers * choice)
            seated[tiers[household.registration_id]].append(size * choice)
    for flight in range(len(live)):
        model.add(sum(seats_use[flight]) <= max(seats_free[flight], 0))
        model.add(sum(stretchers_use[flight]) <= max(stretchers_free[flight], 0))
    # One tier's worth of people always outweighs every tier below it.
    scale = sum(len(h.members) for h in pool) + 1
    model.maximize(
        sum(
            (scale ** (len(ALL_TIERS) - tier) if by_tier else 1) * sum(seated[tier])
            for tier in ALL_TIERS
        )
    )
    solver = _solve(model, time_limit_s)
    return tuple(fixed_people[t] + int(solver.value(sum(seated[t]))) for t in ALL_TIERS)


def _solve(model: object, time_limit_s: float) -> object:
    """Solve to a proven optimum, on one worker so that runs are reproducible."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:
        raise RuntimeError(f"CP-SAT found no proven optimum ({solver.status_name(status)})")
    return solver


def _place_fixed(
    households: Sequence[Household], live: list[Flight], tiers: Mapping[int, int]
) -> tuple[list[Household], list[int], list[int], dict[int, int]]:
    """Households still to plan, room left on each flight, and fixed people per tier."""
    index = {f.flight_id: i for i, f in enumerate(live)}
    seats_free = [f.seats for f in live]
    stretchers_free = [f.stretchers for f in live]
    fixed_people = dict.fromkeys(ALL_TIERS, 0)
    pool = []
    for household in sorted(households, key=lambda h: h.registration_id):
        flight = None if household.fixed_flight_id is None else index.get(household.fixed_flight_id)
        if flight is None:
            pool.append(household)
            continue
        on_ambulance = live[flight].kind == FlightKind.ambulance
        stretchers = sum(m.needs_stretcher for m in household.members) if on_ambulance else 0
        seats_free[flight] -= len(household.members) - stretchers
        stretchers_free[flight] -= stretchers
        fixed_people[tiers[household.registration_id]] += len(household.members)
    return pool, seats_free, stretchers_free, fixed_people
