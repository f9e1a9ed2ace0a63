"""A flight's manifest: its passengers grouped by household, with the counts crews need."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight
from evac.flights.paxlst import PaxFlight, PaxPassenger, paxlst_interchange
from evac.places.service import ResolvedPlace, resolve_places
from evac.registration.models import Person, Registration

MANIFEST_COLUMNS = (
    "flight_number", "departure_airport", "departure_time", "reference", "family_name",
    "given_name", "date_of_birth", "sex", "nationality", "document_type", "document_number",
    "document_country", "document_expiry", "citizen", "stretcher", "status",
    "passport_surname", "passport_given_names",
)  # fmt: skip


@dataclass(frozen=True)
class Passenger:
    person: Person
    assignment: Assignment


@dataclass
class HouseholdOnBoard:
    case: Registration
    passengers: list[Passenger] = field(default_factory=list)


@dataclass(frozen=True)
class Manifest:
    flight: Flight
    households: list[HouseholdOnBoard]
    home_country: str
    departure_place: ResolvedPlace | None = None
    """Where the leg leaves from (its name and clocks); None for an unknown code."""
    destination_place: ResolvedPlace | None = None

    @property
    def passengers(self) -> list[Passenger]:
        return [p for h in self.households for p in h.passengers]

    @property
    def seats_used(self) -> int:
        return sum(not p.assignment.uses_stretcher for p in self.passengers)

    @property
    def stretchers_used(self) -> int:
        return sum(p.assignment.uses_stretcher for p in self.passengers)

    @property
    def citizens(self) -> int:
        return sum(p.person.nationality == self.home_country for p in self.passengers)

    @property
    def medical(self) -> list[Passenger]:
        return [
            p
            for p in self.passengers
            if p.person.needs_stretcher
            or p.person.needs_wheelchair
            or p.person.needs_oxygen
            or p.person.pregnant
            or p.person.medical_urgency != "none"
        ]


def _rows(
    session: Session, flight_ids: list[int]
) -> Iterator[tuple[Assignment, Person, Registration]]:
    statement = (
        select(Assignment, Person, Registration)
        .join(Person, Person.id == Assignment.person_id)  # type: ignore[arg-type]
        .join(Registration, Registration.id == Assignment.registration_id)  # type: ignore[arg-type]
        .where(
            Assignment.flight_id.in_(flight_ids),  # type: ignore[attr-defined]
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
        )
        .order_by(Assignment.flight_id, Person.family_name, Registration.reference, Person.position)
        .execution_options(yield_per=2000)
    )
    yield from session.exec(statement)  # type: ignore[misc]


def build_manifest(session: Session, flight: Flight, home_country: str) -> Manifest:
    households: dict[int, HouseholdOnBoard] = {}
    for assignment, person, case in _rows(session, [flight.id]):  # type: ignore[list-item]
        households.setdefault(case.id, HouseholdOnBoard(case)).passengers.append(  # type: ignore[arg-type]
            Passenger(person, assignment)
        )
    codes = [flight.departure_airport, flight.destination_airport]
    places = resolve_places(session, codes)
    origin, destination = (places.get(code) for code in codes)
    return Manifest(flight, list(households.values()), home_country, origin, destination)


def manifest_csv_rows(
    session: Session, flights: list[Flight], home_country: str
) -> Iterator[list[str]]:
    """One row per passenger, in MANIFEST_COLUMNS order, streamed."""
    by_id = {f.id: f for f in flights}
    for assignment, person, case in _rows(session, list(by_id)):  # type: ignore[arg-type]
        flight = by_id[assignment.flight_id]
        yield [
            flight.flight_number,
            flight.departure_airport,
            flight.departure_time.isoformat(),
            case.reference,
            person.family_name,
            person.given_name,
            person.date_of_birth.isoformat(),
            person.sex,
            person.nationality,
            person.document_type,
            person.document_number,
            person.document_country,
            person.document_expiry.isoformat() if person.document_expiry else "",
            "Y" if person.nationality == home_country else "N",
            "Y" if assignment.uses_stretcher else "N",
            assignment.status,
            person.passport_surname or "",
            person.passport_given_names or "",
        ]


def flights_by_number(session: Session, flight_number: str | None) -> list[Flight]:
    statement = select(Flight).order_by(Flight.departure_time, Flight.flight_number)
    if flight_number:
        statement = statement.where(
            sa.func.upper(Flight.flight_number) == flight_number.strip().upper()
        )
    return list(session.exec(statement).all())


def paxlst_for(manifests: list[Manifest], *, generated_at: datetime) -> str:
    """The manifests as one PAXLST interchange for border authorities.

    Raises PaxlstRefused, naming the cases to fix, if a passenger has no
    passport name or one that UNOA cannot carry.
    """
    flights = [(_pax_flight(m.flight), _pax_passengers(m)) for m in manifests]
    reference = generated_at.strftime("%y%m%d%H%M%S")
    return paxlst_interchange(
        flights,
        sender="EVAC",
        recipient="BORDER",
        control_reference=reference,
        generated_at=generated_at,
    )


def _pax_flight(flight: Flight) -> PaxFlight:
    return PaxFlight(
        flight.flight_number,
        flight.departure_airport,
        flight.destination_airport,
        flight.departure_time,
        flight.arrival_time,
        str(flight.mode),
    )


def _pax_passengers(manifest: Manifest) -> list[PaxPassenger]:
    return [
        PaxPassenger(
            reference=household.case.reference,
            surname=p.person.passport_surname,
            given_names=p.person.passport_given_names,
            sex=p.person.sex,
            date_of_birth=p.person.date_of_birth,
            nationality=p.person.nationality,
            document_type=p.person.document_type,
            document_number=p.person.document_number,
            document_country=p.person.document_country,
            document_expiry=p.person.document_expiry,
        )
        for household in manifest.households
        for p in household.passengers
    ]
