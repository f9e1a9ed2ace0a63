"""Which flights each household can take, in the order it prefers them.

A household departs only from an airport in its own country of presence,
within ``max_airport_distance_km`` of its position by geodesic distance. It
prefers the nearest airport, then the earliest departure, then the lowest
flight id. A household with a stretcher patient can take only ambulance
flights; any other household only regular ones.

A household without a known position can take any flight in its country: the
planner cannot tell how far it is, and a consular officer can still reach it
by phone. All airports count as equally near, so it simply prefers the
earliest departure.

Distances are computed per country with numpy (``within_km``), never pair by
pair in Python, and households that share a preference order share one list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evac.geo.distance import within_km
from evac.planning.data import Flight, FlightKind, Household

# One numpy block of household-airport pairs at most this many cells.
_BLOCK_CELLS = 2_000_000


def has_position(household: Household) -> bool:
    """Whether the household's position is known (a missing or NaN coordinate is not)."""
    lat, lon = household.latitude, household.longitude
    return lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)


def needs_ambulance(household: Household) -> bool:
    return any(m.needs_stretcher for m in household.members)


@dataclass(slots=True)
class _CountryFlights:
    """The live flights of one country, grouped by departure airport."""

    coords: np.ndarray  # (airports, 2) latitude, longitude
    by_airport: dict[tuple[bool, int], list[int]]  # (ambulance?, airport) -> flights
    by_departure: dict[bool, list[int]]  # ambulance? -> all flights of that kind


def _group_flights(flights: Sequence[Flight]) -> dict[str, _CountryFlights]:
    """Group flight indices by country and airport, each list by departure."""
    order = sorted(
        range(len(flights)), key=lambda i: (flights[i].departure_time, flights[i].flight_id)
    )
    airports: dict[str, dict[tuple[float, float], int]] = defaultdict(dict)
    by_airport: dict[str, dict[tuple[bool, int], list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    by_departure: dict[str, dict[bool, list[int]]] = defaultdict(lambda: {False: [], True: []})
    for i in order:
        flight = flights[i]
        country = flight.country.upper()
        known = airports[country]
        airport = known.setdefault((flight.latitude, flight.longitude), len(known))
        ambulance = flight.kind == FlightKind.ambulance
        by_airport[country][(ambulance, airport)].append(i)
        by_departure[country][ambulance].append(i)
    return {
        country: _CountryFlights(
            coords=np.array(list(known), dtype=float).reshape(-1, 2),
            by_airport=dict(by_airport[country]),
            by_departure=by_departure[country],
        )
        for country, known in airports.items()
    }


def candidate_flights(
    households: Sequence[Household], flights: Sequence[Flight], limit_km: float
) -> list[list[int]]:
    """For each household, the indices of ``flights`` it can take, best first.

    ``flights`` must hold only flights that are not cancelled. The returned
    lists may be shared between households and must not be modified.
    """
    nothing: list[int] = []
    result: list[list[int]] = [nothing] * len(households)
    countries: dict[str, list[int]] = defaultdict(list)
    for i, household in enumerate(households):
        countries[household.country.upper()].append(i)
    grouped = _group_flights(flights)
    for country, members in countries.items():
        country_flights = grouped.get(country)
        if country_flights is None:
            continue
        positioned = []
        for i in members:
            if has_position(households[i]):
                positioned.append(i)
            else:
                result[i] = country_flights.by_departure[needs_ambulance(households[i])]
        step = max(1, _BLOCK_CELLS // len(country_flights.coords))
        for start in range(0, len(positioned), step):
            block = positioned[start : start + step]
            _rank_block(households, flights, block, country_flights, limit_km, result)
    return result


def _rank_block(
    households: Sequence[Household],
    flights: Sequence[Flight],
    block: list[int],
    country_flights: _CountryFlights,
    limit_km: float,
    result: list[list[int]],
) -> None:
    """Fill ``result`` for a block of positioned households of one country."""
    points = np.array([(households[i].latitude, households[i].longitude) for i in block])
    reachable, distances = within_km(points, country_flights.coords, limit_km)
    masked = np.where(reachable, distances, np.inf)
    order = np.argsort(masked, axis=1, kind="stable")
    ranked = np.take_along_axis(masked, order, axis=1)
    finite = np.isfinite(ranked)
    # Two reachable airports at exactly the same distance: merge their flights
    # by departure instead of taking one airport's flights first.
    tied = (ranked[:, 1:] == ranked[:, :-1]) & finite[:, 1:]
    has_tie = tied.any(axis=1)
    ambulance = np.array([needs_ambulance(households[i]) for i in block])
    keys = np.where(finite, order, -1)
    keys = np.concatenate([ambulance[:, None].astype(keys.dtype), keys], axis=1)
    unique_keys, inverse = np.unique(keys, axis=0, return_inverse=True)
    lists = [_concatenate(key, country_flights) for key in unique_keys.tolist()]
    inverse = inverse.reshape(-1).tolist()
    for row, i in enumerate(block):
        if has_tie[row]:
            result[i] = _merge_tied(flights, masked[row], bool(ambulance[row]), country_flights)
        else:
            result[i] = lists[inverse[row]]


def _concatenate(key: list[int], country_flights: _CountryFlights) -> list[int]:
    ambulance = bool(key[0])
    out: list[int] = []
    for airport in key[1:]:
        if airport < 0:
            break
        out.extend(country_flights.by_airport.get((ambulance, airport), ()))
    return out


def _merge_tied(
    flights: Sequence[Flight],
    distances: np.ndarray,
    ambulance: bool,
    country_flights: _CountryFlights,
) -> list[int]:
    """Flights sorted by (airport distance, departure, id) for one household."""
    candidates = []
    for (kind, airport), indices in country_flights.by_airport.items():
        if kind != ambulance or not np.isfinite(distances[airport]):
            continue
        for i in indices:
            flight = flights[i]
            candidates.append((distances[airport], flight.departure_time, flight.flight_id, i))
    candidates.sort()
    return [c[-1] for c in candidates]
