"""On direct flights home, the journey planner seats at least as many people as the flight planner.

Each flight of a random crisis (``tests.planning.strategies``) becomes a leg
from its airport to Istanbul, arriving 2 to 6 hours later, so that the
earliest arrival is not always the earliest departure; each airport a place
whose reach is the flight planner's ``max_airport_distance_km``. A regular
flight's stretchers become none: the flight planner never puts a stretcher
patient on a regular flight.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from evac.planning.core import plan
from evac.planning.data import Flight, FlightKind, Household, Policy
from evac.planning.journey_data import JourneyPolicy, Leg, LegMode, Place, PlaceKind, Preference
from evac.planning.journeys import plan_journeys
from tests.planning.strategies import AIRPORTS, HOME, instances

ISTANBUL = Place("IST", PlaceKind.airport, HOME, 41.26, 28.74, 100.0)


def as_journeys(
    people: list[Household], flights: list[Flight], policy: Policy, hours: list[int]
) -> tuple[list[Household], list[Place], list[Leg], JourneyPolicy]:
    places = [
        Place(iata, PlaceKind.airport, country, lat, lon, policy.max_airport_distance_km)
        for country, airports in AIRPORTS.items()
        for iata, lat, lon in airports
    ]
    legs = [
        Leg(
            leg_id=f.flight_id,
            number=f.flight_number,
            mode=LegMode.ambulance_flight if f.kind == FlightKind.ambulance else LegMode.flight,
            origin=f.departure_airport,
            destination=ISTANBUL.code,
            departure_time=f.departure_time,
            arrival_time=f.departure_time + timedelta(hours=hours[k % len(hours)]),
            seats=f.seats,
            stretchers=f.stretchers if f.kind == FlightKind.ambulance else 0,
            cancelled=f.cancelled,
        )
        for k, f in enumerate(flights)
    ]
    households = [
        Household(
            **{n: getattr(h, n) for n in Household.__slots__}
            | {"fixed_leg_ids": () if h.fixed_flight_id is None else (h.fixed_flight_id,)}
        )
        for h in people
    ]
    journey_policy = JourneyPolicy(home_country=policy.home_country, tcn_policy=policy.tcn_policy)
    return households, [*places, ISTANBUL], legs, journey_policy


def seated(result: object) -> dict[int, int]:
    """Flight (leg) of each seated household."""
    out: dict[int, set[int]] = defaultdict(set)
    for row in result.assignments:
        out[row.registration_id].add(row.flight_id if hasattr(row, "flight_id") else row.leg_id)
    return {registration: min(ids) for registration, ids in out.items()}


durations = st.lists(st.integers(2, 6), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(instances(), durations)
def test_journeys_seat_at_least_as_many_people_as_flights(instance: tuple, hours: list) -> None:
    people, flights, policy = instance
    flights_only = plan(people, flights, policy)
    journeys = plan_journeys(*as_journeys(people, flights, policy, hours))
    assert len(journeys.assignments) >= len(flights_only.assignments)
    assert journeys.tiers == flights_only.tiers


@settings(max_examples=150, deadline=None)
@given(instances(), durations)
def test_nearest_departure_plan_is_the_flight_planners_plan(instance: tuple, hours: list) -> None:
    people, flights, policy = instance
    flights_only = plan(people, flights, policy)
    nearest = plan_journeys(
        *as_journeys(people, flights, policy, hours), Preference.nearest_departure
    )
    assert seated(nearest) == seated(flights_only)
