"""The journey planner's turn in the planning service: load, plan, compare.

It runs when some leg is not a direct flight home (``journey_loading.needs_journeys``)
and plans every household of the scope over every leg, whatever its country: a
journey crosses borders. Seats held by households outside the plan (another
country's, or people already travelling) stay theirs: the legs offer the room left.
"""

from __future__ import annotations

from sqlmodel import Session

from evac.planning.journey_loading import (
    LegNetwork,
    journey_places,
    journey_policy,
    kept_journeys,
    seats_held_by_others,
    with_kept_legs,
    without_held,
)
from evac.planning.journeys import plan_journeys
from evac.planning.loading import current_journeys, held_back, load_households
from evac.planning.preview import PlanPreview, moves_between
from evac.settings import Settings


def journey_preview(
    session: Session, country: str | None, network: LegNetwork, settings: Settings
) -> PlanPreview:
    loaded = load_households(session, country, settings.seat_requires)
    households = with_kept_legs(loaded, kept_journeys(session))
    held = seats_held_by_others(session, {h.registration_id for h in households})
    legs = without_held(network.legs.values(), held)
    result = plan_journeys(
        households, journey_places(network, settings), legs, journey_policy(settings)
    )
    planned = {j.registration_id: j.leg_ids for j in result.journeys}
    moves = moves_between(households, current_journeys(session, country), planned)
    return PlanPreview(
        result=result,
        households={h.registration_id: h for h in households},
        flights={},
        moves=moves,
        country=country,
        held_back=held_back(session, country, settings.seat_requires),
        network=network,
        journeys=planned,
        held_elsewhere=held,
    )
