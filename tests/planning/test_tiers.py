"""Priority tiers, as the planner and the staff case list use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from evac.planning.core import (
    Household,
    MedicalUrgency,
    Member,
    Policy,
    TcnPolicy,
    plan,
    priority_tier,
)
from evac.planning.tiers import age_on, is_vulnerable
from tests.planning.strategies import BASE, flight, household

FLIGHT_DAY = date(2020, 4, 1)


def family(*members: Member) -> Household:
    return Household(1, "EV0001", "DE", 52.5, 13.4, BASE, tuple(members))


def adult(person_id: int = 1, nationality: str = "TR", **needs: object) -> Member:
    return Member(person_id, date(1980, 6, 15), nationality, **needs)


@pytest.mark.parametrize("urgency", [MedicalUrgency.urgent, MedicalUrgency.critical])
def test_urgent_or_critical_patient_puts_the_household_first(urgency: MedicalUrgency) -> None:
    sick = family(adult(1, "SY", medical_urgency=urgency), adult(2, "SY"))
    assert priority_tier(sick, FLIGHT_DAY, Policy()) == 1


@pytest.mark.parametrize(
    "needs",
    [
        {"pregnant": True},
        {"needs_wheelchair": True},
        {"needs_oxygen": True},
        {"medical_urgency": MedicalUrgency.stable},
    ],
)
def test_special_needs_put_the_household_in_tier_two(needs: dict) -> None:
    assert priority_tier(family(adult(1, "SY", **needs)), FLIGHT_DAY, Policy()) == 2


def test_a_stretcher_alone_does_not_change_the_tier() -> None:
    assert priority_tier(family(adult(needs_stretcher=True)), FLIGHT_DAY, Policy()) == 3


def test_someone_turning_65_on_the_day_of_the_flight_counts_as_elderly() -> None:
    turning = Member(1, date(1955, 4, 1), "TR")
    assert priority_tier(family(turning), FLIGHT_DAY, Policy()) == 2
    assert priority_tier(family(turning), FLIGHT_DAY - timedelta(days=1), Policy()) == 3


def test_a_baby_counts_until_the_second_birthday() -> None:
    baby = Member(1, date(2018, 4, 2), "TR")
    assert priority_tier(family(baby), FLIGHT_DAY, Policy()) == 2
    assert priority_tier(family(baby), date(2020, 4, 2), Policy()) == 3


def test_someone_born_on_29_february_ages_on_1_march_in_common_years() -> None:
    leapling = date(1956, 2, 29)
    assert age_on(leapling, date(2021, 2, 28)) == 64
    assert age_on(leapling, date(2021, 3, 1)) == 65
    assert age_on(leapling, date(2020, 2, 29)) == 64


def test_unknown_birth_date_does_not_raise_the_tier() -> None:
    assert priority_tier(family(Member(1, None, "TR")), FLIGHT_DAY, Policy()) == 3


def test_households_without_a_citizen_come_last_unless_policy_is_equal() -> None:
    foreigners = family(adult(1, "SY"), adult(2, "DE"))
    assert priority_tier(foreigners, FLIGHT_DAY, Policy()) == 4
    assert priority_tier(foreigners, FLIGHT_DAY, Policy(tcn_policy=TcnPolicy.equal)) == 3
    mixed = family(adult(1, "SY"), adult(2, "tr"))
    assert priority_tier(mixed, FLIGHT_DAY, Policy()) == 3


def test_home_country_comes_from_the_policy() -> None:
    assert priority_tier(family(adult(1, "FR")), FLIGHT_DAY, Policy(home_country="FR")) == 3


def test_age_is_judged_on_the_day_of_the_earliest_flight_in_reach() -> None:
    # Turns 65 on 24 March: the flight of the 23rd is too early, the 25th is not.
    elder = household(1, [Member(1, date(1955, 3, 24), "TR")])
    on_23rd, on_25th = flight(1, hours=0), flight(2, hours=48)
    assert plan([elder], [on_23rd, on_25th], Policy()).tiers == {1: 3}
    assert plan([elder], [on_25th], Policy()).tiers == {1: 2}


def test_age_without_a_flight_in_reach_is_judged_on_the_earliest_flight_anywhere() -> None:
    far = household(1, [Member(1, date(1955, 3, 24), "TR")], country="NZ", where=(-37.0, 175.0))
    assert plan([far], [flight(1, hours=0)], Policy()).tiers == {1: 3}
    assert plan([far], [flight(1, hours=48)], Policy()).tiers == {1: 2}


def test_age_with_no_flight_at_all_is_judged_on_the_latest_registration_day() -> None:
    # Turns 2 on 22 March; registered on the 20th, the latest registration is the 23rd.
    baby = household(1, [Member(1, date(2018, 3, 22), "TR")], days_ago=3)
    neighbour = household(2, [Member(2, date(1980, 1, 1), "TR")])
    assert plan([baby, neighbour], [], Policy()).tiers == {1: 3, 2: 3}
    assert plan([baby], [], Policy()).tiers == {1: 2}


@given(
    st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.dates(date(1900, 1, 1), date(2030, 12, 31))
)
def test_elderly_and_infants_are_recognised_on_any_day(born: date, on: date) -> None:
    assume(born <= on)
    age = age_on(born, on)
    assert is_vulnerable(Member(1, born, "TR"), on) == (age >= 65 or age < 2)
