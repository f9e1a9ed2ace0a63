"""What the journey plan still needs: more vehicles on full legs, routes for the stranded.

For the households left out for lack of capacity, each is routed along the
journey it would take were every leg empty (by the plan's preference). On
every leg of those routes, the left-out households that would travel there
first take the room still free on the leg, whole and in priority order; the
rest are packed, first-fit decreasing, into standard vehicles of the leg's
mode doubling it (same route and time). A leg that ends up needing vehicles
is a bottleneck, and the recommendation says how many, so every left-out
household has room on every leg of its route: the free room holds those
placed in it and the new vehicles the others, whole.

Households that no route reaches, or that fit no route even empty, are
counted per country and reason, with the cities they wait in and the places
of the country within reach of the most of them: where a new route should
start.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from evac.planning.data import Household
from evac.planning.journey_data import (
    ExtraVehicles,
    JourneyPolicy,
    JourneyReason,
    JourneyUnassigned,
    Preference,
    StrandedPeople,
)
from evac.planning.journey_network import Network
from evac.planning.journey_reach import within_reach
from evac.planning.journey_search import best_journey
from evac.planning.packing import pack_two_dimensions
from evac.planning.reach import has_position
from evac.planning.recommend import waiting_places

if TYPE_CHECKING:
    from evac.planning.journeys import Pool

MAX_PLACES = 3
_STRANDED = (JourneyReason.no_route_in_reach, JourneyReason.household_too_large)


def recommend_journeys(
    pool: Pool,
    left: list[int],
    unassigned: Sequence[JourneyUnassigned],
    net: Network,
    policy: JourneyPolicy,
    preference: Preference,
) -> tuple[ExtraVehicles | StrandedPeople, ...]:
    """Extra vehicles by departure then leg number, then stranded people by country."""
    reasons = dict(zip(left, (u.reason for u in unassigned), strict=True))
    routes = _routes(
        pool, [k for k in left if reasons[k] == JourneyReason.no_capacity], net, preference
    )
    demand: dict[int, list[int]] = defaultdict(list)
    for k, route in routes.items():
        for g in route:
            demand[g].append(k)
    extra: list[ExtraVehicles] = []
    for g in sorted(demand):
        extra.extend(_bottleneck(g, demand[g], pool, routes, net, policy))
    extra.sort(key=lambda e: (e.departure_time, e.leg_number, e.mode))
    stranded = _stranded(pool, [k for k in left if reasons[k] in _STRANDED], reasons, net)
    return (*extra, *stranded)


def _routes(
    pool: Pool, left: list[int], net: Network, preference: Preference
) -> dict[int, tuple[int, ...]]:
    """The journey each household would take if every leg were empty, in priority order."""
    cache: dict[tuple[int, int, int], tuple[int, ...] | None] = {}
    out = {}
    for k in left:
        key = (pool.set_of[k], *pool.needs[k])
        if key not in cache:
            cache[key] = best_journey(
                net, pool.starts(k), pool.legs_of[k], pool.needs[k], preference, empty=True
            )
        route = cache[key]
        assert route is not None  # left out for lack of capacity: it fits some route empty
        out[k] = route
    return out


def _bottleneck(
    g: int,
    households: list[int],
    pool: Pool,
    routes: dict[int, tuple[int, ...]],
    net: Network,
    policy: JourneyPolicy,
) -> list[ExtraVehicles]:
    """Vehicles doubling leg ``g`` for the households the free room there cannot take."""
    seats_free, stretchers_free = max(net.seats_free[g], 0), max(net.stretchers_free[g], 0)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for k in households:
        seats, stretchers = pool.needs[k]
        if seats <= seats_free and stretchers <= stretchers_free:
            seats_free -= seats
            stretchers_free -= stretchers
            continue
        groups[policy.vehicle(net.legs[g].mode, stretchers > 0)].append(k)
    route = routes[households[0]]
    after = route.index(g) + 1
    connects_to = net.legs[route[after]].number if after < len(route) else None
    out = []
    for (mode, seats, stretchers), members in sorted(groups.items()):
        needs = [pool.needs[k] for k in members]
        fits = [(s, p) for p, s in needs if p <= seats and s <= stretchers]
        planes = pack_two_dimensions(fits, stretchers, seats) if fits else []
        leg = net.legs[g]
        out.append(
            ExtraVehicles(
                leg_number=leg.number,
                origin=leg.origin,
                destination=leg.destination,
                departure_time=leg.departure_time,
                mode=mode,
                vehicles=len(planes),
                seats_per_vehicle=seats,
                stretchers_per_vehicle=stretchers,
                extra_seats=len(planes) * seats,
                extra_stretchers=len(planes) * stretchers,
                people=sum(s + p for s, p in fits),
                households=len(fits),
                connects_to=connects_to,
                unplaceable_people=sum(p + s for p, s in needs) - sum(s + p for s, p in fits),
            )
        )
    return out


def _stranded(
    pool: Pool, left: list[int], reasons: dict[int, JourneyReason], net: Network
) -> list[StrandedPeople]:
    groups: dict[tuple[str, JourneyReason], list[Household]] = defaultdict(list)
    for k in left:
        household = pool.households[k]
        groups[(household.country.upper(), reasons[k])].append(household)
    out = []
    for (country, reason), households in sorted(groups.items()):
        out.append(
            StrandedPeople(
                country=country,
                reason=reason,
                people=sum(len(h.members) for h in households),
                households=len(households),
                cities=waiting_places(households),
                places=_places_near(households, country, net),
            )
        )
    return out


def _places_near(
    households: list[Household], country: str, net: Network
) -> tuple[tuple[str, int], ...]:
    """(place code, people within its reach), most first, for the places of ``country``."""
    places = [i for i, p in enumerate(net.places) if p.country.upper() == country]
    if not places:
        return ()
    near: Counter[str] = Counter()
    positioned = [h for h in households if has_position(h)]
    anywhere = sum(len(h.members) for h in households if not has_position(h))
    sizes = np.array([len(h.members) for h in positioned])
    reachable = np.zeros((0, len(places)), dtype=bool)
    if positioned:
        points = np.array([(h.latitude, h.longitude) for h in positioned])
        reachable, _ = within_reach(points, net, places)
    for column, place in enumerate(places):
        people = anywhere + (int(sizes[reachable[:, column]].sum()) if positioned else 0)
        if people:
            near[net.places[place].code] = people
    ranked = sorted(near.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:MAX_PLACES])
