"""A plan as the service hands it on: what either planner decided, and who moves.

The flight planner (``core.plan``) gives a ``data.PlanResult``, the journey
planner (``journeys.plan_journeys``) a ``JourneyPlanResult``; both list seats as
(household, person, leg) and the households left out with a reason, so pages,
reports, notices and the commit read a preview the same way, and ask
``by_journeys`` only for what one planner has and the other has not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from evac.planning import data
from evac.planning.journey_data import JourneyPlanResult, LegAssignment
from evac.planning.journey_loading import LegNetwork


@dataclass(frozen=True)
class Move:
    """A household whose journey changes: its legs before and after, in travel order."""

    registration_id: int
    reference: str
    people: int
    before_legs: tuple[int, ...]
    after_legs: tuple[int, ...]

    @property
    def before(self) -> int | None:
        """The first leg before (the flight, for a one-leg journey)."""
        return self.before_legs[0] if self.before_legs else None

    @property
    def after(self) -> int | None:
        return self.after_legs[0] if self.after_legs else None


@dataclass(frozen=True)
class PlanPreview:
    """``flights``: the flight planner's input (empty when the journey planner ran);
    ``network``: every leg and place, for both; ``journeys``: each seated household's
    legs in travel order (one for a flight); ``held_elsewhere``: seats and stretchers
    per leg held by households outside the plan."""

    result: data.PlanResult | JourneyPlanResult
    households: dict[int, data.Household]
    flights: dict[int, data.Flight]
    moves: list[Move]
    country: str | None
    held_back: dict[str, int]
    network: LegNetwork = field(default_factory=lambda: LegNetwork({}, {}))
    journeys: dict[int, tuple[int, ...]] = field(default_factory=dict)
    held_elsewhere: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def by_journeys(self) -> bool:
        """Whether the journey planner made this plan."""
        return isinstance(self.result, JourneyPlanResult)

    @property
    def assigned_people(self) -> int:
        """People seated: one per person, however many legs their journey has."""
        return len({a.person_id for a in self.result.assignments})

    @property
    def unassigned_people(self) -> int:
        return sum(u.people for u in self.result.unassigned)

    def leg_number(self, leg_id: int | None) -> str | None:
        leg = self.network.legs.get(leg_id or -1)
        if leg is not None:
            return leg.number
        flight = self.flights.get(leg_id or -1)
        return flight.flight_number if flight else None

    def leg_ids(self) -> list[int]:
        """Every leg this plan may seat people on."""
        return sorted(self.network.legs) if self.by_journeys else sorted(self.flights)

    def seat_rows(self, registration_ids: set[int]) -> list[dict[str, Any]]:
        """The seats to write for these households, one per person and leg."""
        return [
            {
                "flight_id": a.leg_id if isinstance(a, LegAssignment) else a.flight_id,
                "person_id": a.person_id,
                "registration_id": a.registration_id,
                "uses_stretcher": a.uses_stretcher,
            }
            for a in self.result.assignments
            if a.registration_id in registration_ids
        ]


def moves_between(
    households: Iterable[data.Household],
    current: Mapping[int, tuple[int, ...]],
    planned: Mapping[int, tuple[int, ...]],
) -> list[Move]:
    """Households whose journey changes, by registration id; those keeping their seats
    (confirmed or further) are never moved."""
    return [
        Move(h.registration_id, h.reference, len(h.members), before, after)
        for h in sorted(households, key=lambda h: h.registration_id)
        if (before := current.get(h.registration_id, ()))
        != (after := planned.get(h.registration_id, ()))
        and h.fixed_flight_id is None
        and not h.fixed_leg_ids
    ]
