"""Every plan keeps the rules, on random crises and on the cases people ask about."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evac.planning.core import (
    FlightKind,
    Household,
    MedicalUrgency,
    Policy,
    TcnPolicy,
    UnassignedReason,
    plan,
)
from tests.planning.rules import assert_plan_keeps_rules
from tests.planning.strategies import ALL_AIRPORTS, FRA, flight, household, instances, person


def seated_on(result: object, registration_id: int) -> set[int]:
    return {a.flight_id for a in result.assignments if a.registration_id == registration_id}


def reason_of(result: object, registration_id: int) -> UnassignedReason:
    return next(u.reason for u in result.unassigned if u.registration_id == registration_id)


@settings(max_examples=250, deadline=None)
@given(instances())
def test_every_plan_keeps_every_rule(instance: tuple) -> None:
    people, trips, policy = instance
    assert_plan_keeps_rules(people, trips, policy, plan(people, trips, policy, ALL_AIRPORTS))


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_same_crisis_in_any_order_gives_the_same_plan(instance: tuple, rng: object) -> None:
    people, trips, policy = instance
    shuffled_people = [
        Household(
            **{n: getattr(h, n) for n in Household.__slots__}
            | {"members": tuple(rng.sample(h.members, len(h.members)))}
        )
        for h in rng.sample(people, len(people))
    ]
    shuffled_trips = rng.sample(trips, len(trips))
    airports = rng.sample(ALL_AIRPORTS, len(ALL_AIRPORTS))
    assert plan(shuffled_people, shuffled_trips, policy, airports) == plan(
        people, trips, policy, ALL_AIRPORTS
    )


def test_household_is_never_split_across_flights() -> None:
    first = household(1, [person(k) for k in range(1, 4)], days_ago=2)
    second = household(2, [person(k) for k in range(4, 7)], days_ago=1, where=(50.1, 8.6))
    family = household(3, [person(k) for k in range(7, 12)])
    trips = [flight(1, seats=6), flight(2, seats=6, airport=FRA)]
    result = plan([first, second, family], trips, Policy())
    assert (seated_on(result, 1), seated_on(result, 2)) == ({1}, {2})
    assert seated_on(result, 3) == set()
    assert reason_of(result, 3) == UnassignedReason.no_capacity


def test_stretcher_patient_flies_on_an_ambulance_with_the_family_in_its_seats() -> None:
    family = household(1, [person(1, needs_stretcher=True), person(2), person(3)])
    trips = [
        flight(1, seats=100, stretchers=5),
        flight(2, kind=FlightKind.ambulance, seats=2, stretchers=1, hours=48),
    ]
    result = plan([family], trips, Policy())
    assert seated_on(result, 1) == {2}
    assert {(a.person_id, a.uses_stretcher) for a in result.assignments} == {
        (1, True),
        (2, False),
        (3, False),
    }


def test_ambulance_too_small_even_when_empty_is_reported_as_such() -> None:
    family = household(1, [person(1, needs_stretcher=True), person(2, needs_stretcher=True)])
    trips = [flight(1, kind=FlightKind.ambulance, seats=4, stretchers=1)]
    result = plan([family], trips, Policy())
    assert reason_of(result, 1) == UnassignedReason.household_too_large_for_ambulance


def test_urgent_patient_is_seated_before_people_who_registered_earlier() -> None:
    early = household(1, [person(1), person(2)], days_ago=3)
    urgent = household(2, [person(3, medical_urgency=MedicalUrgency.urgent), person(4)])
    result = plan([early, urgent], [flight(1, seats=2)], Policy())
    assert seated_on(result, 2) == {1}
    assert reason_of(result, 1) == UnassignedReason.no_capacity


def test_third_country_nationals_fill_the_seats_left_by_citizens() -> None:
    foreigners = household(1, [person(1, "SY")], days_ago=3)
    citizens = household(2, [person(2, "TR")])
    trips = [flight(1, seats=1)]
    assert seated_on(plan([foreigners, citizens], trips, Policy()), 2) == {1}
    equal = Policy(tcn_policy=TcnPolicy.equal)
    assert seated_on(plan([foreigners, citizens], trips, equal), 1) == {1}


def test_household_departs_from_the_nearest_airport_even_if_a_farther_one_leaves_earlier() -> None:
    near_berlin = household(1, [person(1)])
    trips = [flight(1, airport=FRA, hours=1), flight(2, hours=72)]
    assert seated_on(plan([near_berlin], trips, Policy()), 1) == {2}


def test_airports_at_the_same_distance_are_ranked_by_departure() -> None:
    north = ("NNN", "DE", 10.0, 0.0)
    south = ("SSS", "DE", -10.0, 0.0)
    midway = household(1, [person(1)], where=(0.0, 0.0))
    trips = [flight(1, airport=north, hours=50), flight(2, airport=south, hours=5)]
    assert seated_on(plan([midway], trips, Policy(max_airport_distance_km=2000)), 1) == {2}


def test_household_without_a_position_takes_the_earliest_flight_of_its_country() -> None:
    unknown = household(1, [person(1)], where=(None, None))
    trips = [
        flight(1, hours=30),
        flight(2, airport=FRA, hours=2),
        flight(3, hours=1, cancelled=True),
    ]
    assert seated_on(plan([unknown], trips, Policy()), 1) == {2}


def test_household_far_from_every_airport_is_told_no_flight_is_in_reach() -> None:
    far = household(1, [person(1)], where=(47.5, 22.0))
    result = plan([far], [flight(1)], Policy(max_airport_distance_km=300))
    assert reason_of(result, 1) == UnassignedReason.no_flight_in_reach


def test_flights_of_another_country_are_never_in_reach() -> None:
    across_border = household(1, [person(1)], country="PL", where=(52.4, 14.5))
    result = plan([across_border], [flight(1)], Policy())
    assert reason_of(result, 1) == UnassignedReason.no_flight_in_reach


def test_confirmed_household_keeps_its_seat_whatever_its_priority() -> None:
    confirmed = household(1, [person(1, "SY")], fixed=1, where=(None, None))
    urgent = household(2, [person(2, medical_urgency=MedicalUrgency.critical)])
    result = plan([confirmed, urgent], [flight(1, seats=1)], Policy())
    assert seated_on(result, 1) == {1}
    assert reason_of(result, 2) == UnassignedReason.no_capacity


def test_household_confirmed_on_a_cancelled_flight_is_planned_again() -> None:
    stranded = household(1, [person(1)], fixed=1)
    trips = [flight(1, cancelled=True), flight(2, hours=40)]
    result = plan([stranded], trips, Policy())
    assert seated_on(result, 1) == {2}
    assert {(load.flight_id, load.seats_used) for load in result.flight_loads} == {(1, 0), (2, 1)}


def test_household_confirmed_on_a_flight_no_longer_in_the_input_is_planned_again() -> None:
    stranded = household(1, [person(1)], fixed=77)
    assert seated_on(plan([stranded], [flight(2)], Policy()), 1) == {2}


def test_registration_with_nobody_in_it_is_reported_not_seated() -> None:
    result = plan([household(1, [])], [flight(1)], Policy())
    assert reason_of(result, 1) == UnassignedReason.no_members


def test_every_country_with_households_gets_a_recommendation() -> None:
    people = [
        household(1, [person(k) for k in range(1, 9)]),
        household(2, [person(9, needs_stretcher=True), person(10)]),
        household(3, [person(11)], country="NZ", where=(-36.9, 174.8)),
    ]
    result = plan(people, [flight(1, seats=2)], Policy(), ALL_AIRPORTS)
    by_country = {r.country: r for r in result.recommendations}
    assert sorted(by_country) == ["DE", "NZ"]
    germany = by_country["DE"]
    assert (germany.assigned_people, germany.unassigned_people) == (0, 10)
    assert (germany.extra_regular_flights, germany.extra_ambulance_flights) == (1, 1)
    assert germany.suggested_airport == "BER"
    assert by_country["NZ"].suggested_airport == "AKL"


def test_nothing_is_recommended_where_everyone_flies() -> None:
    result = plan([household(1, [person(1)])], [flight(1)], Policy(), ALL_AIRPORTS)
    (germany,) = result.recommendations
    assert (germany.extra_regular_flights, germany.suggested_airport) == (0, None)


def test_household_too_big_for_a_standard_plane_counts_as_unplaceable() -> None:
    big = household(1, [person(k) for k in range(1, 8)])
    result = plan([big], [], Policy(standard_flight_seats=6), ALL_AIRPORTS)
    (germany,) = result.recommendations
    assert (germany.extra_regular_flights, germany.unplaceable_people) == (0, 7)
