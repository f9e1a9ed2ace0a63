"""The greedy against an exact solver (OR-Tools CP-SAT) on small crises.

The exact plan seats as many tier-1 people as possible, then tier-2, and so
on, with the same reach, kinds, capacities and fixed passengers, but without
the greedy's arrival order and airport preference. The greedy can therefore
never beat it tier by tier; the measured gap is in docs/planner.md
(``python bench/planner_core.py --gap 500``).
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings

from evac.planning.core import Household, PlanResult, UnassignedReason, plan
from evac.planning.exact import exact_seated_by_tier
from tests.planning.strategies import instances


def seated_by_tier(people: list[Household], result: PlanResult) -> tuple[int, ...]:
    seated = {a.registration_id for a in result.assignments}
    counts = Counter(
        result.tiers[h.registration_id]
        for h in people
        for _ in h.members
        if h.registration_id in seated
    )
    return tuple(counts[tier] for tier in (1, 2, 3, 4))


@settings(max_examples=60, deadline=None)
@given(instances(max_households=12, max_flights=4))
def test_planner_never_seats_more_by_priority_than_the_exact_optimum(instance: tuple) -> None:
    people, trips, policy = instance
    result = plan(people, trips, policy)
    greedy = seated_by_tier(people, result)
    best = exact_seated_by_tier(people, trips, policy, result.tiers)
    assert greedy <= best
    urgent_without_seat = any(
        u.tier == 1 and u.reason == UnassignedReason.no_capacity for u in result.unassigned
    )
    if not urgent_without_seat:
        assert greedy[0] == best[0]


@settings(max_examples=40, deadline=None)
@given(instances(max_households=12, max_flights=4, max_size=1, same_place=True))
def test_single_travellers_in_one_place_are_seated_as_well_as_the_optimum(
    instance: tuple,
) -> None:
    people, trips, policy = instance
    result = plan(people, trips, policy)
    assert seated_by_tier(people, result) == exact_seated_by_tier(
        people, trips, policy, result.tiers
    )
