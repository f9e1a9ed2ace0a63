"""Every seated person's journey, one row per person per leg (``evac export journeys``).

For border authorities and for checking the planner from outside: who travels
on which leg, from where to where and when. Only live seats count (assigned,
confirmed, checked in, boarded); times are ISO 8601 in UTC, an arrival not
yet known is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlmodel import Session, col, select

from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight
from evac.registration.models import Person, Registration

JOURNEY_COLUMNS = (
    "reference",
    "document_number",
    "leg_number",
    "mode",
    "from",
    "to",
    "departure_time",
    "arrival_time",
    "stretcher",
)
BATCH = 2000


def _utc(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def journey_rows(session: Session) -> Iterator[list[str]]:
    """The rows in JOURNEY_COLUMNS order: by case, person, then legs in travel order."""
    statement = (
        select(
            Registration.reference,
            Person.document_number,
            Flight.flight_number,
            Flight.mode,
            Flight.departure_airport,
            Flight.destination_airport,
            Flight.departure_time,
            Flight.arrival_time,
            Assignment.uses_stretcher,
        )
        .join(Person, col(Person.id) == Assignment.person_id)
        .join(Registration, col(Registration.id) == Assignment.registration_id)
        .join(Flight, col(Flight.id) == Assignment.flight_id)
        .where(col(Assignment.status).in_(ACTIVE_ASSIGNMENT_STATUSES))
        .order_by(Registration.reference, Person.position, Flight.departure_time, Flight.id)
        .execution_options(yield_per=BATCH)
    )
    for row in session.exec(statement):
        reference, document, number, mode, origin, destination, departs, arrives, stretcher = row
        yield [
            reference,
            document,
            number,
            str(mode),
            origin,
            destination,
            _utc(departs),
            _utc(arrives),
            "Y" if stretcher else "N",
        ]
