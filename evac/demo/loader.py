"""Loading the demo's missions, flights and households into the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from evac.audit.service import SYSTEM, record_event
from evac.demo.generator import (
    DemoFlight,
    DemoHousehold,
    DemoMission,
    generate_demo_flights,
    generate_households,
    load_demo_missions,
)
from evac.demo.operations import legs_csv, places_csv
from evac.errors import Conflict
from evac.flights.importer import LEGS, locate, read_flights
from evac.flights.models import Flight, FlightKind, FlightStatus, mode_for_kind
from evac.flights.schemas import FlightCreate
from evac.flights.service import airport_leg_values
from evac.missions.models import Mission, MissionCountry
from evac.paths import SEED_DIR
from evac.places.importer import read_places
from evac.places.models import Place
from evac.places.service import place_values
from evac.registration.flags import compute_case_flags
from evac.registration.models import Person, Registration
from evac.registration.normalize import document_key, fold, name_key
from evac.registration.passport_names import suggest_passport_name
from evac.registration.reference import new_access_token, new_reference
from evac.tokens import hash_token

CHUNK = 2000


@dataclass(frozen=True)
class SeedSummary:
    missions: int
    flights: int
    households: int
    people: int


def seed_demo(
    session: Session,
    *,
    people: int,
    seed: int,
    today: date,
    home_country: str,
    flights: tuple[int, int] | None = None,
) -> SeedSummary:
    """Fill an empty database with demo missions, flights and households.

    ``flights`` is (regular, ambulance); by default a few, deliberately fewer
    seats than people, so that the planner has to recommend more planes.
    """
    existing = session.exec(select(func.count()).select_from(Registration)).one()
    if existing:
        raise Conflict(f"the database already has {existing} registrations; seed an empty database")
    missions = load_demo_missions(SEED_DIR / "missions.csv")
    _insert_missions(session, missions)
    if flights is None:
        planned = generate_demo_flights(missions, today, seed, people=people)
    else:
        planned = generate_demo_flights(
            missions, today, seed, regular=flights[0], ambulance=flights[1]
        )
    _insert_flights(session, planned)
    legs = _insert_operations(session, today)
    households = generate_households(missions, people, seed, today, home_country)
    household_count, person_count = _insert_households(
        session, households, today=today, home_country=home_country
    )
    summary = SeedSummary(len(missions), len(planned) + legs, household_count, person_count)
    record_event(
        session,
        actor=SYSTEM,
        action="demo.seed",
        subject_type="database",
        subject_id="demo",
        after={"seed": seed, **summary.__dict__},
    )
    return summary


def _insert_missions(session: Session, missions: list[DemoMission]) -> None:
    for demo in missions:
        session.add(
            Mission(
                code=demo.code,
                name=demo.name,
                kind=demo.kind,
                country=demo.country,
                city=demo.city,
                latitude=demo.latitude,
                longitude=demo.longitude,
                coverage=[MissionCountry(country=cc) for cc in demo.covers],
            )
        )
    session.flush()


def _insert_flights(session: Session, flights: list[DemoFlight]) -> None:
    for demo in flights:
        data = FlightCreate(
            flight_number=demo.flight_number,
            mode=mode_for_kind(FlightKind(demo.kind)),
            departure_airport=demo.departure_airport,
            destination_airport=demo.destination_airport,
            departure_time=demo.departure_time,
            seats=demo.seats,
            stretchers=demo.stretchers,
        )
        session.add(Flight(**airport_leg_values(data), status=FlightStatus.open))
    session.flush()


def _insert_operations(session: Session, today: date) -> int:
    """The Sudan-like and Ukraine-like operations' places and legs; how many legs.

    They go through the parsers of ``evac import places`` and ``evac import
    legs``, so the demo holds nothing those would refuse.
    """
    places, errors = read_places(places_csv())
    session.add_all([Place(**place_values(place.data)) for place in places])
    session.flush()
    rows, row_errors = read_flights(legs_csv(today), LEGS)
    legs, place_errors = locate(session, rows, LEGS)
    refused = errors + row_errors + place_errors
    if refused:
        raise AssertionError(f"the demo's operations are refused: {refused}")
    session.add_all([Flight(**leg.values, status=FlightStatus.open) for leg in legs])
    session.flush()
    return len(legs)


def _chunks(items: Iterable[DemoHousehold], size: int) -> Iterator[list[DemoHousehold]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_households(
    session: Session, households: Iterable[DemoHousehold], *, today: date, home_country: str
) -> tuple[int, int]:
    household_count = person_count = 0
    for chunk in _chunks(households, CHUNK):
        rows = [
            {
                **_registration_row(household),
                **asdict(
                    compute_case_flags(household.members, today=today, home_country=home_country)
                ),
            }
            for household in chunk
        ]
        ids = (
            session.execute(
                sa.insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
                rows,
            )
            .scalars()
            .all()
        )
        people = [
            _person_row(registration_id, position, member)
            for registration_id, household in zip(ids, chunk, strict=True)
            for position, member in enumerate(household.members)
        ]
        session.execute(sa.insert(Person), people)
        household_count += len(chunk)
        person_count += len(people)
    return household_count, person_count


def _registration_row(household: DemoHousehold) -> dict[str, Any]:
    return {
        "reference": new_reference(),
        "external_reference": household.household_ref,
        "phone": household.phone,
        "email": household.email,
        "language": household.language,
        "country": household.country,
        "city": household.city,
        "latitude": household.latitude,
        "longitude": household.longitude,
        "status": household.status,
        "registered_at": household.registered_at,
        "updated_at": household.registered_at,
        "access_token_hash": hash_token(new_access_token()),
        "consent_processing": True,
        "consent_share_with_own_mission": True,
        "row_version": 1,
    }


def _person_row(registration_id: int, position: int, member: Any) -> dict[str, Any]:
    return {
        "registration_id": registration_id,
        "position": position,
        "given_name": member.given_name,
        "family_name": member.family_name,
        "name_key": name_key(member.given_name, member.family_name),
        "family_name_key": fold(member.family_name),
        "passport_surname": suggest_passport_name(member.family_name),
        "passport_given_names": suggest_passport_name(member.given_name),
        "date_of_birth": member.date_of_birth,
        "sex": member.sex,
        "nationality": member.nationality,
        "document_type": member.document_type,
        "document_number": member.document_number,
        "document_number_key": document_key(member.document_number),
        "document_country": member.document_country,
        "document_expiry": member.document_expiry,
        "needs_stretcher": member.needs_stretcher,
        "needs_wheelchair": member.needs_wheelchair,
        "needs_oxygen": member.needs_oxygen,
        "medical_urgency": member.medical_urgency,
        "pregnant": member.pregnant,
    }
