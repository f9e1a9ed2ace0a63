"""Random planning instances for hypothesis, and builders for example tests.

Instances are small on purpose: a few countries with one or two airports,
households scattered around them (some beyond reach, some without a
position), sizes 1-8, rare stretcher patients and special needs, a few
households already confirmed on a flight, and flights that are sometimes
cancelled, too small, or of the wrong kind.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from evac.planning.core import (
    Airport,
    Flight,
    FlightKind,
    Household,
    MedicalUrgency,
    Member,
    Policy,
    TcnPolicy,
)

BASE = datetime(2020, 3, 23, 8, 0, tzinfo=UTC)
HOME = "TR"
# Airports per country: (IATA, latitude, longitude).
AIRPORTS = {
    "DE": (("BER", 52.36, 13.50), ("FRA", 50.03, 8.56)),
    "EG": (("CAI", 30.12, 31.41),),
    "IT": (("FCO", 41.80, 12.24), ("MXP", 45.63, 8.72)),
    "GB": (("LHR", 51.47, -0.45),),
}
# A country where people register but no flight ever goes.
NO_FLIGHTS = "NZ"
ALL_AIRPORTS = (
    *(
        Airport(iata, country, lat, lon)
        for country, airports in AIRPORTS.items()
        for iata, lat, lon in airports
    ),
    Airport("AKL", NO_FLIGHTS, -37.01, 174.79),
)
ABSENT_FLIGHT_ID = 9999


def flag(chance_one_in: int) -> st.SearchStrategy[bool]:
    return st.integers(0, chance_one_in - 1).map(lambda x: x == 0)


def _birth_dates(kind: str) -> st.SearchStrategy[date | None]:
    if kind == "none":
        return st.none()
    if kind == "adult":
        return st.dates(date(1960, 1, 1), date(2015, 12, 31))
    return st.dates(date(1930, 1, 1), date(2020, 3, 1))


@st.composite
def members(draw: st.DrawFn, person_id: int, stretcher_ok: bool = True) -> Member:
    return Member(
        person_id=person_id,
        date_of_birth=draw(
            st.sampled_from(("none", "adult", "adult", "adult", "any")).flatmap(_birth_dates)
        ),
        nationality=draw(st.sampled_from((HOME, HOME, "SY", "DE"))),
        needs_stretcher=draw(flag(30)) if stretcher_ok else False,
        needs_wheelchair=draw(flag(40)),
        needs_oxygen=draw(flag(60)),
        medical_urgency=draw(
            st.sampled_from(
                [MedicalUrgency.none] * 40
                + [MedicalUrgency.stable, MedicalUrgency.urgent, MedicalUrgency.critical]
            )
        ),
        pregnant=draw(flag(60)),
    )


@st.composite
def flights(draw: st.DrawFn, countries: list[str], count: int) -> list[Flight]:
    out = []
    for flight_id in range(1, count + 1):
        country = draw(st.sampled_from(countries))
        iata, lat, lon = draw(st.sampled_from(AIRPORTS[country]))
        ambulance = draw(flag(4))
        out.append(
            Flight(
                flight_id=flight_id,
                flight_number=f"TK{flight_id:04d}",
                kind=FlightKind.ambulance if ambulance else FlightKind.regular,
                departure_airport=iata,
                country=country,
                latitude=lat,
                longitude=lon,
                departure_time=BASE + timedelta(hours=draw(st.integers(0, 96))),
                seats=draw(st.integers(0, 6) if ambulance else st.integers(0, 14)),
                stretchers=draw(st.integers(0, 3) if ambulance else st.integers(0, 1)),
                cancelled=draw(flag(8)),
            )
        )
    return out


@st.composite
def households(
    draw: st.DrawFn,
    countries: list[str],
    count: int,
    max_size: int = 8,
    same_place: bool = False,
) -> list[Household]:
    out = []
    person_id = 1
    for registration_id in range(1, count + 1):
        nowhere = not same_place and draw(flag(12))
        country = NO_FLIGHTS if nowhere else draw(st.sampled_from(countries))
        _, lat, lon = AIRPORTS.get(country, (("AKL", -37.0, 174.8),))[0]
        if same_place:
            position = (lat + 0.5, lon + 0.5)
        elif draw(flag(6)):
            position = (None, None)
        else:
            spread = 12.0 if draw(flag(5)) else 4.0
            d_lat = draw(st.floats(-spread, spread, allow_nan=False))
            d_lon = draw(st.floats(-spread, spread, allow_nan=False))
            position = (max(-89.0, min(89.0, lat + d_lat)), lon + d_lon)
        size = draw(st.integers(1, max_size))
        people = tuple(members(person_id + k) for k in range(size))
        out.append(
            Household(
                registration_id=registration_id,
                reference=f"{draw(st.sampled_from('ABC'))}{registration_id:04d}",
                country=country,
                latitude=position[0],
                longitude=position[1],
                registered_at=BASE - timedelta(days=draw(st.integers(0, 4))),
                members=tuple(draw(m) for m in people),
            )
        )
        person_id += size
    return out


def _fix(household: Household, flight_id: int) -> Household:
    values = {name: getattr(household, name) for name in Household.__slots__}
    return Household(**(values | {"fixed_flight_id": flight_id}))


def fix_some(
    people: list[Household], trips: list[Flight], choices: list[int | None]
) -> list[Household]:
    """Confirm households on flights where they fit, as staff would have done.

    A choice past the last flight points at a flight that is not in the input.
    """
    room = {f.flight_id: [f.seats, f.stretchers] for f in trips}
    out = []
    for household, choice in zip(people, choices, strict=True):
        if choice is None:
            out.append(household)
            continue
        if choice >= len(trips):
            out.append(_fix(household, ABSENT_FLIGHT_ID))
            continue
        flight = trips[choice]
        stretchers = sum(m.needs_stretcher for m in household.members)
        if (flight.kind == FlightKind.ambulance) != (stretchers > 0):
            out.append(household)
            continue
        left = room[flight.flight_id]
        seats = len(household.members) - stretchers
        if flight.cancelled or (left[0] >= seats and left[1] >= stretchers):
            left[0] -= 0 if flight.cancelled else seats
            left[1] -= 0 if flight.cancelled else stretchers
            out.append(_fix(household, flight.flight_id))
        else:
            out.append(household)
    return out


@st.composite
def instances(
    draw: st.DrawFn,
    max_households: int = 14,
    max_flights: int = 8,
    max_size: int = 8,
    same_place: bool = False,
    with_fixed: bool = True,
) -> tuple[list[Household], list[Flight], Policy]:
    """(households, flights, policy) for one random crisis."""
    countries = draw(
        st.lists(st.sampled_from(sorted(AIRPORTS)), min_size=1, max_size=2, unique=True)
    )
    trips = draw(flights(countries, draw(st.integers(1, max_flights))))
    people = draw(households(countries, draw(st.integers(1, max_households)), max_size, same_place))
    choices = [
        draw(st.none() | st.integers(0, len(trips))) if with_fixed and draw(flag(5)) else None
        for _ in people
    ]
    policy = Policy(
        home_country=HOME,
        tcn_policy=draw(st.sampled_from(list(TcnPolicy))),
        standard_flight_seats=draw(st.sampled_from((6, 10, 180))),
        ambulance_stretchers=draw(st.integers(1, 2)),
        ambulance_seats=draw(st.integers(0, 4)),
    )
    return fix_some(people, trips, choices), trips, policy


# Builders for example tests: a household near Berlin, a flight from Berlin.


def person(person_id: int, nationality: str = "TR", **needs: object) -> Member:
    return Member(person_id, date(1990, 1, 1), nationality, **needs)


def household(
    registration_id: int,
    people: list[Member],
    *,
    country: str = "DE",
    where: tuple[float | None, float | None] = (52.5, 13.4),
    days_ago: int = 0,
    fixed: int | None = None,
) -> Household:
    return Household(
        registration_id=registration_id,
        reference=f"EV{registration_id:04d}",
        country=country,
        latitude=where[0],
        longitude=where[1],
        registered_at=BASE - timedelta(days=days_ago),
        members=tuple(people),
        fixed_flight_id=fixed,
    )


def flight(
    flight_id: int,
    *,
    seats: int = 10,
    stretchers: int = 0,
    kind: FlightKind = FlightKind.regular,
    airport: tuple[str, str, float, float] = ("BER", "DE", 52.36, 13.50),
    hours: int = 24,
    cancelled: bool = False,
) -> Flight:
    iata, country, lat, lon = airport
    return Flight(
        flight_id=flight_id,
        flight_number=f"TK{flight_id}",
        kind=kind,
        departure_airport=iata,
        country=country,
        latitude=lat,
        longitude=lon,
        departure_time=BASE + timedelta(hours=hours),
        seats=seats,
        stretchers=stretchers,
        cancelled=cancelled,
    )


FRA = ("FRA", "DE", 50.03, 8.56)
