"""What an officer's day holds, for the landing page of their missions: the legs
leaving today (flights, buses, ships, trains; each on its own place's local day),
the cases waiting for verification and the cases that need a person's attention
(medical needs, possible duplicates, children registered without an adult).

Everything is read through the scoping helpers (``readable_flights``,
``readable_cases``) and on indexed columns; lists are short, counts link to the
case list's filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from evac.cases.scope import readable_cases
from evac.flights.airport_list import ON_THE_FLIGHT
from evac.flights.models import Assignment, Flight, FlightStatus
from evac.flights.models import AssignmentStatus as Seat
from evac.flights.service import readable_flights
from evac.flights.times import departure_times, times_at
from evac.registration.models import CaseStatus, Person, Registration
from evac.registration.service import CLOSED_STATUSES
from evac.staff.auth import StaffContext

LISTED = 10  # cases listed under each heading; the counts link to the rest
ADULT_AGE = 18
# Every time zone's "today" lies within this much of UTC's now.
_DAY_REACH = timedelta(hours=38)


@dataclass(frozen=True)
class FlightToday:
    flight: Flight
    local_departure: datetime
    on_board: int
    checked_in: int


@dataclass(frozen=True)
class Attention:
    count: int
    cases: list[Registration]


@dataclass(frozen=True)
class Today:
    flights: list[FlightToday]
    waiting: Attention
    medical: Attention
    duplicates: Attention
    minors_alone: Attention


def todays_flights(session: Session, staff: StaffContext, now: datetime) -> list[FlightToday]:
    """Legs leaving on the local day of their departure place that holds ``now``."""
    statement = (
        readable_flights(staff)
        .where(
            col(Flight.departure_time) >= now - _DAY_REACH,
            col(Flight.departure_time) <= now + _DAY_REACH,
            col(Flight.status) != FlightStatus.cancelled,
        )
        .order_by(col(Flight.departure_time))
    )
    flights = [
        f
        for f in session.exec(statement)
        if departure_times(f).local.date() == times_at(now, f.departure_zone).local.date()
    ]
    counts = _seat_counts(session, [f.id for f in flights if f.id is not None])
    return [
        FlightToday(
            flight=f,
            local_departure=departure_times(f).local,
            on_board=sum(counts.get((f.id, s), 0) for s in ON_THE_FLIGHT if s != Seat.no_show),
            checked_in=counts.get((f.id, Seat.checked_in), 0) + counts.get((f.id, Seat.boarded), 0),
        )
        for f in flights
    ]


def _seat_counts(session: Session, flight_ids: list[int]) -> dict[tuple[int, str], int]:
    if not flight_ids:
        return {}
    rows = session.execute(
        sa.select(Assignment.flight_id, Assignment.status, sa.func.count())
        .where(col(Assignment.flight_id).in_(flight_ids), col(Assignment.status).in_(ON_THE_FLIGHT))
        .group_by(Assignment.flight_id, Assignment.status)
    )
    return {(flight_id, str(status)): n for flight_id, status, n in rows}


def _attention(session: Session, statement: SelectOfScalar[Registration]) -> Attention:
    """How many cases ``statement`` finds, and the ones waiting longest."""
    count = session.execute(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    oldest = statement.order_by(col(Registration.registered_at)).limit(LISTED)
    return Attention(count, list(session.exec(oldest)))


def officer_today(session: Session, staff: StaffContext, now: datetime, today: date) -> Today:
    cases = readable_cases(staff)
    open_cases = cases.where(col(Registration.status).not_in(CLOSED_STATUSES))
    adult_born_by = _years_before(today, ADULT_AGE)
    has_adult = (
        select(Person.id)
        .where(Person.registration_id == Registration.id)
        .where(col(Person.date_of_birth) <= adult_born_by)
        .exists()
    )
    return Today(
        flights=todays_flights(session, staff, now),
        waiting=_attention(session, cases.where(Registration.status == CaseStatus.registered)),
        medical=_attention(session, open_cases.where(col(Registration.has_medical_need))),
        duplicates=_attention(
            session,
            open_cases.where(col(Registration.possible_duplicate_of_id).is_not(None)),
        ),
        minors_alone=_attention(
            session, open_cases.where(col(Registration.people_count) > 0, ~has_adult)
        ),
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
