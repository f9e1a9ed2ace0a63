"""Demo evacuation flights and ambulance planes from the busiest covered countries.

Flights are shared out over countries in proportion to where people are (the
same weights as the households), from real airports, on real aircraft seat
counts, and deliberately too few: the planner must leave people behind and say
how many more planes it needs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import airportsdata

from evac.demo.operations import CLOSED_AIRSPACE
from evac.demo.places import cities_by_country, country_weight
from evac.geo.distance import great_circle_km

if TYPE_CHECKING:
    from collections.abc import Sequence

    from evac.demo.generator import DemoMission

REGULAR_FLIGHTS = 40
AMBULANCE_FLIGHTS = 5
FIRST_REGULAR_NUMBER = 6001
FIRST_AMBULANCE_NUMBER = 6901
DESTINATIONS = (("IST", 0.7), ("SAW", 0.2), ("ESB", 0.1))
NARROW_BODY_SEATS = (151, 165, 180, 189)
WIDE_BODY_SEATS = (289, 300, 349)
WIDE_BODY_FROM_KM = 3500.0
AMBULANCE_SEATS = 4
AMBULANCE_STRETCHERS = 2
# Seats per person registered: below one, so that the planner runs short.
SEAT_SHARE_OF_PEOPLE = 0.6

# Main airports by country, the mission's own city first where it has one.
MAJOR_AIRPORTS: dict[str, tuple[str, ...]] = {
    "DE": ("BER", "FRA", "MUC", "DUS", "CGN", "STR", "HAM"),
    "SA": ("RUH", "JED", "DMM"), "GB": ("LHR", "LGW", "MAN"),
    "US": ("IAD", "JFK", "ORD", "LAX", "MIA", "IAH"), "NL": ("AMS",),
    "FR": ("CDG", "LYS", "MRS", "NCE"), "AE": ("AUH", "DXB"), "BE": ("BRU",),
    "AT": ("VIE",), "CH": ("ZRH", "GVA"), "QA": ("DOH",), "IQ": ("BGW", "EBL", "BSR"),
    "AZ": ("GYD",), "RU": ("SVO", "LED", "KZN"), "UA": ("KBP", "ODS"), "GE": ("TBS", "BUS"),
    "KZ": ("NQZ", "ALA"), "EG": ("CAI", "HRG"), "IT": ("FCO", "MXP"), "ES": ("MAD", "BCN"),
    "SE": ("ARN",), "DK": ("CPH",), "NO": ("OSL",), "AU": ("SYD", "MEL"),
    "CA": ("YOW", "YYZ", "YUL"), "KW": ("KWI",), "JP": ("NRT", "HND"), "CN": ("PEK", "PVG"),
    "KR": ("ICN",), "IN": ("DEL", "BOM"), "PK": ("ISB", "KHI"), "TH": ("BKK",),
    "MY": ("KUL",), "ID": ("CGK",), "BR": ("GRU",), "IR": ("IKA",), "PL": ("WAW",),
    "GR": ("ATH",), "BG": ("SOF",), "RO": ("OTP",), "LY": ("MJI",), "DZ": ("ALG",),
    "MA": ("CMN", "RAK"), "TN": ("TUN",), "TM": ("ASB",), "UZ": ("TAS",), "JO": ("AMM",),
    "LB": ("BEY",), "OM": ("MCT",), "BH": ("BAH",), "IL": ("TLV",), "ZA": ("JNB", "CPT"),
    "NG": ("ABV", "LOS"), "KE": ("NBO",), "SD": ("KRT",), "ET": ("ADD",), "SO": ("MGQ",),
    "HU": ("BUD",), "CZ": ("PRG",), "BA": ("SJJ",), "MK": ("SKP",), "AL": ("TIA",),
    "RS": ("BEG",), "MX": ("MEX",), "AR": ("EZE",), "SG": ("SIN",), "HK": ("HKG",),
    "PH": ("MNL",), "VN": ("HAN", "SGN"), "NZ": ("AKL",),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoFlight:
    flight_number: str
    kind: str
    departure_airport: str
    destination_airport: str
    country: str
    departure_time: datetime
    departure_date: date
    seats: int
    stretchers: int


@cache
def airports() -> dict[str, dict[str, Any]]:
    """airportsdata's airports by IATA code."""
    return airportsdata.load("IATA")


