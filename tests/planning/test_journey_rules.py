"""Every journey plan keeps the rules, on random multi-leg crises, in any input order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evac.planning.data import Household
from evac.planning.journey_data import Preference
from evac.planning.journeys import plan_journeys
from tests.planning.journey_rules import assert_journey_plan_keeps_rules
from tests.planning.journey_strategies import journey_instances


@settings(max_examples=200, deadline=None)
@given(journey_instances())
def test_every_journey_plan_keeps_every_rule(instance: tuple) -> None:
    people, places, legs, policy = instance
    result = plan_journeys(people, places, legs, policy)
    assert_journey_plan_keeps_rules(people, places, legs, policy, result)


@settings(max_examples=100, deadline=None)
@given(journey_instances(), st.sampled_from(list(Preference)))
def test_each_preference_alone_keeps_every_rule(instance: tuple, preference: Preference) -> None:
    people, places, legs, policy = instance
    result = plan_journeys(people, places, legs, policy, preference)
    assert result.preference == preference
    assert_journey_plan_keeps_rules(people, places, legs, policy, result)


@settings(max_examples=60, deadline=None)
@given(journey_instances(), st.randoms(use_true_random=False))
def test_same_journey_crisis_in_any_order_gives_the_same_plan(instance: tuple, rng: object) -> None:
    people, places, legs, policy = instance
    shuffled = [
        Household(
            **{n: getattr(h, n) for n in Household.__slots__}
            | {"members": tuple(rng.sample(h.members, len(h.members)))}
        )
        for h in rng.sample(people, len(people))
    ]
    again = plan_journeys(
        shuffled, rng.sample(places, len(places)), rng.sample(legs, len(legs)), policy
    )
    assert again == plan_journeys(people, places, legs, policy)
