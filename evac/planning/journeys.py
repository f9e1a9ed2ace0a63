"""The journey planner's functional core: households, places and legs in, journeys out.

:func:`plan_journeys` gives each household a whole journey home: a chain of
legs from a place within reach in its country of presence to a place in the
home country, each leg leaving from where the previous one arrived, at
least ``min_connection_minutes`` later, no place twice. Households already
confirmed on a journey whose legs all still run keep it. Everyone else is
taken one household at a time in the flight planner's order (tier, then
registration time, then reference) and given the best journey with room for
the whole household on every leg, by one of two preferences
(:class:`Preference`). The planner plans with both and keeps the plan that
seats more people, the earliest-arrival one on a tie: on direct flights the
nearest-departure plan is exactly the flight planner's, so a journey plan
never seats fewer people than :func:`evac.planning.core.plan` would.

Because households are placed in priority order and room only ever shrinks,
a household left out for lack of capacity found every journey it could take
blocked by a full leg, still blocked at the end, and only by households of
its tier or above (or confirmed ones). The best journey of a start set and a
household size stays the best as long as its legs have room, so it is cached
and searched again only when one of its legs fills up (``docs/planner.md``,
"Journeys").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from evac.planning.core import collection_paused
from evac.planning.data import Household
from evac.planning.journey_data import (
    JourneyPlanResult,
    JourneyPolicy,
    JourneyReason,
    JourneyUnassigned,
    Leg,
    Place,
    Preference,
)
from evac.planning.journey_network import REGULAR, STRETCHER, Network
from evac.planning.journey_output import assignments, leg_loads, planned_journeys
from evac.planning.journey_reach import StartSet, start_sets
from evac.planning.journey_recommend import recommend_journeys
from evac.planning.journey_routes import full_legs
from evac.planning.journey_search import best_journey
from evac.planning.tiers import fallback_tier_date, priority_tier

__all__ = ["plan_journeys"]


@dataclass(slots=True)
class Pool:
    """The households to plan, with what the search needs of each."""

    households: list[Household]
    set_of: list[int]  # index into sets
    sets: list[StartSet]
    needs: list[tuple[int, int]]  # (seats, stretchers)
    legs_of: list[list[int]]  # candidate legs, shared per (country, kind)

    def kind(self, k: int) -> int:
        return STRETCHER if self.needs[k][1] else REGULAR

    def starts(self, k: int) -> dict[int, int]:
        return dict(self.sets[self.set_of[k]])


def plan_journeys(
    households: Sequence[Household],
    places: Sequence[Place],
    legs: Sequence[Leg],
    policy: JourneyPolicy,
    preference: Preference | None = None,
) -> JourneyPlanResult:
    """Give ``households`` journeys home over ``legs`` and say what is still needed.

    Registration, person and leg ids and place codes must be unique. Legs
    that are cancelled or touch a place not given carry nobody. The result
    lists journeys by registration id, assignments by registration, travel
    order and person id, the households left out in the order they would get
    the next seat, loads of every leg by id, and recommendations.

    ``preference`` forces one preference instead of keeping the better plan
    of the two (for tests and benchmarks).
    """
    with collection_paused():
        return _plan(households, places, legs, policy, preference)


def _plan(
    households: Sequence[Household],
    places: Sequence[Place],
    legs: Sequence[Leg],
    policy: JourneyPolicy,
    forced: Preference | None,
) -> JourneyPlanResult:
    households = sorted(households, key=lambda h: h.registration_id)
    net = Network(places, legs, policy)
    tiers: dict[int, int] = {}
    fixed = _place_fixed(households, net, policy, tiers)
    pool = _pool([h for h in households if h.registration_id not in fixed], net)
    _assign_tiers(pool, net, policy, tiers)
    order = sorted(range(len(pool.households)), key=lambda k: _priority_key(pool, k, tiers))
    after_fixed = (list(net.seats_free), list(net.stretchers_free))
    plans = {}
    for preference in [forced] if forced else Preference:
        net.seats_free, net.stretchers_free = list(after_fixed[0]), list(after_fixed[1])
        plans[preference] = (
            _greedy(net, pool, order, preference),
            net.seats_free,
            net.stretchers_free,
        )
    preference = forced or _better(plans, pool)
    chosen, net.seats_free, net.stretchers_free = plans[preference]
    journey_of = fixed | {pool.households[k].registration_id: j for k, j in chosen.items()}
    left = [k for k in order if k not in chosen]
    unassigned = _unassigned(pool, left, net, tiers)
    return JourneyPlanResult(
        journeys=planned_journeys(journey_of, net),
        assignments=assignments(households, journey_of, net),
        unassigned=unassigned,
        leg_loads=leg_loads(legs, net),
        recommendations=recommend_journeys(pool, left, unassigned, net, policy, preference),
        tiers=dict(sorted(tiers.items())),
        preference=preference,
    )


def _priority_key(pool: Pool, k: int, tiers: dict[int, int]) -> tuple:
    household = pool.households[k]
    return (
        tiers[household.registration_id],
        household.registered_at,
        household.reference,
        household.registration_id,
    )


def _stretchers(household: Household) -> int:
    return sum(m.needs_stretcher for m in household.members)


def _place_fixed(
    households: list[Household], net: Network, policy: JourneyPolicy, tiers: dict[int, int]
) -> dict[int, tuple[int, ...]]:
    """Keep confirmed households whose legs all run; their people count in the loads.

    A stretcher patient lies on a stretcher on every leg that has any (past
    capacity if need be: confirmed passengers are never moved) and sits
    elsewhere.
    """
    fixed: dict[int, tuple[int, ...]] = {}
    tier_policy = policy.tier_policy()
    for household in households:
        ids = set(household.fixed_leg_ids)
        if not ids or not ids <= net.index.keys():
            continue
        journey = tuple(sorted(net.index[i] for i in ids))
        fixed[household.registration_id] = journey
        lying = _stretchers(household)
        for leg in journey:
            on_stretchers = lying if net.stretchers[leg] > 0 else 0
            net.take((leg,), len(household.members) - on_stretchers, on_stretchers)
        on_date = net.legs[journey[0]].departure_time.date()
        tiers[household.registration_id] = priority_tier(household, on_date, tier_policy)
    return fixed


def _pool(households: list[Household], net: Network) -> Pool:
    set_of, sets = start_sets(households, net)
    needs = []
    legs_of = []
    shared: dict[tuple[str, int], list[int]] = {}
    for household in households:
        stretchers = _stretchers(household)
        needs.append((len(household.members) - stretchers, stretchers))
        key = (household.country.upper(), STRETCHER if stretchers else REGULAR)
        if key not in shared:
            shared[key] = net.country_legs(*key)
        legs_of.append(shared[key])
    return Pool(households, set_of, sets, needs, legs_of)


def first_leg_in_reach(net: Network, starts: StartSet, kind: int) -> int | None:
    """The earliest leg from a start place that begins some journey home of ``kind``
    (room aside); None when no route is in reach."""
    places = {place for place, _ in starts}
    for leg in range(len(net.legs)):
        if net.origin[leg] in places and net.leads_home[kind][leg]:
            return leg
    return None


def _assign_tiers(pool: Pool, net: Network, policy: JourneyPolicy, tiers: dict[int, int]) -> None:
    """Tier of each household, judged on the day of the earliest first leg of a
    route home in its reach (room and size aside), as the flight planner judges
    it on its earliest flight in reach."""
    departures = [leg.departure_time.date() for leg in net.legs]
    registrations = [] if departures else [h.registered_at.date() for h in pool.households]
    fallback = fallback_tier_date(departures, registrations)
    tier_policy = policy.tier_policy()
    earliest: dict[tuple[int, int], date | None] = {}
    for k, household in enumerate(pool.households):
        key = (pool.set_of[k], pool.kind(k))
        if key not in earliest:
            leg = first_leg_in_reach(net, pool.sets[key[0]], key[1])
            earliest[key] = None if leg is None else departures[leg]
        on_date = earliest[key] or fallback
        assert on_date is not None  # the pool is not empty here
        tiers[household.registration_id] = priority_tier(household, on_date, tier_policy)


def _greedy(
    net: Network, pool: Pool, order: list[int], preference: Preference
) -> dict[int, tuple[int, ...]]:
    """Seat households in ``order``, each on its best journey with room; by pool index.

    The best journey of a (start set, seats, stretchers) is cached: room only
    shrinks, so it stays the best while all its legs have room, and a key
    with no journey never gets one.
    """
    cache: dict[tuple[int, int, int], tuple[int, ...] | None] = {}
    chosen: dict[int, tuple[int, ...]] = {}
    # Candidate lists without the legs found full, by id of the shared list.
    open_lists: dict[int, tuple[list[int], int]] = {}
    for k in order:
        seats, stretchers = pool.needs[k]
        if not seats + stretchers:
            continue
        key = (pool.set_of[k], seats, stretchers)
        journey = cache.get(key, ())
        if journey == () or (
            journey is not None and not all(net.has_room(g, seats, stretchers) for g in journey)
        ):
            legs = _open_legs(net, pool.legs_of[k], pool.kind(k), open_lists)
            journey = cache[key] = best_journey(
                net, pool.starts(k), legs, (seats, stretchers), preference
            )
        if journey is not None:
            net.take(journey, seats, stretchers)
            chosen[k] = journey
    return chosen


def _open_legs(
    net: Network, shared: list[int], kind: int, open_lists: dict[int, tuple[list[int], int]]
) -> list[int]:
    """The shared candidate list, less the legs that can take nobody of ``kind``
    any more: households of a big country do not scan hundreds of full legs each.
    Filtered again only when some leg has filled up since."""
    found = open_lists.get(id(shared))
    if found is None or found[1] != net.filled:
        found = open_lists[id(shared)] = (
            net.open_legs(shared if found is None else found[0], kind),
            net.filled,
        )
    return found[0]


def _better(plans: dict, pool: Pool) -> Preference:
    """The preference whose plan seats more people; earliest arrival on a tie."""

    def seated(preference: Preference) -> int:
        return sum(sum(pool.needs[k]) for k in plans[preference][0])

    if seated(Preference.nearest_departure) > seated(Preference.earliest_arrival):
        return Preference.nearest_departure
    return Preference.earliest_arrival


def _unassigned(
    pool: Pool, left: list[int], net: Network, tiers: dict[int, int]
) -> tuple[JourneyUnassigned, ...]:
    """Households left out, in priority order, each with its reason."""
    out = []
    reasons: dict[tuple[int, int, int], tuple[JourneyReason, tuple[str, ...]]] = {}
    for k in left:
        household = pool.households[k]
        seats, stretchers = pool.needs[k]
        key = (pool.set_of[k], seats, stretchers)
        if key not in reasons:
            reasons[key] = _reason(pool, k, net)
        reason, full = reasons[key]
        out.append(
            JourneyUnassigned(
                registration_id=household.registration_id,
                reference=household.reference,
                people=len(household.members),
                reason=reason,
                tier=tiers[household.registration_id],
                full_legs=full,
            )
        )
    return tuple(out)


def _reason(pool: Pool, k: int, net: Network) -> tuple[JourneyReason, tuple[str, ...]]:
    need = pool.needs[k]
    if not sum(need):
        return JourneyReason.no_members, ()
    if first_leg_in_reach(net, pool.sets[pool.set_of[k]], pool.kind(k)) is None:
        return JourneyReason.no_route_in_reach, ()
    starts, legs = pool.starts(k), pool.legs_of[k]
    if best_journey(net, starts, legs, need, Preference.earliest_arrival, empty=True) is None:
        return JourneyReason.household_too_large, ()
    return JourneyReason.no_capacity, full_legs(net, starts, legs, need)
