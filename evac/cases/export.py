"""The case list as CSV, one row per person, streamed so 100,000 rows never time out.

It goes through the same filters and the same scoping helper as the list.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session

from evac.cases.search import CaseQuery, filtered_cases
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


def _yes(flag: bool) -> str:
    return "Y" if flag else "N"


_CASE = (
    Registration.reference, Registration.external_reference, Registration.status,
    Registration.country, Registration.city, Registration.priority_tier,
    Registration.registered_at, Registration.phone, Registration.email,
)  # fmt: skip
_PERSON = (
    Person.family_name, Person.given_name, Person.date_of_birth, Person.sex,
    Person.nationality, Person.document_type, Person.document_number,
    Person.document_country, Person.document_expiry, Person.needs_stretcher,
    Person.needs_wheelchair, Person.needs_oxygen, Person.medical_urgency, Person.pregnant,
)  # fmt: skip


def case_rows(
    session: Session, staff: StaffContext, query: CaseQuery, home_country: str
) -> Iterator[list[str]]:
    """One row per person of the readable cases matching the query, in COLUMNS order."""
    cases = filtered_cases(staff, query).with_only_columns(Registration.id).subquery()
    statement = (
        sa.select(*_CASE, *_PERSON)
        .join(cases, cases.c.id == Registration.id)
        .join(Person, Person.registration_id == Registration.id)
        .order_by(Registration.registered_at, Registration.id, Person.position)
        .execution_options(yield_per=BATCH)
    )
    for r in session.execute(statement):
        yield [
            r.reference, r.external_reference or "", r.status, r.country, r.city or "",
            str(r.priority_tier), r.registered_at.isoformat(), r.family_name, r.given_name,
            r.date_of_birth.isoformat(), r.sex, r.nationality, _yes(r.nationality == home_country),
            r.document_type, r.document_number, r.document_country,
            r.document_expiry.isoformat() if r.document_expiry else "",
            _yes(r.needs_stretcher), _yes(r.needs_wheelchair), _yes(r.needs_oxygen),
            r.medical_urgency, _yes(r.pregnant), r.phone or "", r.email or "",
        ]  # fmt: skip
