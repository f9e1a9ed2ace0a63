"""Where each household can start a journey, and how near each start is.

A household starts at a place of its own country of presence that has a leg
leaving it, within that place's ``reach_km`` of its position by geodesic
distance (``within_km``: great-circle in bulk with numpy, exact geodesic near
the limit). Only the order of the places by distance matters to the planner
(it breaks ties between journeys by the nearest first place), so each
household gets a *start set*: the places in reach with their rank, 0 for the
nearest, equal distances sharing a rank. Households with the same start set
share it, and with it the search results. A household without a position
can start anywhere in its country, every place ranked 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from evac.geo.distance import within_km
from evac.planning.data import Household
from evac.planning.journey_network import Network
from evac.planning.reach import has_position

_BLOCK_CELLS = 2_000_000

StartSet = tuple[tuple[int, int], ...]  # (place index, rank), by rank then place


def start_sets(households: Sequence[Household], net: Network) -> tuple[list[int], list[StartSet]]:
    """For each household, the index of its start set; and the distinct start sets."""
    by_country = net.departure_places()
    sets: dict[StartSet, int] = {(): 0}
    out = [0] * len(households)
    countries: dict[str, list[int]] = defaultdict(list)
    for i, household in enumerate(households):
        countries[household.country.upper()].append(i)
    for country, members in countries.items():
        places = by_country.get(country)
        if not places:
            continue
        everywhere = tuple((place, 0) for place in places)
        positioned = []
        for i in members:
            if has_position(households[i]):
                positioned.append(i)
            else:
                out[i] = sets.setdefault(everywhere, len(sets))
        step = max(1, _BLOCK_CELLS // len(places))
        for begin in range(0, len(positioned), step):
            block = positioned[begin : begin + step]
            for i, found in zip(block, _rank_block(households, block, net, places), strict=True):
                out[i] = sets.setdefault(found, len(sets))
    return out, list(sets)


def within_reach(
    points: np.ndarray, net: Network, places: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """(reachable, distances) of ``points`` to ``places``, each with its own reach."""
    coords = np.array([(net.places[p].latitude, net.places[p].longitude) for p in places])
    limits = np.array([net.places[p].reach_km for p in places], dtype=float)
    reachable = np.zeros((len(points), len(places)), dtype=bool)
    distances = np.zeros((len(points), len(places)))
    for limit in np.unique(limits):
        columns = np.nonzero(limits == limit)[0]
        near, km = within_km(points, coords[columns], float(limit))
        reachable[:, columns] = near
        distances[:, columns] = km
    return reachable, distances


def _rank_block(
    households: Sequence[Household], block: list[int], net: Network, places: list[int]
) -> list[StartSet]:
    points = np.array([(households[i].latitude, households[i].longitude) for i in block])
    reachable, distances = within_reach(points, net, places)
    masked = np.where(reachable, distances, np.inf)
    order = np.argsort(masked, axis=1, kind="stable")
    ranked = np.take_along_axis(masked, order, axis=1)
    finite = np.isfinite(ranked)
    steps = np.concatenate(
        [np.zeros((len(block), 1), dtype=int), (ranked[:, 1:] != ranked[:, :-1]).astype(int)],
        axis=1,
    )
    ranks = np.cumsum(steps, axis=1)
    keys = np.concatenate([np.where(finite, order, -1), np.where(finite, ranks, -1)], axis=1)
    unique_keys, inverse = np.unique(keys, axis=0, return_inverse=True)
    width = len(places)
    found = []
    for key in unique_keys.tolist():
        pairs = [(places[key[k]], key[width + k]) for k in range(width) if key[k] >= 0]
        found.append(tuple(sorted(pairs, key=lambda pair: (pair[1], pair[0]))))
    return [found[k] for k in inverse.reshape(-1).tolist()]
