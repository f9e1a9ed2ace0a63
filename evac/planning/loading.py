"""Reading the planner's input from the database as plain data, in bulk.

Only columns are read (no ORM objects), three queries in all, so that
70,000 people load in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.orm
from sqlmodel import Session

from evac.flights.models import AIR_MODES, Assignment, AssignmentStatus, Flight, FlightStatus
from evac.geo.airport_search import airport_kind
from evac.geo.airports import all_airports, get_airport
from evac.planning import data
from evac.registration.models import CaseStatus, DocumentType, Person, Registration
from evac.settings import Settings

# Cases the planner may seat or move, by EVAC_SEAT_REQUIRES.
PLANNABLE: dict[str, tuple[CaseStatus, ...]] = {
    "verified": (CaseStatus.verified, CaseStatus.assigned),
    "registered": (CaseStatus.registered, CaseStatus.verified, CaseStatus.assigned),
}
# Passengers in these states keep their seat whatever the plan says.
FIXED_ASSIGNMENTS = (
    AssignmentStatus.confirmed,
    AssignmentStatus.checked_in,
    AssignmentStatus.boarded,
)
PLANNABLE_FLIGHTS = (FlightStatus.planned, FlightStatus.open)


def policy_from(settings: Settings) -> data.Policy:
    return data.Policy(
        home_country=settings.home_country,
        max_airport_distance_km=settings.max_airport_distance_km,
        tcn_policy=data.TcnPolicy(settings.tcn_policy),
        standard_flight_seats=settings.standard_flight_seats,
        ambulance_stretchers=settings.ambulance_stretchers,
        ambulance_seats=settings.ambulance_seats,
    )


PLANE_READY = ("large", "medium")


@lru_cache(maxsize=1)
def candidate_airports() -> tuple[data.Airport, ...]:
    """The airports an extra plane may be sent to: those that take such planes
    (large or medium in OurAirports' classification); in a country without any,
    all of its airports."""
    every = all_airports()
    able = [a for a in every if airport_kind(a.iata) in PLANE_READY]
    served = {a.country for a in able}
    chosen = able + [a for a in every if a.country not in served]
    return tuple(
        data.Airport(a.iata, a.country, a.latitude, a.longitude)
        for a in sorted(chosen, key=lambda a: a.iata)
    )


def load_flights(session: Session, country: str | None) -> list[data.Flight]:
    # Legs by bus, ship or train are the journey planner's (issue #18), not this one's.
    statement = sa.select(Flight).where(
        Flight.status.in_([*PLANNABLE_FLIGHTS, FlightStatus.cancelled]),  # type: ignore[attr-defined]
        Flight.mode.in_(AIR_MODES),  # type: ignore[attr-defined]
    )
    if country:
        statement = statement.where(Flight.country == country)
    flights = []
    for flight in session.execute(statement).scalars():
        airport = get_airport(flight.departure_airport)
        if airport is None:
            continue
        flights.append(
            data.Flight(
                flight_id=flight.id,  # type: ignore[arg-type]
                flight_number=flight.flight_number,
                kind=data.FlightKind(flight.kind),
                departure_airport=flight.departure_airport,
                country=flight.country,
                latitude=airport.latitude,
                longitude=airport.longitude,
                departure_time=flight.departure_time,
                seats=flight.seats,
                stretchers=flight.stretchers,
                cancelled=flight.status == FlightStatus.cancelled,
            )
        )
    return flights


def _fixed_flights(session: Session, country: str | None) -> dict[int, int]:
    """Each household with seats it keeps: the first leg of its journey."""
    statement = (
        sa.select(Assignment.registration_id, Assignment.flight_id, Flight.departure_time)
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(Assignment.status.in_(FIXED_ASSIGNMENTS))  # type: ignore[attr-defined]
        .distinct()
        .order_by(
            Assignment.registration_id, Flight.departure_time.desc(), Assignment.flight_id.desc()
        )  # type: ignore[attr-defined]
    )
    if country:
        statement = statement.join(Registration, Registration.id == Assignment.registration_id)
        statement = statement.where(Registration.country == country)
    # The last row of each household wins: its first leg.
    return {row.registration_id: row.flight_id for row in session.execute(statement)}


def kept_on_later_legs(session: Session) -> dict[int, tuple[int, int]]:
    """Seats and stretchers kept on each leg by households for which it is a later leg of
    their journey: the planner core counts a kept household on its first leg only."""
    first_leg = (
        sa.select(
            Assignment.registration_id,
            sa.func.min(Flight.departure_time).label("departs"),
        )
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(Assignment.status.in_(FIXED_ASSIGNMENTS))  # type: ignore[attr-defined]
        .group_by(Assignment.registration_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Assignment.flight_id,
            sa.func.count().filter(Assignment.uses_stretcher.is_(False)),  # type: ignore[attr-defined]
            sa.func.count().filter(Assignment.uses_stretcher.is_(True)),  # type: ignore[attr-defined]
        )
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .join(first_leg, first_leg.c.registration_id == Assignment.registration_id)
        .where(
            Assignment.status.in_(FIXED_ASSIGNMENTS),  # type: ignore[attr-defined]
            Flight.departure_time > first_leg.c.departs,
        )
        .group_by(Assignment.flight_id)
    )
    return {flight_id: (seats, stretchers) for flight_id, seats, stretchers in rows}


MEMBER_COLUMNS = (
    Person.registration_id,
    Person.id,
    Person.date_of_birth,
    Person.nationality,
    Person.needs_stretcher,
    Person.needs_wheelchair,
    Person.needs_oxygen,
    Person.medical_urgency,
    Person.pregnant,
)


def _member(row: sa.Row) -> data.Member:
    return data.Member(
        person_id=row.id,
        date_of_birth=row.date_of_birth,
        nationality=row.nationality,
        needs_stretcher=row.needs_stretcher,
        needs_wheelchair=row.needs_wheelchair,
        needs_oxygen=row.needs_oxygen,
        medical_urgency=data.MedicalUrgency(row.medical_urgency),
        pregnant=row.pregnant,
    )


def seatable(seat_requires: str) -> sa.ColumnElement[bool]:
    """Cases the operation's rule lets the planner seat: the right status, no open flag."""
    return sa.and_(
        Registration.status.in_(PLANNABLE[seat_requires]),  # type: ignore[attr-defined]
        Registration.possible_duplicate_of_id.is_(None),  # type: ignore[union-attr]
        sa.not_(awaiting_travel_document()),
    )


def held_back(session: Session, country: str | None, seat_requires: str) -> dict[str, int]:
    """Households waiting to travel that the rule keeps off the plan, by reason."""
    waiting = Registration.status.in_(PLANNABLE["registered"])  # type: ignore[attr-defined]
    flagged = Registration.possible_duplicate_of_id.is_not(None)  # type: ignore[union-attr]
    no_document = sa.and_(awaiting_travel_document(), sa.not_(flagged))
    reasons = {
        "possible_duplicate": sa.and_(waiting, flagged),
        "no_travel_document": sa.and_(waiting, no_document),
    }
    if seat_requires == "verified":
        unverified = Registration.status == CaseStatus.registered
        reasons["not_verified"] = sa.and_(unverified, sa.not_(flagged), sa.not_(no_document))
    counts: dict[str, int] = {}
    for reason, condition in reasons.items():
        statement = sa.select(sa.func.count()).where(condition)
        if country:
            statement = statement.where(Registration.country == country)
        counts[reason] = session.execute(statement).scalar_one()
    return counts


def load_households(
    session: Session, country: str | None, seat_requires: str = "verified"
) -> list[data.Household]:
    fixed = _fixed_flights(session, country)
    scope = sa.or_(
        seatable(seat_requires),
        Registration.id.in_(list(fixed)) if fixed else sa.false(),  # type: ignore[union-attr]
    )
    if country:
        scope = sa.and_(scope, Registration.country == country)
    members: dict[int, list[data.Member]] = defaultdict(list)
    person_rows = session.execute(
        sa.select(*MEMBER_COLUMNS)
        .join(Registration, Registration.id == Person.registration_id)
        .where(scope)
        .order_by(Person.registration_id, Person.position)
    )
    for row in person_rows:
        members[row.registration_id].append(_member(row))
    case_rows = session.execute(
        sa.select(
            Registration.id,
            Registration.reference,
            Registration.country,
            Registration.latitude,
            Registration.longitude,
            Registration.registered_at,
            Registration.city,
        ).where(scope)
    )
    return [
        data.Household(rid, ref, cc, lat, lon, at, tuple(members[rid]), fixed.get(rid), city or "")
        for rid, ref, cc, lat, lon, at, city in case_rows
    ]


def awaiting_travel_document() -> sa.ColumnElement[bool]:
    """Someone in the case registered without a travel document: the planner seats the
    household only once an officer records an emergency travel document."""
    someone = sa.orm.aliased(Person)
    return (
        sa.exists()
        .where(
            someone.registration_id == Registration.id, someone.document_type == DocumentType.none
        )
        .correlate(Registration)
    )


def current_journeys(session: Session, country: str | None) -> dict[int, tuple[int, ...]]:
    """Each household's journey in the plan as it stands (seats not yet confirmed): its
    legs in travel order, one for a flight."""
    statement = (
        sa.select(Assignment.registration_id, Assignment.flight_id, Flight.departure_time)
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(Assignment.status == AssignmentStatus.assigned)
        .distinct()
        .order_by(Assignment.registration_id, Flight.departure_time, Assignment.flight_id)
    )
    if country:
        statement = statement.join(Registration, Registration.id == Assignment.registration_id)
        statement = statement.where(Registration.country == country)
    journeys: dict[int, tuple[int, ...]] = {}
    for row in session.execute(statement):
        journeys[row.registration_id] = (*journeys.get(row.registration_id, ()), row.flight_id)
    return journeys