def _fallback_airport(country: str, missions: Sequence[DemoMission]) -> str | None:
    """The international airport nearest the mission's city, or the largest city."""
    candidates = [
        (code, info)
        for code, info in airports().items()
        if info["country"] == country and "International" in info["name"]
    ]
    if not candidates:
        return None
    here = next((m for m in missions if m.country == country), None)
    if here is not None:
        origin = (here.latitude, here.longitude)
    elif country in cities_by_country():
        city = cities_by_country()[country].cities[0]
        origin = (city.latitude, city.longitude)
    else:
        return candidates[0][0]
    return min(
        candidates,
        key=lambda item: float(
            great_circle_km(origin[0], origin[1], item[1]["lat"], item[1]["lon"])
        ),
    )[0]


def departure_airports(country: str, missions: Sequence[DemoMission]) -> tuple[str, ...]:
    """Airports flights from ``country`` leave from, best first."""
    known = tuple(code for code in MAJOR_AIRPORTS.get(country, ()) if code in airports())
    if known:
        return known
    fallback = _fallback_airport(country, missions)
    return (fallback,) if fallback else ()


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Share ``total`` flights over countries by weight (largest remainder)."""
    if total <= 0 or not weights:
        return {}
    whole = sum(weights.values())
    exact = {country: total * weight / whole for country, weight in weights.items()}
    shares = {country: int(value) for country, value in exact.items()}
    by_remainder = sorted(exact, key=lambda c: (shares[c] - exact[c], -weights[c], c))
    for country in by_remainder[: total - sum(shares.values())]:
        shares[country] += 1
    return {country: count for country, count in shares.items() if count}


def _departure(rng: random.Random, today: date, airport: str, days: range) -> datetime:
    """A local departure between 06:00 and 22:55 on one of ``days``, in UTC."""
    local_day = today + timedelta(days=rng.choice(days))
    minutes = 6 * 60 + 5 * rng.randrange((17 * 60) // 5)
    local = datetime.combine(local_day, time(minutes // 60, minutes % 60))
    zone = ZoneInfo(airports()[airport]["tz"])
    return local.replace(tzinfo=zone).astimezone(UTC)


def _seats(rng: random.Random, airport: str, destination: str) -> int:
    origin, target = airports()[airport], airports()[destination]
    distance = float(great_circle_km(origin["lat"], origin["lon"], target["lat"], target["lon"]))
    return rng.choice(WIDE_BODY_SEATS if distance > WIDE_BODY_FROM_KM else NARROW_BODY_SEATS)


def _flight(
    rng: random.Random, number: int, kind: str, country: str, airport: str, today: date
) -> DemoFlight:
    ambulance = kind == "ambulance"
    destination = "IST" if ambulance else _destination(rng)
    departure = _departure(rng, today, airport, range(1, 4) if ambulance else range(1, 11))
    local_date = departure.astimezone(ZoneInfo(airports()[airport]["tz"])).date()
    return DemoFlight(
        flight_number=f"TK{number}",
        kind=kind,
        departure_airport=airport,
        destination_airport=destination,
        country=country,
        departure_time=departure,
        departure_date=local_date,
        seats=AMBULANCE_SEATS if ambulance else _seats(rng, airport, destination),
        stretchers=AMBULANCE_STRETCHERS if ambulance else 0,
    )


def _destination(rng: random.Random) -> str:
    codes, weights = zip(*DESTINATIONS, strict=True)
    return rng.choices(codes, weights=weights)[0]


def generate_demo_flights(
    missions: Sequence[DemoMission],
    today: date,
    seed: int,
    *,
    people: int | None = None,
    regular: int = REGULAR_FLIGHTS,
    ambulance: int = AMBULANCE_FLIGHTS,
) -> list[DemoFlight]:
    """About ``regular`` flights and ``ambulance`` planes from the busiest countries.

    With ``people`` given, fewer regular flights are planned when needed so that
    their seats stay below ``SEAT_SHARE_OF_PEOPLE`` of the people registered.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    covered = [c for m in missions for c in m.covers]
    weights = {
        c: country_weight(c)
        for c in covered
        if c not in CLOSED_AIRSPACE and departure_airports(c, missions)
    }
    if people is not None:
        regular = min(regular, int(people * SEAT_SHARE_OF_PEOPLE / max(WIDE_BODY_SEATS)))
    flights = []
    number = FIRST_REGULAR_NUMBER
    for country, count in _apportion(regular, weights).items():
        codes = departure_airports(country, missions)
        for index in range(count):
            airport = codes[index % len(codes)]
            flights.append(_flight(rng, number, "regular", country, airport, today))
            number += 1
    busiest = sorted(weights, key=lambda c: (-weights[c], c))[:ambulance]
    for offset, country in enumerate(busiest):
        airport = departure_airports(country, missions)[0]
        number = FIRST_AMBULANCE_NUMBER + offset
        flights.append(_flight(rng, number, "ambulance", country, airport, today))
    flights.sort(key=lambda flight: (flight.departure_time, flight.flight_number))
    return flights
