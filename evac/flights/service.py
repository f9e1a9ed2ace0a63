"""Flights: where they leave from and on which local date."""

from __future__ import annotations

from datetime import date, datetime

from evac.errors import InvalidInput
from evac.geo.airports import get_airport, local_time


def flight_country(departure_airport: str) -> str:
    """The flight's country is its departure airport's country."""
    airport = get_airport(departure_airport)
    if airport is None:
        raise InvalidInput(f"Unknown IATA airport code {departure_airport!r}.")
    return airport.country


def local_departure_date(departure_airport: str, departure_time: datetime) -> date:
    """The calendar date at the departure airport, used with the flight number as its key."""
    return local_time(departure_airport, departure_time).date()
