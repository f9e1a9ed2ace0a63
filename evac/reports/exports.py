"""Reports for the ministry and for other governments, as CSV or XLSX.

Every report starts from the same scoping as the pages: an officer's exports
hold only their missions' countries. Rows are produced lazily; CSV streams
them, XLSX writes them into a temporary file (both through evac.spreadsheet).
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session

from evac.cases.scope import readable_cases
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight
from evac.registration.models import CaseStatus, Person, Registration
from evac.staff.auth import StaffContext

FLIGHT_COLUMNS = (
    "flight_number", "kind", "status", "country", "departure_airport", "destination_airport",
    "departure_time", "seats", "seats_used", "stretchers", "stretchers_used",
    "citizens", "third_country_nationals",
)  # fmt: skip
TCN_COLUMNS = ("nationality", "people", "households", "countries_of_presence", "boarded", "arrived")


def flight_rows(session: Session, staff: StaffContext, home_country: str) -> Iterator[list[object]]:
    """Per flight: capacity, use, and who is on board (citizens or not)."""
    active = Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)  # type: ignore[attr-defined]
    on_seat = sa.and_(active, sa.not_(Assignment.uses_stretcher))
    on_stretcher = sa.and_(active, Assignment.uses_stretcher)
    citizen = sa.and_(active, Person.nationality == home_country)
    foreign = sa.and_(active, Person.nationality != home_country)
    statement = (
        sa.select(
            Flight,
            sa.func.count(sa.case((on_seat, 1))).label("seats_used"),
            sa.func.count(sa.case((on_stretcher, 1))).label("stretchers_used"),
            sa.func.count(sa.case((citizen, 1))).label("citizens"),
            sa.func.count(sa.case((foreign, 1))).label("foreigners"),
        )
        .outerjoin(Assignment, Assignment.flight_id == Flight.id)
        .outerjoin(Person, Person.id == Assignment.person_id)
        .group_by(Flight.id)
        .order_by(Flight.departure_time, Flight.flight_number)
    )
    if not staff.sees_all_countries:
        statement = statement.where(Flight.country.in_(staff.countries))  # type: ignore[attr-defined]
    for flight, seats_used, stretchers_used, citizens, foreigners in session.execute(statement):
        yield [
            flight.flight_number, flight.kind, flight.status, flight.country,
            flight.departure_airport, flight.destination_airport,
            flight.departure_time.isoformat(), flight.seats, seats_used, flight.stretchers,
            stretchers_used, citizens, foreigners,
        ]  # fmt: skip


def tcn_rows(session: Session, staff: StaffContext, home_country: str) -> Iterator[list[object]]:
    """Third-country nationals by nationality: for their governments."""
    cases = readable_cases(staff).with_only_columns(Registration.id).subquery()
    boarded = Registration.status == CaseStatus.boarded
    arrived = Registration.status == CaseStatus.arrived
    statement = (
        sa.select(
            Person.nationality,
            sa.func.count(Person.id),
            sa.func.count(sa.distinct(Person.registration_id)),
            sa.func.count(sa.distinct(Registration.country)),
            sa.func.count(sa.case((boarded, 1))),
            sa.func.count(sa.case((arrived, 1))),
        )
        .join(Registration, Registration.id == Person.registration_id)
        .join(cases, cases.c.id == Registration.id)
        .where(Person.nationality != home_country)
        .group_by(Person.nationality)
        .order_by(sa.func.count(Person.id).desc(), Person.nationality)
    )
    for row in session.execute(statement):
        yield list(row)
