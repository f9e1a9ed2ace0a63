"""Where people wait, city by city, and where flights leave from: the map's data.

One grouped query each. A city's position is the mean of its waiting
households' positions; households that gave no position are counted in the
tables but cannot be put on the map.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.flights.models import AIR_MODES, Flight, FlightStatus
from evac.geo.airports import Airport, get_airport
from evac.missions.models import Mission, MissionCountry
from evac.registration.models import CaseStatus, Person, Registration

WAITING = (CaseStatus.registered, CaseStatus.verified)
# Flights still to leave, shown at their departure airport.
UPCOMING = (FlightStatus.planned, FlightStatus.open, FlightStatus.closed)


@dataclass(frozen=True)
class WaitingPlace:
    country: str
    city: str
    """Empty when the households gave no city."""
    people: int
    households: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class DepartureAirport:
    airport: Airport
    flights: int
    seats: int
    next_departure: datetime


def waiting_places(session: Session, country: str | None = None) -> list[WaitingPlace]:
    """People waiting (registered or verified), grouped by country and city, most first."""
    query = (
        sa.select(
            Registration.country,
            Registration.city,
            sa.func.count(),
            sa.func.count(sa.distinct(Registration.id)),
            sa.func.avg(Registration.latitude),
            sa.func.avg(Registration.longitude),
        )
        .select_from(Person)
        .join(Registration, col(Registration.id) == Person.registration_id)
        .where(col(Registration.status).in_(WAITING))
        .group_by(Registration.country, Registration.city)
    )
    if country:
        query = query.where(Registration.country == country)
    places = [
        WaitingPlace(
            code,
            city or "",
            int(people),
            int(households),
            float(lat) if lat is not None else None,
            float(lon) if lon is not None else None,
        )
        for code, city, people, households, lat, lon in session.execute(query)
    ]
    return sorted(places, key=lambda p: (-p.people, p.country, p.city))


def departure_airports(session: Session, country: str | None = None) -> list[DepartureAirport]:
    """Airports with flights still to leave, with their count and seats."""
    query = (
        sa.select(
            Flight.departure_airport,
            sa.func.count(),
            sa.func.sum(Flight.seats),
            sa.func.min(Flight.departure_time),
        )
        .where(col(Flight.status).in_(UPCOMING), col(Flight.mode).in_(AIR_MODES))
        .group_by(Flight.departure_airport)
    )
    if country:
        query = query.where(Flight.country == country)
    found = []
    for code, flights, seats, first in session.execute(query):
        airport = get_airport(code)
        if airport is not None:
            found.append(DepartureAirport(airport, int(flights), int(seats or 0), first))
    return sorted(found, key=lambda a: (-a.flights, a.airport.iata))


def country_flights(session: Session, country: str, limit: int = 100) -> list[Flight]:
    """The country's flights, soonest first (cancelled ones last)."""
    cancelled = sa.case((col(Flight.status) == FlightStatus.cancelled, 1), else_=0)
    statement = (
        select(Flight)
        .where(Flight.country == country)
        .order_by(cancelled, col(Flight.departure_time), col(Flight.id))
        .limit(limit)
    )
    return list(session.exec(statement))


def covering_missions(session: Session, country: str) -> list[Mission]:
    """The missions whose cover includes the country."""
    statement = (
        select(Mission)
        .join(MissionCountry, col(MissionCountry.mission_id) == Mission.id)
        .where(MissionCountry.country == country)
        .order_by(col(Mission.name))
    )
    return list(session.exec(statement))
