"""The plan as plain JSON-ready data (the CLI's --json and the API).

Both planners give ``households``: each seated household's ``journey``, its legs
in travel order with times in ISO 8601 UTC (one leg for a flight). The flight
planner's plan lists ``flights`` and per-country ``countries``; the journey
planner's lists ``legs`` and ``recommendations`` (``journey_report.py``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from evac.planning.data import RecommendationReason
from evac.planning.journey_report import extra_planes as planes_by_country
from evac.planning.journey_report import journey_fields, seated_households
from evac.planning.service import PlanPreview

__all__ = ["plan_report", "planes_by_country", "reasons_count"]


def _reason(reason: RecommendationReason | None) -> dict[str, Any] | None:
    """Why the planes are needed: who waits where, why that airport, what one more changes."""
    if reason is None:
        return None
    return {
        "regular_people": reason.regular_people,
        "ambulance_people": reason.ambulance_people,
        "places": [{"city": city, "people": people} for city, people in reason.places],
        "airport_people": reason.airport_people,
        "airport_km": round(reason.airport_km) if reason.airport_km is not None else None,
        "next_regular": reason.next_regular,
        "next_ambulance": reason.next_ambulance,
        "next_ambulance_stretchers": reason.next_ambulance_stretchers,
    }


def plan_report(preview: PlanPreview) -> dict[str, Any]:
    common = {
        "planner": "journeys" if preview.by_journeys else "flights",
        "assigned_people": preview.assigned_people,
        "unassigned_people": preview.unassigned_people,
        "households": seated_households(preview),
        "held_back": preview.held_back,
    }
    if preview.by_journeys:
        return {**common, **journey_fields(preview)}
    return {**common, **_flight_fields(preview)}


def _flight_fields(preview: PlanPreview) -> dict[str, Any]:
    loads = {load.flight_id: load for load in preview.result.flight_loads}
    flights = [
        {
            "flight_number": flight.flight_number,
            "departure_time": flight.departure_time.isoformat(),
            "kind": flight.kind.value,
            "seats": flight.seats,
            "seats_used": loads[flight.flight_id].seats_used if flight.flight_id in loads else 0,
            "stretchers": flight.stretchers,
            "stretchers_used": (
                loads[flight.flight_id].stretchers_used if flight.flight_id in loads else 0
            ),
        }
        for flight in sorted(
            preview.flights.values(), key=lambda f: (f.departure_time, f.flight_number)
        )
        if not flight.cancelled
    ]
    countries = [
        {
            "country": rec.country,
            "assigned_people": rec.assigned_people,
            "unassigned_people": rec.unassigned_people,
            "extra_regular_flights": rec.extra_regular_flights,
            "extra_ambulance_flights": rec.extra_ambulance_flights,
            "suggested_airport": rec.suggested_airport,
            "unplaceable_people": rec.unplaceable_people,
            "reason": _reason(rec.reason),
        }
        for rec in preview.result.recommendations  # type: ignore[union-attr]
    ]
    unassigned = [
        {"reference": u.reference, "people": u.people, "reason": u.reason.value}
        for u in preview.result.unassigned
    ]
    return {"flights": flights, "countries": countries, "unassigned": unassigned}


def reasons_count(preview: PlanPreview) -> Counter[str]:
    return Counter(u.reason.value for u in preview.result.unassigned for _ in range(u.people))
