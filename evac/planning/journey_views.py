"""What the plan page shows of a journey plan: plain rows its templates put in words.

Times are read on each place's clocks (its IANA zone, from airportsdata or from the
place's position), places by code and name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from evac.planning.journey_data import (
    ExtraVehicles,
    JourneyPlanResult,
    JourneyUnassigned,
    Leg,
    StrandedPeople,
)
from evac.planning.journey_report import leg_order
from evac.planning.preview import PlanPreview


@dataclass(frozen=True)
class LegRow:
    leg_id: int
    number: str
    mode: str
    origin: str
    destination: str
    departs: datetime
    arrives: datetime
    estimated: bool
    seats: int = 0
    seats_used: int = 0
    stretchers: int = 0
    stretchers_used: int = 0


@dataclass(frozen=True)
class JourneyRow:
    reference: str
    people: int
    legs: list[LegRow]


@dataclass(frozen=True)
class JourneyPage:
    journeys: list[JourneyRow]
    journey_count: int
    legs: list[LegRow]
    left_out: list[JourneyUnassigned]
    extra: list[ExtraVehicles]
    stranded: list[StrandedPeople]
    place_names: dict[str, str]


def place_label(preview: PlanPreview, code: str) -> str:
    """``KRT-1 (Khartoum, Riyadh district)``; the code alone when the name says no more."""
    place = preview.network.places.get(code)
    if place is None or not place.name or place.name.upper() == code:
        return code
    return f"{code} ({place.name})"


def local(preview: PlanPreview, code: str, moment: datetime) -> datetime:
    """``moment`` on the clocks of the place ``code`` (UTC for a place not known)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    place = preview.network.places.get(code)
    return aware.astimezone(ZoneInfo(place.tz) if place else UTC)


def leg_row(preview: PlanPreview, leg: Leg) -> LegRow:
    return LegRow(
        leg_id=leg.leg_id,
        number=leg.number,
        mode=leg.mode.value,
        origin=place_label(preview, leg.origin),
        destination=place_label(preview, leg.destination),
        departs=local(preview, leg.origin, leg.departure_time),
        arrives=local(preview, leg.destination, leg.arrival_time),
        estimated=leg.leg_id in preview.network.estimated,
        seats=leg.seats,
        stretchers=leg.stretchers,
    )


def _loaded(preview: PlanPreview, result: JourneyPlanResult) -> list[LegRow]:
    loads = {load.leg_id: load for load in result.leg_loads}
    rows = []
    for leg in sorted(preview.network.legs.values(), key=leg_order):
        if leg.cancelled:
            continue
        load = loads.get(leg.leg_id)
        kept = preview.held_elsewhere.get(leg.leg_id, (0, 0))
        row = leg_row(preview, leg)
        rows.append(
            LegRow(
                **{
                    **row.__dict__,
                    "seats_used": (load.seats_used if load else 0) + kept[0],
                    "stretchers_used": (load.stretchers_used if load else 0) + kept[1],
                }
            )
        )
    return rows


def journey_page(preview: PlanPreview, shown: int) -> JourneyPage:
    result = preview.result
    assert isinstance(result, JourneyPlanResult)
    legs = preview.network.legs
    seated = sorted(preview.journeys.items(), key=lambda i: preview.households[i[0]].reference)
    journeys = [
        JourneyRow(
            preview.households[rid].reference,
            len(preview.households[rid].members),
            [leg_row(preview, legs[g]) for g in leg_ids if g in legs],
        )
        for rid, leg_ids in seated[:shown]
    ]
    return JourneyPage(
        journeys=journeys,
        journey_count=len(seated),
        legs=_loaded(preview, result),
        left_out=list(result.unassigned[:shown]),
        extra=[r for r in result.recommendations if isinstance(r, ExtraVehicles)],
        stranded=[r for r in result.recommendations if isinstance(r, StrandedPeople)],
        place_names={code: place_label(preview, code) for code in preview.network.places},
    )
