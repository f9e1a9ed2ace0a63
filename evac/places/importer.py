"""Importing places from a CSV file, one place per row.

The header is ``code,kind,name,country,latitude,longitude,reach_km``. Each row
is checked with the same parser as the form and the API. A bad row is reported
with its line number and every reason, and the good rows are imported: nothing
is dropped silently. A code already recorded is updated from its row (so a
corrected file can be imported again), each change audited as ``place.update``;
a new code is added (``place.create``). A code on an earlier line of the same
file is an error. Accepted rows are written in one transaction; a dry run
checks the same way and writes nothing. Only a file that cannot be read at all
(not UTF-8, wrong header, broken CSV) stops the import before any row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from evac.audit.service import IMPORT, record_events
from evac.csvfiles import ImportFileError, check_header
from evac.errors import Conflict, InvalidFields
from evac.places.models import Place
from evac.places.schemas import PLACE_FIELDS, PlaceCreate, parse_place
from evac.places.service import (
    AUDIT_SUBJECT,
    apply_change,
    changed_values,
    moves_legs_clocks,
    place_values,
)

HEADER = PLACE_FIELDS
QUERY_BATCH = 500


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [asdict(error) for error in self.errors],
        }


@dataclass(frozen=True)
class CsvPlace:
    line: int
    data: PlaceCreate


def read_places(lines: Iterable[str]) -> tuple[list[CsvPlace], list[RowError]]:
    """Parse every row; the valid places, and the errors of the others (a repeated
    code included)."""
    reader = csv.reader(lines)
    places: list[CsvPlace] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    try:
        columns = check_header(next(reader, None), HEADER)
        next_line = reader.line_num + 1
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                errors.append(
                    RowError(line, f"expected {len(columns)} values, found {len(record)}")
                )
                continue
            try:
                data = parse_place(dict(zip(columns, record, strict=True)))
            except InvalidFields as invalid:
                errors.append(RowError(line, invalid.one_line()))
                continue
            if data.code in first_line:
                errors.append(
                    RowError(line, f"{data.code} is already on line {first_line[data.code]}.")
                )
                continue
            first_line[data.code] = line
            places.append(CsvPlace(line, data))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {error}.") from None
    return places, errors


def _recorded(session: Session, places: list[CsvPlace]) -> dict[str, Place]:
    codes = sorted(place.data.code for place in places)
    found: dict[str, Place] = {}
    for start in range(0, len(codes), QUERY_BATCH):
        batch = codes[start : start + QUERY_BATCH]
        rows = session.exec(select(Place).where(col(Place.code).in_(batch)).with_for_update())
        found.update({place.code: place for place in rows.all()})
    return found


def _write(
    session: Session,
    new: list[PlaceCreate],
    changes: list[tuple[Place, dict[str, Any]]],
    actor: str,
) -> None:
    for place, changed in changes:
        apply_change(session, place, changed, actor=actor, version=None)
    session.add_all([Place(**place_values(data)) for data in new])
    record_events(
        session,
        [
            {
                "actor": actor,
                "action": "place.create",
                "subject_type": AUDIT_SUBJECT,
                "subject_id": data.code,
                "after": place_values(data),
            }
            for data in new
        ],
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Another user added one of these places during the import; nothing was imported. "
            "Run the import again."
        ) from None


def import_places_csv(
    session: Session, lines: Iterable[str], *, dry_run: bool, actor: str = IMPORT
) -> ImportReport:
    """Check every row of a CSV text; add the new places and update the recorded ones."""
    places, errors = read_places(lines)
    recorded = _recorded(session, places)
    new = [place.data for place in places if place.data.code not in recorded]
    changes = []
    for place in places:
        if place.data.code not in recorded:
            continue
        stored = recorded[place.data.code]
        values = changed_values(stored, place.data)
        problem = moves_legs_clocks(session, stored, values)
        if problem is None:
            changes.append((stored, values))
        else:
            errors.append(RowError(place.line, InvalidFields([problem]).one_line()))
    changed = [(place, values) for place, values in changes if values]
    if (new or changed) and not dry_run:
        _write(session, new, changed, actor)
    else:
        session.rollback()
    return ImportReport(
        dry_run=dry_run,
        created=len(new),
        updated=len(changed),
        unchanged=len(changes) - len(changed),
        rejected=len(errors),
        errors=sorted(errors, key=lambda error: error.line),
    )
