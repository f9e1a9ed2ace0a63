"""The journey plan as rows: journeys, one assignment per person and leg, leg loads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter

from evac.planning.data import Household
from evac.planning.journey_data import Leg, LegAssignment, LegLoad, PlannedJourney
from evac.planning.journey_network import Network

_person_id = attrgetter("person_id")


def planned_journeys(
    journey_of: Mapping[int, tuple[int, ...]], net: Network
) -> tuple[PlannedJourney, ...]:
    """One journey per household that travels, by registration id, legs in travel order."""
    return tuple(
        PlannedJourney(registration_id, tuple(net.ids[g] for g in journey_of[registration_id]))
        for registration_id in sorted(journey_of)
    )


def assignments(
    households: Sequence[Household], journey_of: Mapping[int, tuple[int, ...]], net: Network
) -> tuple[LegAssignment, ...]:
    """One row per person and leg, by registration, travel order, then person id.

    A stretcher patient lies on a stretcher on every leg that has any (every
    leg of a planned journey does; a confirmed one may not).
    """
    out = []
    for household in households:
        journey = journey_of.get(household.registration_id)
        if journey is None:
            continue
        members = sorted(household.members, key=_person_id)
        for g in journey:
            lying = net.stretchers[g] > 0
            for member in members:
                out.append(
                    LegAssignment(
                        registration_id=household.registration_id,
                        person_id=member.person_id,
                        leg_id=net.ids[g],
                        uses_stretcher=lying and member.needs_stretcher,
                    )
                )
    return tuple(out)


def leg_loads(legs: Sequence[Leg], net: Network) -> tuple[LegLoad, ...]:
    """Seats and stretchers used on every leg given, by leg id (empty if it does not run)."""
    out = []
    for leg in sorted(legs, key=lambda g: g.leg_id):
        g = net.index.get(leg.leg_id)
        seats = 0 if g is None else net.seats[g] - net.seats_free[g]
        stretchers = 0 if g is None else net.stretchers[g] - net.stretchers_free[g]
        out.append(LegLoad(leg.leg_id, leg.number, seats, stretchers))
    return tuple(out)
