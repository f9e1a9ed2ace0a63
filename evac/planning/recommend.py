"""What each country still needs: extra planes and an airport to send them to.

For the households left out in a country, the extra regular flights are a
first-fit-decreasing packing of their sizes into planes of
``standard_flight_seats``; the extra ambulance planes a packing of their
(stretchers, other members) into planes of ``ambulance_stretchers`` and
``ambulance_seats``. A household that would not fit such a plane even empty
counts in ``unplaceable_people`` and in no plane.

The suggested airport is, among the candidate airports of the country, the
one within ``max_airport_distance_km`` of the most left-out people, then with
the smallest sum of distances to them (each person counted), then the first
by IATA code. Households without a position count as near every airport.
Here great-circle distances (computed as angles between unit vectors, one
matrix product per block) suffice: it is a suggestion to a person, not a rule
the plan must keep.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from evac.geo.distance import MEAN_EARTH_RADIUS_KM
from evac.planning.data import (
    Airport,
    CountryRecommendation,
    Household,
    Policy,
    RecommendationReason,
)
from evac.planning.packing import pack_seats, pack_two_dimensions
from evac.planning.reach import has_position

_BLOCK_CELLS = 2_000_000
# Places named in a recommendation's reason; the rest are summed up.
MAX_PLACES = 3


@dataclass(frozen=True, slots=True)
class AirportChoice:
    iata: str
    people_near: int
    mean_km: float | None


def recommend(
    households: Sequence[Household],
    assigned: Collection[int],
    policy: Policy,
    airports: Sequence[Airport],
) -> tuple[CountryRecommendation, ...]:
    """One recommendation per country that has households, sorted by country.

    ``assigned`` holds the registration ids of the households that fly; every
    other household counts as left out.
    """
    by_country: dict[str, list[Household]] = defaultdict(list)
    for household in sorted(households, key=lambda h: h.registration_id):
        by_country[household.country.upper()].append(household)
    airports_by_country: dict[str, list[Airport]] = defaultdict(list)
    for airport in airports:
        airports_by_country[airport.country.upper()].append(airport)
    out = []
    for country in sorted(by_country):
        flying = [h for h in by_country[country] if h.registration_id in assigned]
        left_out = [h for h in by_country[country] if h.registration_id not in assigned]
        out.append(
            _country_recommendation(
                country, flying, left_out, policy, airports_by_country.get(country, [])
            )
        )
    return tuple(out)


def _country_recommendation(
    country: str,
    flying: list[Household],
    left_out: list[Household],
    policy: Policy,
    airports: list[Airport],
) -> CountryRecommendation:
    regular, ambulance, unplaceable = split_for_packing(left_out, policy)
    regular_planes = pack_seats(regular, policy.standard_flight_seats) if regular else []
    ambulance_planes = (
        pack_two_dimensions(ambulance, policy.ambulance_stretchers, policy.ambulance_seats)
        if ambulance
        else []
    )
    left_out_people = sum(len(h.members) for h in left_out)
    choice = choose_airport(left_out, airports, policy) if left_out_people else None
    reason = None
    if left_out_people:
        fullest = max((sum(regular[i] for i in plane) for plane in regular_planes), default=0)
        loads = [
            (sum(sum(ambulance[i]) for i in plane), sum(ambulance[i][0] for i in plane))
            for plane in ambulance_planes
        ]
        next_ambulance, next_stretchers = max(loads, default=(0, 0))
        reason = RecommendationReason(
            regular_people=sum(regular),
            ambulance_people=sum(sum(item) for item in ambulance),
            places=waiting_places(left_out),
            airport_people=choice.people_near if choice else 0,
            airport_km=choice.mean_km if choice else None,
            next_regular=fullest,
            next_ambulance=next_ambulance,
            next_ambulance_stretchers=next_stretchers,
        )
    return CountryRecommendation(
        country=country,
        assigned_people=sum(len(h.members) for h in flying),
        unassigned_people=left_out_people,
        extra_regular_flights=len(regular_planes),
        extra_ambulance_flights=len(ambulance_planes),
        suggested_airport=choice.iata if choice else None,
        unplaceable_people=unplaceable,
        reason=reason,
    )


def waiting_places(left_out: Sequence[Household]) -> tuple[tuple[str, int], ...]:
    """(city, people) where the left-out households wait, most first, then by name;
    past ``MAX_PLACES`` the rest are summed up under ``"…"``."""
    people: Counter[str] = Counter()
    for household in left_out:
        people[household.city.strip()] += len(household.members)
    ranked = sorted(people.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) <= MAX_PLACES:
        return tuple(ranked)
    rest = sum(count for _, count in ranked[MAX_PLACES:])
    return (*ranked[:MAX_PLACES], ("…", rest))


def split_for_packing(
    left_out: Sequence[Household], policy: Policy
) -> tuple[list[int], list[tuple[int, int]], int]:
    """Seat counts for regular planes, (stretchers, seats) for ambulances, and
    the number of people who fit neither standard plane even empty."""
    regular: list[int] = []
    ambulance: list[tuple[int, int]] = []
    unplaceable = 0
    for household in left_out:
        size = len(household.members)
        stretchers = sum(m.needs_stretcher for m in household.members)
        if size == 0:
            continue
        if stretchers == 0:
            if size <= policy.standard_flight_seats:
                regular.append(size)
            else:
                unplaceable += size
        elif stretchers <= policy.ambulance_stretchers and (
            size - stretchers <= policy.ambulance_seats
        ):
            ambulance.append((stretchers, size - stretchers))
        else:
            unplaceable += size
    return regular, ambulance, unplaceable


def suggest_airport(
    left_out: Sequence[Household], airports: Sequence[Airport], policy: Policy
) -> str | None:
    """The airport of the country that best serves the left-out households."""
    choice = choose_airport(left_out, airports, policy)
    return choice.iata if choice else None


def choose_airport(
    left_out: Sequence[Household], airports: Sequence[Airport], policy: Policy
) -> AirportChoice | None:
    """``suggest_airport``'s choice, with the people near it and their mean distance."""
    if not airports:
        return None
    airports = sorted(airports, key=lambda a: (a.iata, a.latitude, a.longitude))
    targets = _unit_vectors(np.array([(a.latitude, a.longitude) for a in airports]))
    covered = np.zeros(len(airports))
    total_angle = np.zeros(len(airports))
    positioned = [h for h in left_out if has_position(h)]
    covered += sum(len(h.members) for h in left_out if not has_position(h))
    limit_cos = np.cos(policy.max_airport_distance_km / MEAN_EARTH_RADIUS_KM)
    step = max(1, _BLOCK_CELLS // len(airports))
    for start in range(0, len(positioned), step):
        block = positioned[start : start + step]
        points = _unit_vectors(np.array([(h.latitude, h.longitude) for h in block]))
        people = np.array([len(h.members) for h in block], dtype=float)
        cosines = np.clip(points @ targets.T, -1.0, 1.0)
        covered += people @ (cosines >= limit_cos)
        total_angle += people @ np.arccos(cosines)
    best = min(
        range(len(airports)),
        key=lambda i: (-covered[i], total_angle[i], airports[i].iata),
    )
    positioned_people = sum(len(h.members) for h in positioned)
    mean_km = (
        float(total_angle[best]) * MEAN_EARTH_RADIUS_KM / positioned_people
        if positioned_people
        else None
    )
    return AirportChoice(airports[best].iata, int(covered[best] + 0.5), mean_km)


def _unit_vectors(lat_lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: the cosine of the angle between two is their dot product."""
    lat, lon = np.radians(lat_lon.reshape(-1, 2).T)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
