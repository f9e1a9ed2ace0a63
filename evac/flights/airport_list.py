"""Who is on a flight, household by household, as the airport page shows them.

Each person with the name printed in the passport's machine-readable zone, the
date of birth and the document number, so that the officer can compare them
with the passport in hand. Search is on the server (the page works without
JavaScript) by reference, document number or name, in any script.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.flights.models import Assignment, Flight
from evac.flights.models import AssignmentStatus as Seat
from evac.registration.models import CaseStatus, Person, Registration
from evac.registration.normalize import document_key, fold
from evac.registration.reference import normalize_reference

# Households shown at once; the search finds the others.
PAGE_SIZE = 50
ON_THE_FLIGHT = (Seat.assigned, Seat.confirmed, Seat.checked_in, Seat.boarded, Seat.no_show)
EXPECTED = (Seat.assigned, Seat.confirmed)
_KEY_END = "\U0010ffff"
_LOOKS_LIKE_A_REFERENCE = re.compile(r"^[0-9A-Z]{4}-?[0-9A-Z]{4}$")


@dataclass(frozen=True)
class Traveller:
    person_id: int
    case_id: int
    reference: str
    passport_name: str
    typed_name: str
    date_of_birth: date
    document_number: str
    seat: Seat

    @property
    def expected(self) -> bool:
        return self.seat in EXPECTED


@dataclass
class Household:
    case_id: int
    reference: str
    status: CaseStatus
    row_version: int
    people: list[Traveller] = field(default_factory=list)

    @property
    def can_board(self) -> bool:
        return any(person.seat == Seat.checked_in for person in self.people)

    @property
    def expected(self) -> int:
        return sum(person.expected for person in self.people)


@dataclass(frozen=True)
class AirportList:
    households: list[Household]
    total: int
    query: str
    # The query was typed but nothing matched; ``reference_typo``: it has the shape of
    # a reference whose check letter does not match, so one symbol is mistyped.
    unmatched: bool = False
    reference_typo: bool = False


def passport_name(person: Person) -> str:
    """SURNAME, GIVEN NAMES as in the passport; the name as typed if none was recorded."""
    if person.passport_surname:
        return ", ".join(filter(None, [person.passport_surname, person.passport_given_names]))
    return f"{person.family_name}, {person.given_name}"


def households_on(session: Session, flight: Flight, query: str = "") -> AirportList:
    """The flight's households (those matching ``query``, if given), by reference."""
    query = query.strip()
    on_flight = select(Assignment.registration_id).where(
        Assignment.flight_id == flight.id, col(Assignment.status).in_(ON_THE_FLIGHT)
    )
    total = session.execute(
        sa.select(sa.func.count(sa.distinct(Assignment.registration_id))).where(
            Assignment.flight_id == flight.id, col(Assignment.status).in_(ON_THE_FLIGHT)
        )
    ).scalar_one()
    statement = select(Registration).where(col(Registration.id).in_(on_flight))
    if query:
        statement = statement.where(_matches(query))
    cases = list(session.exec(statement.order_by(col(Registration.reference)).limit(PAGE_SIZE)))
    households = _with_people(session, flight, cases)
    unmatched = bool(query) and not households
    compact = query.upper().replace(" ", "")
    typo = unmatched and bool(_LOOKS_LIKE_A_REFERENCE.match(compact)) and not _valid(compact)
    return AirportList(households, total, query, unmatched, typo)


def matching_households(session: Session, flight: Flight, query: str) -> set[int]:
    """The ids of the flight's households whose reference, or one of whose travellers'
    document number or names, matches ``query``: read through the flight's seats
    (``ix_assignment_flight_status``), so a search never scans every case."""
    query = query.strip()
    if not query:
        return set()
    statement = (
        select(Assignment.registration_id)
        .join(Person, col(Person.id) == Assignment.person_id)
        .join(Registration, col(Registration.id) == Assignment.registration_id)
        .where(
            Assignment.flight_id == flight.id,
            col(Assignment.status).in_(ON_THE_FLIGHT),
            _traveller_matches(query),
        )
        .distinct()
    )
    return set(session.exec(statement))


