"""Importing flights, or legs of any mode, from a CSV file, one per row.

Two layouts: ``evac import flights`` (``FLIGHTS``: airports, a kind) and
``evac import legs`` (``LEGS``: a mode, place codes, an optional arrival time).
Each row is checked with the same parser as the form and the API, and its ends
must be airports or recorded places. A bad row is
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
from evac.errors import Conflict, InvalidFields, Problem
from evac.flights.models import Flight
from evac.flights.schemas import FlightCreate, parse_flight
from evac.flights.service import AUDIT_SUBJECT, DuplicateFlight, flight_values, place_problems
from evac.places.service import ResolvedPlace, resolve_places

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


@dataclass(frozen=True)
class CsvLayout:
    """A file's columns, and the leg field each one fills when its name differs."""

    header: tuple[str, ...]
    optional: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)

    def field_of(self, column: str) -> str:
        return self.fields.get(column, column)

    def column_of(self, name: str) -> str:
        return next((c for c, f in self.fields.items() if f == name), name)

    def reason(self, problems: list[Problem]) -> str:
        """The problems on one line, each under the file's own column name."""
        return "; ".join(
            f"{self.column_of(p.field_name)}: {p.render().rstrip('.')}" for p in problems
        )


FLIGHTS = CsvLayout(HEADER, OPTIONAL_COLUMNS)
LEGS = CsvLayout(
    (
        "number",
        "mode",
        "from",
        "to",
        "departure_time",
        "arrival_time",
        "seats",
        "stretchers",
    ),
    OPTIONAL_COLUMNS,
    {"number": "flight_number", "from": "departure_airport", "to": "destination_airport"},
)

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


@dataclass(frozen=True)
class CsvRow:
    line: int
    data: FlightCreate


def read_flights(
    lines: Iterable[str], layout: CsvLayout = FLIGHTS
) -> tuple[list[CsvRow], list[RowError]]:
    """Parse every row; returns the valid legs and the errors of the others."""
    reader = csv.reader(lines)
    rows: list[CsvRow] = []
    errors: list[RowError] = []
    try:
        columns = check_header(next(reader, None), layout.header, layout.optional)
        names = [layout.field_of(column) for column in columns]
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
                rows.append(CsvRow(line, parse_flight(dict(zip(names, record, strict=True)))))
            except InvalidFields as invalid:
                errors.append(RowError(line, layout.reason(invalid.problems)))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {error}.") from None
    return rows, errors


def locate(
    session: Session, rows: list[CsvRow], layout: CsvLayout = FLIGHTS
) -> tuple[list[CsvFlight], list[RowError]]:
    """The rows whose ends are airports or recorded places, as columns; the others refused."""
    ends = (code for r in rows for code in (r.data.departure_airport, r.data.destination_airport))
    codes = sorted(set(ends))
    known: dict[str, ResolvedPlace] = {}
    for start in range(0, len(codes), QUERY_BATCH):
        known.update(resolve_places(session, codes[start : start + QUERY_BATCH]))
    flights: list[CsvFlight] = []
    errors: list[RowError] = []
    for row in rows:
        problems = place_problems(row.data, known)
        if problems:
            errors.append(RowError(row.line, layout.reason(problems)))
        else:
            ends = (known[row.data.departure_airport], known[row.data.destination_airport])
            flights.append(CsvFlight(row.line, flight_values(row.data, *ends)))
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
    session: Session,
    lines: Iterable[str],
    *,
    dry_run: bool,
    actor: str = IMPORT,
    layout: CsvLayout = FLIGHTS,
) -> ImportReport:
    """Check every row of a CSV text and import the valid ones (unless ``dry_run``)."""
    rows, errors = read_flights(lines, layout)
    flights, unknown = locate(session, rows, layout)
    accepted, duplicates = reject_duplicates(session, flights)
    if accepted and not dry_run:
        _write(session, accepted, actor)
    errors = sorted(errors + unknown + duplicates, key=lambda error: error.line)
    return ImportReport(
        dry_run=dry_run, imported=len(accepted), rejected=len(errors), errors=errors
    )


def import_legs_csv(
    session: Session, lines: Iterable[str], *, dry_run: bool, actor: str = IMPORT
) -> ImportReport:
    """``import_flights_csv`` for the legs layout (number, mode, from, to, …)."""
    return import_flights_csv(session, lines, dry_run=dry_run, actor=actor, layout=LEGS)
