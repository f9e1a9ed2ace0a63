"""People left behind at a place are offered, for each leg leaving it, the best journey
home that begins with that leg, best first: checked against every journey enumerated
by brute force on random multi-leg crises."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from evac.planning.journey_data import JourneyPolicy, Preference
from evac.planning.onward import Waiting, onward_journeys
from tests.planning.journey_rules import World, fits, key
from tests.planning.journey_strategies import PLACES, journey_instances
from tests.planning.strategies import BASE, HOME


@settings(max_examples=200, deadline=None)
@given(
    journey_instances(max_households=1, max_legs=14),
    st.data(),
    st.tuples(st.integers(1, 4), st.sampled_from((0, 0, 0, 1))),
)
def test_onward_journeys_are_the_best_from_each_leg_leaving_the_place(
    instance: tuple, data: st.DataObject, need: tuple[int, int]
) -> None:
    """They wait where some leg leaves (and a few more later on the same way), from a
    moment around its departure."""
    _, places, legs, policy = instance
    some_leg = data.draw(st.sampled_from(legs))
    later_ones = data.draw(st.lists(st.tuples(st.integers(1, 8), st.integers(0, 6)), max_size=3))
    legs = legs + [  # more legs leaving the same place later, on the same way
        replace(some_leg, leg_id=100 + n, departure_time=some_leg.departure_time + shift,
                arrival_time=some_leg.arrival_time + shift, seats=seats, cancelled=False)
        for n, (hours, seats) in enumerate(later_ones)
        for shift in [timedelta(hours=hours)]
    ]  # fmt: skip
    early = timedelta(hours=data.draw(st.integers(-2, 12)))
    waiting = Waiting(some_leg.origin, some_leg.departure_time - early, *need)
    found = onward_journeys(waiting, places, legs, policy)

    later = [leg for leg in legs if leg.departure_time >= waiting.not_before]
    world = World({p.code: p for p in places}, later, policy)
    best: dict[int, tuple] = {}
    for journey in world.journeys({waiting.place: 0}, lambda g: fits(g, need, Counter())):
        candidate = key(journey, 0, Preference.earliest_arrival)
        first = journey[0].leg_id
        if first not in best or candidate < best[first][0]:
            best[first] = (candidate, journey)
    expected = sorted(
        best.values(),
        key=lambda kept: (kept[0][0], kept[0][1], kept[1][0].departure_time, kept[0][-1]),
    )
    assert found == [candidate[-1] for candidate, _ in expected]
    event(f"offered {min(len(found), 3)}")


def test_nothing_is_offered_from_a_place_nobody_knows() -> None:
    waiting = Waiting("NOWHERE", BASE, 1)
    assert onward_journeys(waiting, list(PLACES), [], JourneyPolicy(home_country=HOME)) == []