def _traveller_matches(query: str) -> sa.ColumnElement[bool]:
    """The joined row's reference, document number or one of its names (in any script)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if reference := normalize_reference(query):
        conditions.append(col(Registration.reference) == reference)
    if doc := document_key(query):
        conditions.append(col(Person.document_number_key) == doc)
    if key := fold(query):
        latin = key.upper()
        conditions += [
            _prefix(col(Person.name_key), key),
            _prefix(col(Person.family_name_key), key),
            _prefix(col(Person.passport_surname), latin),
            _prefix(col(Person.passport_given_names), latin),
        ]
    return sa.or_(*conditions) if conditions else sa.false()


def people_on(
    session: Session, flight: Flight, seats: Collection[Seat], case_ids: Collection[int] = ()
) -> list[Traveller]:
    """Everyone whose seat on ``flight`` is in ``seats`` (of ``case_ids`` only, if given)."""
    statement = (
        select(Assignment, Person, Registration.reference)
        .join(Person, col(Person.id) == Assignment.person_id)
        .join(Registration, col(Registration.id) == Assignment.registration_id)
        .where(Assignment.flight_id == flight.id, col(Assignment.status).in_(seats))
        .order_by(col(Registration.reference), col(Person.position), col(Person.id))
    )
    if case_ids:
        statement = statement.where(col(Assignment.registration_id).in_(case_ids))
    return [
        _traveller(seat, person, reference) for seat, person, reference in session.exec(statement)
    ]


def _traveller(seat: Assignment, person: Person, reference: str) -> Traveller:
    return Traveller(
        person_id=person.id,  # type: ignore[arg-type]
        case_id=seat.registration_id,
        reference=reference,
        passport_name=passport_name(person),
        typed_name=f"{person.given_name} {person.family_name}",
        date_of_birth=person.date_of_birth,
        document_number=person.document_number,
        seat=Seat(seat.status),
    )


def _with_people(session: Session, flight: Flight, cases: list[Registration]) -> list[Household]:
    households = {
        case.id: Household(case.id, case.reference, CaseStatus(case.status), case.row_version)  # type: ignore[arg-type]
        for case in cases
    }
    if not households:
        return []
    for seat, person, _ in session.exec(
        select(Assignment, Person, Registration.reference)
        .join(Person, col(Person.id) == Assignment.person_id)
        .join(Registration, col(Registration.id) == Assignment.registration_id)
        .where(
            Assignment.flight_id == flight.id,
            col(Assignment.status).in_(ON_THE_FLIGHT),
            col(Assignment.registration_id).in_(list(households)),
        )
        .order_by(col(Person.position), col(Person.id))
    ):
        household = households[seat.registration_id]
        household.people.append(_traveller(seat, person, household.reference))
    return list(households.values())


def _matches(query: str) -> sa.ColumnElement[bool]:
    """The case's reference, or one of its people's document number or names."""
    conditions: list[sa.ColumnElement[bool]] = []
    if reference := normalize_reference(query):
        conditions.append(col(Registration.reference) == reference)
    person: list[sa.ColumnElement[bool]] = []
    if doc := document_key(query):
        person.append(col(Person.document_number_key) == doc)
    if key := fold(query):
        latin = key.upper()
        person += [
            _prefix(col(Person.name_key), key),
            _prefix(col(Person.family_name_key), key),
            _prefix(col(Person.passport_surname), latin),
            _prefix(col(Person.passport_given_names), latin),
        ]
    if person:
        people = select(Person.registration_id).where(sa.or_(*person))
        conditions.append(col(Registration.id).in_(people))
    return sa.or_(*conditions) if conditions else sa.false()


def _prefix(column: sa.ColumnElement[str | None], key: str) -> sa.ColumnElement[bool]:
    return sa.and_(column >= key, column < key + _KEY_END)


def _valid(compact: str) -> bool:
    return normalize_reference(compact) is not None
