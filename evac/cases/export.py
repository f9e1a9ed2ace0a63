"""The case list as CSV or XLSX, one row per person, streamed so 100,000 rows never time out.

It goes through the same filters and the same scoping helper as the list.
Rows come from one Core query read in batches (no ORM objects): the database
turns flags into Y/N and missing text into "", and the dates are read
straight as ISO 8601 text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from evac.cases.search import CaseQuery, filtered_cases
from evac.db import UTCDateTime
from evac.registration.models import Person, Registration
from evac.staff.auth import StaffContext

COLUMNS = (
    "reference", "external_reference", "status", "country", "city", "priority_tier",
    "registered_at", "family_name", "given_name", "date_of_birth", "sex", "nationality",
    "citizen", "document_type", "document_number", "document_country", "document_expiry",
    "needs_stretcher", "needs_wheelchair", "needs_oxygen", "medical_urgency", "pregnant",
    "phone", "email",
)  # fmt: skip
BATCH = 2000


class _IsoDateTime(UTCDateTime):
    """A UTC time read as ISO 8601 text, as the export writes it."""

    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> str:  # type: ignore[override]
        aware = super().process_result_value(value, dialect)
        return aware.isoformat() if aware else ""


class _IsoDate(sa.TypeDecorator[str]):
    """A date read as ISO 8601 text ("" if there is none)."""

    impl = sa.Date
    cache_ok = True

    def process_result_value(self, value: date | None, dialect: sa.Dialect) -> str:  # type: ignore[override]
        return value.isoformat() if value else ""


_ISO_TIME = _IsoDateTime()
_ISO_DATE = _IsoDate()


def _yes(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[str]:
    return sa.case((condition, "Y"), else_="N")


def _text(column: sa.ColumnElement[str | None]) -> sa.ColumnElement[str]:
    return sa.func.coalesce(column, "")


def _selected(home_country: str) -> tuple[sa.ColumnElement[object], ...]:
    """The columns of COLUMNS, in its order, as the database can give them."""
    return (
        Registration.reference, _text(Registration.external_reference), Registration.status,
        Registration.country, _text(Registration.city), Registration.priority_tier,
        sa.type_coerce(Registration.registered_at, _ISO_TIME),
        Person.family_name, Person.given_name, sa.type_coerce(Person.date_of_birth, _ISO_DATE),
        Person.sex, Person.nationality, _yes(Person.nationality == home_country),
        Person.document_type, Person.document_number, Person.document_country,
        sa.type_coerce(Person.document_expiry, _ISO_DATE),
        _yes(Person.needs_stretcher), _yes(Person.needs_wheelchair), _yes(Person.needs_oxygen),
        Person.medical_urgency, _yes(Person.pregnant),
        _text(Registration.phone), _text(Registration.email),
    )  # type: ignore[return-value]  # fmt: skip


def case_export_statement(
    staff: StaffContext, query: CaseQuery, columns: Sequence[sa.ColumnElement[object]]
) -> sa.Select[tuple[object, ...]]:
    """``columns`` for each person of the readable cases matching the query, in export order."""
    cases = filtered_cases(staff, query).with_only_columns(Registration.id).subquery()
    return (
        sa.select(*columns)
        .join(cases, cases.c.id == Registration.id)
        .join(Person, Person.registration_id == Registration.id)
        .order_by(Registration.registered_at, Registration.id, Person.position)
        .execution_options(yield_per=BATCH)
    )


def case_rows(
    session: Session, staff: StaffContext, query: CaseQuery, home_country: str
) -> Iterator[Sequence[object]]:
    """One row per person of the readable cases matching the query, in COLUMNS order."""
    statement = case_export_statement(staff, query, _selected(home_country))
    for batch in session.connection().execute(statement).partitions():
        yield from batch
