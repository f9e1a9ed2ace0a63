"""The plan as plain JSON-ready data (the CLI's --json and the API)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from evac.planning.data import RecommendationReason
from evac.planning.service import PlanPreview


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
        for rec in preview.result.recommendations
    ]
    unassigned = [
        {"reference": u.reference, "people": u.people, "reason": u.reason.value}
        for u in preview.result.unassigned
    ]
    return {
        "assigned_people": preview.assigned_people,
        "unassigned_people": preview.unassigned_people,
        "flights": flights,
        "countries": countries,
        "unassigned": unassigned,
        "held_back": preview.held_back,
    }


def reasons_count(preview: PlanPreview) -> Counter[str]:
    return Counter(u.reason.value for u in preview.result.unassigned for _ in range(u.people))
