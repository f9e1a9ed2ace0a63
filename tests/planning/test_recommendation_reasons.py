"""Every recommendation of extra planes says why: who waits where, why that
airport, and what one more plane would carry (the planner's pure core)."""

from __future__ import annotations

from dataclasses import replace

from evac.planning.core import Policy, plan
from evac.planning.data import Airport
from evac.planning.recommend import waiting_places
from tests.planning.strategies import household, person

BERLIN = (52.52, 13.40)
AIRPORTS = (
    Airport("BER", "DE", 52.36, 13.50),
    Airport("MUC", "DE", 48.35, 11.78),
)


def _in(city: str, registration_id: int, size: int, where=BERLIN, **needs: object):
    first = registration_id * 100
    people = [person(first + k, **(needs if k == 0 else {})) for k in range(size)]
    return replace(household(registration_id, people, where=where), city=city)


def test_a_recommendation_says_who_waits_where_and_why_that_airport() -> None:
    people = [
        _in("Berlin", 1, 5),
        _in("Berlin", 2, 4),
        _in("Potsdam", 3, 3, where=(52.39, 13.06)),
        _in("Berlin", 4, 2, needs_stretcher=True),
    ]
    policy = Policy(standard_flight_seats=8, ambulance_stretchers=1, ambulance_seats=3)
    (germany,) = plan(people, [], policy, AIRPORTS).recommendations
    why = germany.reason
    assert why is not None
    assert (why.regular_people, why.ambulance_people) == (12, 2)
    assert why.places == (("Berlin", 11), ("Potsdam", 3))
    assert germany.suggested_airport == "BER"
    assert why.airport_people == 14
    assert why.airport_km is not None and 15 < why.airport_km < 35
    # Two regular planes of 8 seats for 5 + 4 + 3: the fullest carries 8 (5 + 3).
    assert germany.extra_regular_flights == 2 and why.next_regular == 8
    assert (why.next_ambulance, why.next_ambulance_stretchers) == (2, 1)


def test_people_with_no_flight_at_all_get_a_reason() -> None:
    (germany,) = plan([_in("Berlin", 1, 1)], [], Policy(), ()).recommendations
    assert germany.reason is not None  # no flight at all: they are left out
    assert germany.reason.places == (("Berlin", 1),)


def test_many_places_are_summed_up_past_the_third() -> None:
    people = [_in(city, i, i) for i, city in enumerate(["A", "B", "C", "D", "E"], start=1)]
    assert waiting_places(people) == (("E", 5), ("D", 4), ("C", 3), ("…", 3))
