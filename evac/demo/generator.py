"""A deterministic generator of demo missions, households, people and flights.

Plain data in, plain frozen dataclasses out: no database, no clock, no global
random state. The same ``seed`` gives the same households, person for person.

Households are mostly citizens of the home country living or travelling in one
of the countries the missions cover; about 3 % are third-country nationals
(TCN) and some citizens are married to a foreigner. About 1.5 % of households
hold a medical case and 0.3 % need a stretcher. Registrations come over the
last two weeks, most of them in the first days of the crisis.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple, TypeVar

from evac.demo.flights import DemoFlight, generate_demo_flights
from evac.demo.identifiers import IdentifierFactory, pick_document_type
from evac.demo.names import NameGroup, group_for, groups_by_nationality
from evac.demo.places import (
    ARABIC_SPEAKING,
    FRANCOPHONE,
    cities_by_country,
    country_weight,
    jitter,
)
from evac.paths import SEED_DIR

__all__ = [
    "DemoFlight",
    "DemoHousehold",
    "DemoMission",
    "DemoPerson",
    "generate_demo_flights",
    "generate_households",
    "load_demo_missions",
]

T = TypeVar("T")

TCN_HOUSEHOLD_SHARE = 0.03
MIXED_HOUSEHOLD_SHARE = 0.06  # of citizen households of two or more
MEDICAL_HOUSEHOLD_SHARE = 0.015
STRETCHER_SHARE_OF_MEDICAL = 0.2
EMAIL_SHARE = 0.75
REGISTRATION_DAYS = 14
HOUSEHOLD_SIZES = {1: 32, 2: 26, 3: 17, 4: 14, 5: 6.5, 6: 2.5, 7: 1.2, 8: 0.8}
# Registrations per day, from the first day of the crisis (14 days ago) to yesterday.
DAY_WEIGHTS = (14, 18, 16, 12, 9, 7, 5, 4, 3.5, 3, 2.5, 2, 2, 1.5)
STATUSES = {"registered": 80, "verified": 15.5, "withdrawn": 2.5, "deferred": 2}
URGENCIES = {"stable": 45, "urgent": 35, "critical": 20}
# (youngest, oldest, weight) of the person who registers the household.
SINGLE_AGES = ((18, 25, 30), (26, 45, 40), (46, 64, 15), (65, 90, 15))
HEAD_AGES = ((22, 34, 35), (35, 49, 35), (50, 64, 20), (65, 85, 10))
TCN_NATIONALITIES = {
    "SY": 20, "IQ": 12, "AZ": 12, "GE": 8, "IR": 6, "EG": 5, "MA": 4, "UA": 4, "DE": 4,
    "DZ": 3, "TN": 3, "GB": 3, "RU": 3, "JO": 2, "LB": 2, "FR": 2, "US": 2, "AF": 2,
    "PS": 1, "YE": 1, "SD": 1, "LY": 1, "AT": 1, "BE": 1, "ES": 1, "BR": 1, "CN": 1, "JP": 1,
}  # fmt: skip
LANGUAGE_OF_GROUP = {"tr": "tr", "fr": "fr", "ar": "ar"}


@dataclass(frozen=True, slots=True)
class DemoMission:
    code: str
    name: str
    kind: str
    country: str
    city: str
    latitude: float
    longitude: float
    covers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoPerson:
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    nationality: str
    document_type: str
    document_number: str
    document_country: str
    document_expiry: date
    needs_stretcher: bool = False
    needs_wheelchair: bool = False
    needs_oxygen: bool = False
    medical_urgency: str = "none"
    pregnant: bool = False


@dataclass(frozen=True, slots=True)
class DemoHousehold:
    household_ref: str
    phone: str
    email: str | None
    language: str
    country: str
    city: str
    latitude: float
    longitude: float
    registered_at: datetime
    members: tuple[DemoPerson, ...]
    status: str


class _Member(NamedTuple):
    role: str  # head, partner, child or elder
    sex: str
    age: int
    nationality: str


def load_demo_missions(path: Path | str | None = None) -> list[DemoMission]:
    """The missions of ``path`` (``seed/missions.csv`` by default), in file order."""
    source = Path(path) if path else SEED_DIR / "missions.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        return [
            DemoMission(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                country=row["country"],
                city=row["city"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                covers=tuple(row["covers"].split()),
            )
            for row in csv.DictReader(handle)
        ]


def generate_households(
    missions: Sequence[DemoMission],
    people: int,
    seed: int,
    today: date,
    home_country: str = "TR",
) -> Iterator[DemoHousehold]:
    """Households holding exactly ``people`` persons, in the countries ``missions`` cover."""
    if people < 0:
        raise ValueError("people must not be negative")
    builder = _HouseholdBuilder(missions, random.Random(seed), today, home_country)  # noqa: S311
    remaining, index = people, 0
    while remaining > 0:
        size = min(builder.household_size(), remaining)
        index += 1
        yield builder.household(index, size)
        remaining -= size


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(accumulate(weights))


def _pick(rng: random.Random, keys: Sequence[T], cumulative: Sequence[float]) -> T:
    return keys[bisect(cumulative, rng.random() * cumulative[-1])]


def _age(rng: random.Random, bands: Sequence[tuple[int, int, float]]) -> int:
    youngest, oldest, _ = rng.choices(bands, weights=[band[2] for band in bands])[0]
    return rng.randint(youngest, oldest)


def _composition(rng: random.Random, size: int, partnered: bool) -> list[tuple[str, int]]:
    """Roles and ages: a registrant, maybe a partner, children, maybe a grandparent."""
    if size == 1:
        return [("head", _age(rng, SINGLE_AGES))]
    head_age = _age(rng, HEAD_AGES)
    roles = [("head", head_age)]
    if partnered or rng.random() < 0.9:
        roles.append(("partner", min(max(head_age + rng.randint(-6, 3), 18), 95)))
    if size >= 4 and rng.random() < 0.15:
        roles.append(("elder", min(head_age + rng.randint(22, 32), 99)))
    oldest_child = max(0, min(head_age - 19, 30))
    while len(roles) < size:
        roles.append(("child", 0 if rng.random() < 0.1 else rng.randint(0, oldest_child)))
    return roles[:size]


class _HouseholdBuilder:
    """Everything one generated set shares: the random source, places, used numbers."""

    def __init__(
        self, missions: Sequence[DemoMission], rng: random.Random, today: date, home: str
    ) -> None:
        cities = cities_by_country()
        covered = dict.fromkeys(c for m in missions for c in m.covers if c != home)
        self.countries = [c for c in covered if c in cities]
        if not self.countries:
            raise ValueError("the missions cover no country with known cities")
        self.country_cumulative = _cumulative([country_weight(c) for c in self.countries])
        self.cities = cities
        self.rng = rng
        self.today = today
        self.home = home
        self.home_language = LANGUAGE_OF_GROUP.get(group_for(home).code, "en")
        self.ids = IdentifierFactory(rng, today)
        self.start = datetime.combine(today - timedelta(days=REGISTRATION_DAYS), time(), UTC)
        self.sizes = list(HOUSEHOLD_SIZES)
        self.size_cumulative = _cumulative(list(HOUSEHOLD_SIZES.values()))
        self.day_cumulative = _cumulative(DAY_WEIGHTS)
        self.statuses = list(STATUSES)
        self.status_cumulative = _cumulative(list(STATUSES.values()))
        self.tcn = [n for n in TCN_NATIONALITIES if n != home]
        self.tcn_cumulative = _cumulative([TCN_NATIONALITIES[n] for n in self.tcn])

    def household_size(self) -> int:
        return _pick(self.rng, self.sizes, self.size_cumulative)

    def household(self, index: int, size: int) -> DemoHousehold:
        rng = self.rng
        country = _pick(rng, self.countries, self.country_cumulative)
        members = self._members(country, size)
        people = self._with_medical_case(self._people(members, country))
        city = self.cities[country].pick(rng)
        latitude, longitude = jitter(rng, city)
        head = people[0]
        has_email = rng.random() < EMAIL_SHARE
        email = self.ids.email(head.given_name, head.family_name) if has_email else None
        return DemoHousehold(
            household_ref=f"DEMO-{index:07d}",
            phone=self.ids.phone(country),
            email=email,
            language=self._language(members, country),
            country=country,
            city=city.name,
            latitude=latitude,
            longitude=longitude,
            registered_at=self._registered_at(),
            members=tuple(people),
            status=_pick(rng, self.statuses, self.status_cumulative),
        )

    def _foreign_nationality(self, country: str) -> str:
        """A TCN nationality other than the country of presence and the home country."""
        while True:
            nationality = _pick(self.rng, self.tcn, self.tcn_cumulative)
            if nationality != country:
                return nationality

    def _members(self, country: str, size: int) -> list[_Member]:
        rng = self.rng
        roll = rng.random()
        tcn = roll < TCN_HOUSEHOLD_SHARE
        mixed = not tcn and size >= 2 and roll < TCN_HOUSEHOLD_SHARE + MIXED_HOUSEHOLD_SHARE
        head_nationality = self._foreign_nationality(country) if tcn else self.home
        spouse_nationality = head_nationality
        if mixed:
            local = country in groups_by_nationality() and rng.random() < 0.6
            spouse_nationality = country if local else self._foreign_nationality(country)
        roles = _composition(rng, size, partnered=mixed)
        head_sex = "M" if rng.random() < (0.55 if size == 1 else 0.6) else "F"
        members = []
        for role, age in roles:
            if role == "head":
                sex = head_sex
            elif role == "partner":
                sex = "F" if head_sex == "M" else "M"
            else:
                sex = "F" if rng.random() < (0.6 if role == "elder" else 0.49) else "M"
            if age >= 18 and rng.random() < 0.0005:
                sex = "X"
            nationality = spouse_nationality if role == "partner" else head_nationality
            members.append(_Member(role, sex, age, nationality))
        return members

    def _people(self, members: list[_Member], country: str) -> list[DemoPerson]:
        """Name the members: children carry the father's family name (else the head's)."""
        rng = self.rng
        adults = [m for m in members if m.role in ("head", "partner")]
        father = next((m for m in adults if m.sex == "M"), members[0])
        family_group = group_for(father.nationality)
        family_index = family_group.family_index(rng)
        people = []
        for member in members:
            group = group_for(member.nationality)
            if member is father or member.role == "child" or self._shares_name(member, group):
                family = family_group.family_name(family_index, member.sex)
            else:
                family = group.family_name(group.family_index(rng), member.sex)
            given = group.given_name(rng, member.sex)
            people.append(self._person(member, given, family, country))
        return people

    def _shares_name(self, member: _Member, group: NameGroup) -> bool:
        """Whether a partner or grandparent carries the household's family name."""
        if member.role in ("head", "partner"):
            return self.rng.random() < group.spouse_takes_family_name
        return member.role == "elder" and self.rng.random() < 0.5

    def _person(self, member: _Member, given: str, family: str, country: str) -> DemoPerson:
        rng = self.rng
        days = int(member.age * 365.2425 + rng.random() * 364) + 1
        document_type = pick_document_type(rng, member.nationality, country)
        fertile = member.sex == "F" and 18 <= member.age <= 45 and member.role != "child"
        return DemoPerson(
            given_name=given,
            family_name=family,
            date_of_birth=self.today - timedelta(days=days),
            sex=member.sex,
            nationality=member.nationality,
            document_type=document_type,
            document_number=self.ids.document_number(member.nationality, document_type),
            document_country=member.nationality,
            document_expiry=self.ids.document_expiry(),
            needs_wheelchair=member.age >= 75 and rng.random() < 0.06,
            pregnant=fertile and rng.random() < 0.04,
        )

    def _with_medical_case(self, people: list[DemoPerson]) -> list[DemoPerson]:
        """In a few households one member, often the eldest, is a medical case."""
        rng = self.rng
        if rng.random() >= MEDICAL_HOUSEHOLD_SHARE:
            return people
        eldest = min(range(len(people)), key=lambda i: people[i].date_of_birth)
        index = eldest if rng.random() < 0.6 else rng.randrange(len(people))
        stretcher = rng.random() < STRETCHER_SHARE_OF_MEDICAL
        urgencies = ["urgent", "critical"] if stretcher else list(URGENCIES)
        urgency = rng.choices(urgencies, weights=[URGENCIES[u] for u in urgencies])[0]
        people[index] = replace(
            people[index],
            medical_urgency=urgency,
            needs_stretcher=stretcher,
            needs_oxygen=rng.random() < 0.25,
            needs_wheelchair=people[index].needs_wheelchair or rng.random() < 0.2,
        )
        return people

    def _language(self, members: list[_Member], country: str) -> str:
        """The language the household reads: ``tr``, ``en``, ``fr`` or ``ar``."""
        rng = self.rng
        citizens = any(m.nationality == self.home for m in members)
        foreign = next((m.nationality for m in members if m.nationality != self.home), None)
        if citizens and (foreign is None or rng.random() < 0.7):
            roll = rng.random()
            if roll < 0.88:
                return self.home_language
            if roll < 0.91 and country in FRANCOPHONE:
                return "fr"
            if roll < 0.93 and country in ARABIC_SPEAKING:
                return "ar"
            return "en"
        code = group_for(foreign or self.home).code
        if code == "ar" and foreign in FRANCOPHONE:
            return "fr" if rng.random() < 0.35 else "ar"
        return LANGUAGE_OF_GROUP.get(code, "en")

    def _registered_at(self) -> datetime:
        day = bisect(self.day_cumulative, self.rng.random() * self.day_cumulative[-1])
        return self.start + timedelta(days=day, seconds=self.rng.randrange(86400))
