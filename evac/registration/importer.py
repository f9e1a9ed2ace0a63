"""Importing households from a CSV file with one row per person.

Rows sharing a ``household_ref`` form one registration (the ref is kept as its
external reference); contact and location come from the household's first
row. Each household is checked with the registration form's own rules (see
``import_rows``); one bad row rejects its whole household and the others are
imported. Documents are checked in bulk against the database and against
earlier households of the same file.

Accepted households are written in chunks, one transaction per chunk: bulk
inserts, the possible-duplicate links, and one ``registration.create`` audit
event per household. The function commits each chunk; a dry run validates the
same way and writes nothing.

``progress(phase, done, total)``, if given, hears how many rows are done:
``checking`` while households are validated, ``saving`` as chunks are built
and written. It is called only between transactions (a background job
commits its progress through the same session).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from evac.audit.service import IMPORT, record_event
from evac.registration.import_rows import (
    HEADER,
    CsvHousehold,
    CsvRow,
    DocumentKey,
    RowError,
    read_households,
    validate_household,
)
from evac.registration.models import Person, Registration
from evac.registration.reference import new_access_token
from evac.registration.service import Geocode, NewCase, case_summary, new_case

__all__ = ["HEADER", "ImportReport", "import_registrations"]

Progress = Callable[[str, int, int], None]
CHECKING = "checking"
SAVING = "saving"

CHUNK_HOUSEHOLDS = 2000
QUERY_BATCH = 500
MAX_ATTEMPTS = 3


@dataclass
class ImportReport:
    dry_run: bool
    households_imported: int = 0
    people_imported: int = 0
    households_rejected: int = 0
    people_rejected: int = 0
    households_not_located: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ImportReport:
        errors = [RowError(**error) for error in values.get("errors", [])]
        return cls(**{**values, "errors": errors})


def _ignore_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def import_registrations(
    session: Session,
    lines: Iterable[str],
    *,
    dry_run: bool,
    today: date,
    home_country: str,
    geocode: Geocode | None = None,
    actor: str = IMPORT,
    language: str = "en",
    allowed_countries: Collection[str] | None = None,
    progress: Progress = _ignore_progress,
    chunk_households: int = CHUNK_HOUSEHOLDS,
) -> ImportReport:
    """Validate every household of a CSV text and import the valid ones.

    ``allowed_countries`` limits an officer's import to their missions' countries.
    ``chunk_households`` is how many households one transaction writes: smaller
    chunks hold SQLite's write lock for less time at once, at some cost in speed.
    """
    households = read_households(lines)
    report = ImportReport(dry_run=dry_run)
    _validate(households, today, language, allowed_countries, progress)
    valid = [h for h in households if not h.errors]
    _reject_taken_documents(session, valid)
    accepted = [h for h in valid if not h.errors]
    located = _cached(geocode) if geocode else None
    saved, to_save = 0, sum(len(h.rows) for h in accepted)
    progress(SAVING, saved, to_save)
    for chunk in _chunks(accepted, chunk_households):
        written = _write_chunk(session, chunk, today, home_country, located, actor, dry_run)
        report.households_not_located += sum(c.values["latitude"] is None for c in written)
        saved += sum(len(h.rows) for h in chunk)
        progress(SAVING, saved, to_save)
    for household in households:
        people = len(household.rows)
        if household.errors:
            report.households_rejected += 1
            report.people_rejected += people
            report.errors += sorted(household.errors, key=lambda error: error.line)
        else:
            report.households_imported += 1
            report.people_imported += people
    return report


def _validate(
    households: list[CsvHousehold],
    today: date,
    language: str,
    allowed_countries: Collection[str] | None,
    progress: Progress,
) -> None:
    checked, rows = 0, sum(len(h.rows) for h in households)
    for household in households:
        validate_household(household, today, language)
        if allowed_countries is not None and household.rows:
            first = household.rows[0]
            if first.values.get("country", "").strip().upper() not in allowed_countries:
                household.reject(first, "country", "outside the countries of your missions")
        checked += len(household.rows)
        progress(CHECKING, checked, rows)


def _cached(geocode: Geocode) -> Geocode:
    return lru_cache(maxsize=None)(geocode)


def _chunks(items: list[CsvHousehold], size: int) -> Iterator[list[CsvHousehold]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reject_taken_documents(session: Session, households: list[CsvHousehold]) -> None:
    """Refuse documents held by an active case, or by an earlier household of the file."""
    keys = [key for household in households for key in household.document_keys() if key]
    taken = _active_documents(session, keys)
    claimed: dict[DocumentKey, CsvRow] = {}
    for household in households:
        rows = household.rows
        for row, key in zip(rows, household.document_keys(), strict=True):
            if key is None:
                continue
            if key in taken:
                household.reject(
                    row, "document_number", "a person with this document is already registered"
                )
            elif key in claimed:
                household.reject(
                    row, "document_number", f"this document is already on line {claimed[key].line}"
                )
        if not household.errors:
            claimed.update(
                (key, row)
                for key, row in zip(household.document_keys(), rows, strict=True)
                if key is not None
            )


def _active_documents(session: Session, keys: list[DocumentKey]) -> set[DocumentKey]:
    """The keys among ``keys`` that active people hold.

    Queried on the number alone (a plain ``IN``, which PostgreSQL hashes, and
    the index's leading column); country and type are compared here.
    """
    columns = (Person.document_number_key, Person.document_country, Person.document_type)
    numbers = sorted({number for number, _country, _kind in keys})
    wanted = set(keys)
    found: set[DocumentKey] = set()
    for start in range(0, len(numbers), QUERY_BATCH):
        batch = numbers[start : start + QUERY_BATCH]
        rows = session.exec(
            select(*columns).where(Person.is_active, Person.document_number_key.in_(batch))
        ).all()
        found.update(key for key in ((n, c, str(k)) for n, c, k in rows) if key in wanted)
    return found


# Writing ------------------------------------------------------------------


def _write_chunk(
    session: Session,
    chunk: list[CsvHousehold],
    today: date,
    home_country: str,
    geocode: Geocode | None,
    actor: str,
    dry_run: bool,
) -> list[NewCase]:
    """Build the chunk's cases and, unless a dry run, insert and commit them.

    A document registered by someone else since the check makes the insert
    fail: the chunk is rolled back, that household rejected, and the rest retried.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        households = [h for h in chunk if not h.errors]
        cases = [_new_case(h, today, home_country, geocode) for h in households]
        if dry_run:
            return cases
        try:
            _insert(session, cases, actor)
            session.commit()
            return cases
        except IntegrityError:
            session.rollback()
            if attempt == MAX_ATTEMPTS:
                raise
            _reject_taken_documents(session, households)
    return []


def _new_case(
    household: CsvHousehold, today: date, home_country: str, geocode: Geocode | None
) -> NewCase:
    assert household.data is not None
    token = new_access_token()
    data, ref, registered_at = household.data, household.ref, household.registered_at
    return new_case(data, token, geocode, ref, today, home_country, registered_at)


def _insert(session: Session, cases: list[NewCase], actor: str) -> None:
    registration_table: sa.Table = Registration.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    ids = connection.execute(
        registration_table.insert().returning(
            registration_table.c.id, sort_by_parameter_order=True
        ),
        [case.values for case in cases],
    ).scalars()
    for case, registration_id in zip(cases, ids, strict=True):
        case.values["id"] = registration_id
        for person in case.people:
            person["registration_id"] = registration_id
    connection.execute(
        Person.__table__.insert(),  # type: ignore[attr-defined]
        [person for case in cases for person in case.people],
    )
    _link_possible_duplicates(session, cases)
    for case in cases:
        record_event(
            session,
            actor=actor,
            action="registration.create",
            subject_type="registration",
            subject_id=case.values["reference"],
            after=case_summary(case),
        )


def _link_possible_duplicates(session: Session, cases: list[NewCase]) -> None:
    """As the form does: the earliest other active case with a person of the same
    name and birth date, among the cases that existed before this one.

    One self-join per chunk on the (name_key, date_of_birth) index; the chunk's
    ids are one range, and rows of the range that are not ours are ignored.
    """
    by_id = {case.values["id"]: case for case in cases}
    new, old = aliased(Person), aliased(Person)
    earliest = session.execute(
        select(new.registration_id, sa.func.min(old.registration_id))
        .join(
            old,
            sa.and_(old.name_key == new.name_key, old.date_of_birth == new.date_of_birth),
        )
        .where(
            new.registration_id.between(min(by_id), max(by_id)),
            old.is_active,
            old.registration_id < new.registration_id,
        )
        .group_by(new.registration_id)
    ).all()
    updates = []
    for registration_id, duplicate_of in earliest:
        if registration_id in by_id:
            by_id[registration_id].values["possible_duplicate_of_id"] = duplicate_of
            updates.append({"id": registration_id, "possible_duplicate_of_id": duplicate_of})
    if updates:
        session.execute(sa.update(Registration), updates)
