"""A leg's departure and arrival on the clocks of the places it leaves and reaches.

Every leg carries its places' zones (``Flight.departure_zone``, ``arrival_zone``,
set when it is saved), so reading its times needs no look-up. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from evac.flights.models import Flight


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


def times_at(moment: datetime, zone: str) -> DepartureTimes:
    """``moment`` on the clocks of ``zone`` (a naive moment is UTC, as SQLite gives it)."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return DepartureTimes(local=utc.astimezone(ZoneInfo(zone)), utc=utc, zone=zone)


def departure_times(flight: Flight) -> DepartureTimes:
    return times_at(flight.departure_time, flight.departure_zone)


def arrival_times(flight: Flight) -> DepartureTimes | None:
    """None for a leg saved without its arrival."""
    if flight.arrival_time is None:
        return None
    return times_at(flight.arrival_time, flight.arrival_zone)


def local_departures(legs: Sequence[Flight]) -> list[tuple[Flight, datetime]]:
    """Each leg with its departure on the clocks of the place it leaves."""
    return [(leg, departure_times(leg).local) for leg in legs]
