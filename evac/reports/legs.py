"""The legs a coordinator follows on the map, and the people on each: the data.

``map_legs`` picks the legs a country's map shows: those that leave from it or
arrive in it, then hop by hop the legs that continue from where those arrive
(leaving after the first of them gets there), so that a chain leaving Sudan by
bus is followed to the ship, the bus in Jeddah and the flights home. It stops
at the home country: flights that leave it are no part of an evacuation.

``people_by_leg`` and ``legs_in_transit`` count the live seats on each leg, and
who of their holders checked in or boarded, in one grouped query. Every query
starts from the caller's scope (``evac.flights.service.readable_flights``), so
an officer sees only the legs leaving their missions' countries.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight, FlightStatus
from evac.flights.models import AssignmentStatus as Seat
from evac.places.service import ResolvedPlace, resolve_places

# Legs still to travel or under way; arrived and cancelled ones are history.
SHOWN = (FlightStatus.planned, FlightStatus.open, FlightStatus.closed, FlightStatus.departed)
MAX_HOPS = 6
MAX_LEGS = 300


@dataclass(frozen=True)
class LegPeople:
    """People holding a live seat on a leg, and those of them checked in or aboard."""

    seated: int = 0
    checked_in: int = 0
    boarded: int = 0


def _counts() -> sa.Select:  # type: ignore[type-arg]
    return (
        sa.select(
            col(Assignment.flight_id).label("flight_id"),
            sa.func.count().label("seated"),
            sa.func.count().filter(col(Assignment.status) == Seat.checked_in).label("checked_in"),
            sa.func.count().filter(col(Assignment.status) == Seat.boarded).label("boarded"),
        )
        .where(col(Assignment.status).in_(ACTIVE_ASSIGNMENT_STATUSES))
        .group_by(col(Assignment.flight_id))
    )


def people_by_leg(session: Session, flight_ids: Collection[int]) -> dict[int, LegPeople]:
    """Leg id → its people, for the legs that have any."""
    if not flight_ids:
        return {}
    query = _counts().where(col(Assignment.flight_id).in_(sorted(flight_ids)))
    return {
        flight_id: LegPeople(int(seated), int(checked_in), int(boarded))
        for flight_id, seated, checked_in, boarded in session.execute(query)
    }


def _scoped(scope: SelectOfScalar[Flight]) -> SelectOfScalar[Flight]:
    return scope.where(col(Flight.status).in_(SHOWN))


def legs_in_transit(
    session: Session, scope: SelectOfScalar[Flight], limit: int = 200
) -> list[tuple[Flight, LegPeople]]:
    """Legs under way, or with anyone checked in or aboard, by country and departure."""
    counts = _counts().subquery()
    query = (
        _scoped(scope)
        .add_columns(counts.c.seated, counts.c.checked_in, counts.c.boarded)
        .join(counts, counts.c.flight_id == Flight.id)
        .where(
            sa.or_(
                col(Flight.status) == FlightStatus.departed,
                counts.c.checked_in + counts.c.boarded > 0,
            )
        )
        .order_by(col(Flight.country), col(Flight.departure_time), col(Flight.id))
        .limit(limit)
    )
    return [
        (leg, LegPeople(int(seated), int(checked_in), int(boarded)))
        for leg, seated, checked_in, boarded in session.execute(query)
    ]


def _arriving_codes(session: Session, scope: SelectOfScalar[Flight], country: str) -> list[str]:
    """The places of ``country`` that shown legs arrive at."""
    codes = session.exec(
        _scoped(scope).with_only_columns(col(Flight.destination_airport)).distinct()
    ).all()
    places = resolve_places(session, codes)  # type: ignore[arg-type]
    return [code for code, place in places.items() if place.country == country]


def _onward(
    session: Session, scope: SelectOfScalar[Flight], ready: dict[str, datetime], seen: set[int]
) -> list[Flight]:
    """The legs leaving the places of ``ready`` after the first arrival there."""
    statement = _scoped(scope).where(col(Flight.departure_airport).in_(sorted(ready)))
    return [
        leg
        for leg in session.exec(statement.order_by(col(Flight.departure_time)))
        if leg.id not in seen and leg.departure_time >= ready[leg.departure_airport]
    ]


def map_legs(
    session: Session, scope: SelectOfScalar[Flight], country: str, home: str = ""
) -> tuple[list[Flight], dict[str, ResolvedPlace]]:
    """The legs of ``country``'s map in departure order, and their places by code."""
    arriving = _arriving_codes(session, scope, country)
    first = _scoped(scope).where(
        sa.or_(Flight.country == country, col(Flight.destination_airport).in_(arriving))
    )
    legs = list(session.exec(first.limit(MAX_LEGS)))
    seen = {leg.id for leg in legs if leg.id is not None}
    places = resolve_places(session, _codes(legs))
    new = legs
    for _ in range(MAX_HOPS):
        ready: dict[str, datetime] = {}
        for leg in new:
            place = places.get(leg.destination_airport)
            if place is None or place.country in (home, country):
                continue
            when = leg.arrival_time or leg.departure_time
            ready[leg.destination_airport] = min(when, ready.get(leg.destination_airport, when))
        new = _onward(session, scope, ready, seen)[: MAX_LEGS - len(legs)] if ready else []
        if not new:
            break
        legs += new
        seen |= {leg.id for leg in new if leg.id is not None}
        places |= resolve_places(session, _codes(new))
    legs.sort(key=lambda leg: (leg.departure_time, leg.flight_number))
    return legs, places


def _codes(legs: Collection[Flight]) -> set[str]:
    return {code for leg in legs for code in (leg.departure_airport, leg.destination_airport)}
