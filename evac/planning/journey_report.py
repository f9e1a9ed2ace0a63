"""The journey parts of the plan as JSON-ready data: journeys, legs, recommendations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from evac.planning.journey_data import (
    ExtraVehicles,
    JourneyPlanResult,
    JourneyUnassigned,
    Leg,
    LegMode,
    StrandedPeople,
)

if TYPE_CHECKING:
    from evac.planning.preview import PlanPreview


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands datetimes back naive; evac stores UTC)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(UTC).isoformat()


def journey_leg(leg: Leg) -> dict[str, Any]:
    """One leg of a journey: its number (as the leg is named: B-1, TK1), in order."""
    return {
        "leg_number": leg.number,
        "mode": leg.mode.value,
        "from": leg.origin,
        "to": leg.destination,
        "departure_time": iso_utc(leg.departure_time),
        "arrival_time": iso_utc(leg.arrival_time),
    }


def seated_households(preview: PlanPreview) -> list[dict[str, Any]]:
    """Every seated household and its journey, by reference."""
    legs = preview.network.legs
    out = []
    for registration_id, leg_ids in preview.journeys.items():
        household = preview.households[registration_id]
        journey = [journey_leg(legs[g]) for g in leg_ids if g in legs]
        out.append(
            {"reference": household.reference, "people": len(household.members), "journey": journey}
        )
    return sorted(out, key=lambda h: h["reference"])


def journey_fields(preview: PlanPreview) -> dict[str, Any]:
    result = preview.result
    assert isinstance(result, JourneyPlanResult)
    return {
        "preference": result.preference.value,
        "legs": _legs(preview, result),
        "recommendations": [_recommendation(rec) for rec in result.recommendations],
        "unassigned": [_unassigned(u) for u in result.unassigned],
    }


def _legs(preview: PlanPreview, result: JourneyPlanResult) -> list[dict[str, Any]]:
    loads = {load.leg_id: load for load in result.leg_loads}
    held = preview.held_elsewhere
    out = []
    for leg in sorted(preview.network.legs.values(), key=leg_order):
        if leg.cancelled:
            continue
        load = loads.get(leg.leg_id)
        kept = held.get(leg.leg_id, (0, 0))
        out.append(
            {
                **journey_leg(leg),
                "arrival_estimated": leg.leg_id in preview.network.estimated,
                "seats": leg.seats,
                "seats_used": (load.seats_used if load else 0) + kept[0],
                "stretchers": leg.stretchers,
                "stretchers_used": (load.stretchers_used if load else 0) + kept[1],
            }
        )
    return out


def leg_order(leg: Leg) -> tuple[datetime, str, int]:
    return (leg.departure_time, leg.number, leg.leg_id)


def _unassigned(u: JourneyUnassigned) -> dict[str, Any]:
    return {
        "reference": u.reference,
        "people": u.people,
        "reason": u.reason.value,
        "full_legs": list(u.full_legs),
    }


def _recommendation(rec: ExtraVehicles | StrandedPeople) -> dict[str, Any]:
    if isinstance(rec, StrandedPeople):
        return {
            "kind": "stranded",
            "country": rec.country,
            "reason": rec.reason.value,
            "people": rec.people,
            "households": rec.households,
            "cities": [{"city": city, "people": people} for city, people in rec.cities],
            "places": [{"place": place, "people": people} for place, people in rec.places],
        }
    return {
        "kind": "extra_vehicles",
        "leg_number": rec.leg_number,
        "mode": rec.mode.value,
        "from": rec.origin,
        "to": rec.destination,
        "departure_time": iso_utc(rec.departure_time),
        "vehicles": rec.vehicles,
        "seats_per_vehicle": rec.seats_per_vehicle,
        "stretchers_per_vehicle": rec.stretchers_per_vehicle,
        "people": rec.people,
        "households": rec.households,
        "connects_to": rec.connects_to,
        "unplaceable_people": rec.unplaceable_people,
    }


def extra_planes(preview: PlanPreview) -> list[tuple[str, int, int]]:
    """(country, regular planes, ambulance planes) the journey plan's recommendations
    add, by the country of the place each extra flight leaves from."""
    counts: dict[str, list[int]] = {}
    for rec in preview.result.recommendations:
        if not isinstance(rec, ExtraVehicles) or rec.mode not in AIR:
            continue
        place = preview.network.places.get(rec.origin)
        if place is None:
            continue
        row = counts.setdefault(place.country, [0, 0])
        row[rec.mode == LegMode.ambulance_flight] += rec.vehicles
    return [(country, *counts[country]) for country in sorted(counts)]  # type: ignore[misc]


AIR = (LegMode.flight, LegMode.ambulance_flight)
