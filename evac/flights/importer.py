"""Importing flights from a CSV file, one flight per row.

Each row is checked with the same parser as the form and the API. A bad row is
reported with its line number and every reason, and the good rows are
imported: nothing is dropped silently. A flight number already used on the
same local departure date, in the database or on an earlier line of the file,
is an error too. Accepted rows are written in one transaction with one
``flight.create`` audit event each; a dry run checks the same way and writes
nothing. Only a file that cannot be read at all (not UTF-8, wrong header,
broken CSV) stops the import before any row is looked at.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evac.audit.service import IMPORT, record_events
from evac.csvfiles import ImportFileError, check_header
from evac.errors import Conflict, InvalidFields
from evac.flights.models import Flight
from evac.flights.schemas import parse_flight
from evac.flights.service import AUDIT_SUBJECT, DuplicateFlight, flight_values

HEADER = (
    "flight_number",
    "kind",
    "departure_airport",
    "destination_airport",
    "departure_time",
    "seats",
    "stretchers",
)
OPTIONAL_COLUMNS = ("meeting_point",)
QUERY_BATCH = 500

FlightKey = tuple[str, date]


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    dry_run: bool
    imported: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "rejected": self.rejected,
            "errors": [asdict(error) for error in self.errors],
        }


@dataclass(frozen=True)
class CsvFlight:
    line: int
    values: dict[str, Any]

    @property
    def key(self) -> FlightKey:
        return self.values["flight_number"], self.values["departure_date"]


def read_flights(lines: Iterable[str]) -> tuple[list[CsvFlight], list[RowError]]:
    """Parse every row; returns the valid flights and the errors of the others."""
    reader = csv.reader(lines)
    flights: list[CsvFlight] = []
    errors: list[RowError] = []
    try:
        columns = check_header(next(reader, None), HEADER, OPTIONAL_COLUMNS)
        next_line = reader.line_num + 1
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                reason = f"expected {len(columns)} values, found {len(record)}"
                errors.append(RowError(line, reason))
                continue
            try:
                data = parse_flight(dict(zip(columns, record, strict=True)))
            except InvalidFields as invalid:
                errors.append(RowError(line, invalid.one_line()))
                continue
            flights.append(CsvFlight(line, flight_values(data)))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {error}.") from None
    return flights, errors


def _existing_keys(session: Session, flights: list[CsvFlight]) -> set[FlightKey]:
    numbers = sorted({flight.values["flight_number"] for flight in flights})
    found: set[FlightKey] = set()
    for start in range(0, len(numbers), QUERY_BATCH):
        batch = numbers[start : start + QUERY_BATCH]
        found.update(
            session.exec(
                select(Flight.flight_number, Flight.departure_date).where(
                    Flight.flight_number.in_(batch)  # type: ignore[attr-defined]
                )
            ).all()
        )
    return found


def reject_duplicates(
    session: Session, flights: list[CsvFlight]
) -> tuple[list[CsvFlight], list[RowError]]:
    """Refuse a flight already in the database, or on an earlier line of the file."""
    existing = _existing_keys(session, flights)
    first_line: dict[FlightKey, int] = {}
    accepted: list[CsvFlight] = []
    errors: list[RowError] = []
    for flight in flights:
        number, day = flight.key
        if flight.key in existing:
            errors.append(RowError(flight.line, DuplicateFlight(number, day).render(str)))
        elif flight.key in first_line:
            reason = (
                f"Flight {number} on {day.isoformat()} is already on line {first_line[flight.key]}."
            )
            errors.append(RowError(flight.line, reason))
        else:
            first_line[flight.key] = flight.line
            accepted.append(flight)
    return accepted, errors


def _write(session: Session, flights: list[CsvFlight], actor: str) -> None:
    rows = [Flight(**flight.values) for flight in flights]
    session.add_all(rows)
    session.flush()
    record_events(
        session,
        [
            {
                "actor": actor,
                "action": "flight.create",
                "subject_type": AUDIT_SUBJECT,
                "subject_id": row.id,
                "after": flight.values,
            }
            for row, flight in zip(rows, flights, strict=True)
        ],
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Another user added one of these flights during the import; nothing was imported. "
            "Run the import again."
        ) from None


def import_flights_csv(
    session: Session, lines: Iterable[str], *, dry_run: bool, actor: str = IMPORT
) -> ImportReport:
    """Check every row of a CSV text and import the valid ones (unless ``dry_run``)."""
    flights, errors = read_flights(lines)
    accepted, duplicates = reject_duplicates(session, flights)
    if accepted and not dry_run:
        _write(session, accepted, actor)
    errors = sorted(errors + duplicates, key=lambda error: error.line)
    return ImportReport(
        dry_run=dry_run, imported=len(accepted), rejected=len(errors), errors=errors
    )
