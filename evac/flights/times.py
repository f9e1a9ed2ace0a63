"""A leg's departure and arrival on the clocks of the places it leaves and reaches.

An airport's zone comes from airportsdata; any other place's is given by the
caller (``evac.places.service.resolve_places`` reads it). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from evac.flights.models import Flight
from evac.geo.airports import get_airport
from evac.places.service import resolve_places


@dataclass(frozen=True)
class DepartureTimes:
    """A moment on the clocks of a place's city, and in UTC (a departure or an arrival)."""

    local: datetime
    utc: datetime
    zone: str

    @property
    def offset(self) -> str:
        text = self.local.strftime("%z")
        return f"UTC{text[:3]}:{text[3:]}"

    @property
    def local_text(self) -> str:
        return f"{self.local:%Y-%m-%d %H:%M} {self.local.tzname()} ({self.offset})"

    @property
    def utc_text(self) -> str:
        return f"{self.utc:%Y-%m-%d %H:%M} UTC"


LegTimes = DepartureTimes


def place_zone(code: str, zone: str | None = None) -> str:
    """``zone`` if given, else the airport's; UTC for a place whose zone is not known."""
    if zone:
        return zone
    airport = get_airport(code)
    return (airport.tz if airport else "") or "UTC"


def times_at(moment: datetime, code: str, zone: str | None = None) -> DepartureTimes:
    """``moment`` at the place with this code (``zone``: its zone when it is no airport)."""
    name = place_zone(code, zone)
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return DepartureTimes(local=utc.astimezone(ZoneInfo(name)), utc=utc, zone=name)


def departure_times(flight: Flight, zone: str | None = None) -> DepartureTimes:
    return times_at(flight.departure_time, flight.departure_airport, zone)


def arrival_times(flight: Flight, zone: str | None = None) -> DepartureTimes | None:
    """None for a leg saved without its arrival."""
    if flight.arrival_time is None:
        return None
    return times_at(flight.arrival_time, flight.destination_airport, zone)


def local_departures(session: Session, legs: Sequence[Flight]) -> list[tuple[Flight, datetime]]:
    """Each leg with its departure on the clocks of the place it leaves: an airport's,
    or a stored place's (an assembly point, a seaport), which no airport list knows."""
    zones = {
        code: place.tz
        for code, place in resolve_places(session, [leg.departure_airport for leg in legs]).items()
    }
    return [
        (
            leg,
            times_at(
                leg.departure_time, leg.departure_airport, zones.get(leg.departure_airport.upper())
            ).local,
        )
        for leg in legs
    ]
