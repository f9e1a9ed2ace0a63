"""Offline airport catalogue (airportsdata, keyed by IATA code).

airportsdata lists about 7,900 places with an IATA code: international hubs,
but also air bases, small airfields, seaplane bases and a couple of heliports.
It has no field that says which kind a place is, so every entry is kept;
coordinators pick the airport of a flight themselves and the nearest-airport
lists are only suggestions.

The data never changes while the process runs, so it is loaded once and the
per-country coordinate arrays are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import airportsdata
import numpy as np

from evac.geo.distance import SPHERICAL_ERROR_MARGIN, distance_matrix_km, geodesic_km

_IATA = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str
    """ISO 3166-1 alpha-2, plus ``XK`` for Kosovo."""
    latitude: float
    longitude: float
    tz: str
    """IANA time zone name; empty only for Antarctica."""
    icao: str = ""


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Airport]:
    return {
        code: Airport(
            iata=code,
            name=row["name"],
            city=row["city"],
            country=row["country"],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            tz=row["tz"],
            icao=row["icao"],
        )
        for code, row in sorted(airportsdata.load("IATA").items())
    }


def get_airport(iata: str) -> Airport | None:
    """The airport with this IATA code, in any case; None if unknown or malformed."""
    code = iata.strip().upper()
    if not _IATA.fullmatch(code):
        return None
    return _catalogue().get(code)


def all_airports() -> tuple[Airport, ...]:
    """Every airport, ordered by IATA code."""
    return _by_country(None)[0]


def airports_in_country(country: str) -> tuple[Airport, ...]:
    """The airports of one country (ISO alpha-2, any case), ordered by IATA code."""
    return _by_country(country.strip().upper())[0]


@cache
def _by_country(country: str | None) -> tuple[tuple[Airport, ...], np.ndarray]:
    """Airports and their (lat, lon) array, for one country or for all (None)."""
    airports = tuple(a for a in _catalogue().values() if country is None or a.country == country)
    coords = np.array([(a.latitude, a.longitude) for a in airports], dtype=float).reshape(-1, 2)
    coords.flags.writeable = False
    return airports, coords


def nearest_points(
    latitude: float,
    longitude: float,
    coords: np.ndarray,
    limit: int,
    max_km: float | None = None,
) -> list[tuple[int, float]]:
    """Indices of the ``limit`` rows of ``coords`` nearest to a point, with geodesic km.

    Great-circle distances pick the candidates for the whole array at once.
    The spherical error is at most ``SPHERICAL_ERROR_MARGIN`` of a distance, so
    no row farther than ``d * (1 + m) / (1 - m)`` (``d`` the ``limit``-th
    smallest great-circle distance) can be among the nearest by geodesic: only
    the rows within that bound get an exact geodesic, and the answer is ordered
    by it.
    """
    if limit <= 0 or len(coords) == 0:
        return []
    _check_point(latitude, longitude)
    distances = distance_matrix_km(np.array([(latitude, longitude)]), coords)[0]
    kth = min(limit, len(distances)) - 1
    bound = np.partition(distances, kth)[kth]
    bound *= (1 + SPHERICAL_ERROR_MARGIN) / (1 - SPHERICAL_ERROR_MARGIN)
    if max_km is not None:
        bound = min(bound, max_km / (1 - SPHERICAL_ERROR_MARGIN))
    candidates = np.flatnonzero(distances <= bound)
    exact = [
        (int(i), geodesic_km(latitude, longitude, float(coords[i, 0]), float(coords[i, 1])))
        for i in candidates
    ]
    exact.sort(key=lambda pair: (pair[1], pair[0]))
    if max_km is not None:
        exact = [pair for pair in exact if pair[1] <= max_km]
    return exact[:limit]


def nearest_airports(
    latitude: float,
    longitude: float,
    country: str | None = None,
    limit: int = 3,
    max_km: float | None = None,
) -> list[tuple[Airport, float]]:
    """The airports nearest to a point, nearest first, with their geodesic distance in km.

    ``country`` restricts the search to one country (an evacuation flight
    leaves from the country the people are in); ``max_km`` drops airports
    farther than that.
    """
    airports, coords = _by_country(country.strip().upper() if country else None)
    return [
        (airports[i], km) for i, km in nearest_points(latitude, longitude, coords, limit, max_km)
    ]


def zone_near(latitude: float, longitude: float, country: str) -> str:
    """The IANA time zone of a place without one of its own (a seaport, a border
    crossing): that of the nearest airport in its country, else the nearest anywhere.

    Right except near a zone border inside a country; the coordinator sees the
    zone named beside every local time.
    """
    for scope in (country, None):
        found = nearest_airports(latitude, longitude, scope, limit=1)
        if found and found[0][0].tz:
            return found[0][0].tz
    return "UTC"


def _check_point(latitude: float, longitude: float) -> None:
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise ValueError(f"Not a point on Earth: ({latitude}, {longitude})")
