"""What the flight pages and the flight API share: who may read flights, the
list's filters, and what every airport page says about its flight."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query

from evac.errors import Conflict, InvalidInput, NotFound
from evac.flights.flight_status import (
    BOARDING_OPEN,
    CHECK_IN_OPEN,
    FLIGHT_STATUS_WORDS,
    SEAT_STATUS_WORDS,
)
from evac.flights.models import Flight, FlightKind, FlightStatus, LegMode
from evac.flights.service import FlightQuery, require_flight_access
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf
from evac.validation import Page, SafeText

Protected = [Depends(verify_csrf)]
# What an airport page shows as a notice instead of acting.
Refused = (InvalidInput, NotFound, Conflict)


def flight_reader(staff: StaffDep) -> StaffContext:
    require_flight_access(staff)
    return staff


FlightReader = Annotated[StaffContext, Depends(flight_reader)]


def parse_flight_query(
    country: Annotated[SafeText | None, Query(max_length=2)] = None,
    status: FlightStatus | None = None,
    kind: FlightKind | None = None,
    mode: LegMode | None = None,
    page: Annotated[Page, Query()] = 1,
) -> FlightQuery:
    return FlightQuery(country=country or None, status=status, kind=kind, mode=mode, page=page)


def page_url(flight_id: int, q: str = "") -> str:
    """The check-in page, on the search the officer was on."""
    return f"/staff/checkin/{flight_id}" + (f"?{urlencode({'q': q})}" if q else "")


def flight_words(flight: Flight) -> dict[str, object]:
    """What every airport page says about the flight, in words."""
    return {
        "flight": flight,
        "flight_status": FLIGHT_STATUS_WORDS[flight.status],
        "seat_words": SEAT_STATUS_WORDS,
        "check_in_open": flight.status in CHECK_IN_OPEN,
        "boarding_open": flight.status in BOARDING_OPEN,
    }
