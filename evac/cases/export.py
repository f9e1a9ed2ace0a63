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


def case_rows(
    session: Session, staff: StaffContext, query: CaseQuery, home_country: str
) -> Iterator[list[str]]:
    cases = filtered_cases(staff, query).subquery()
    statement = (
        sa.select(Registration, Person)
        .join(cases, cases.c.id == Registration.id)
        .join(Person, Person.registration_id == Registration.id)
        .order_by(Registration.registered_at, Registration.id, Person.position)
        .execution_options(yield_per=BATCH)
    )
    for case, person in session.execute(statement):
        yield [
            case.reference, case.external_reference or "", case.status, case.country,
            case.city or "", str(case.priority_tier), case.registered_at.isoformat(),
            person.family_name, person.given_name, person.date_of_birth.isoformat(),
            person.sex, person.nationality, _yes(person.nationality == home_country),
            person.document_type, person.document_number, person.document_country,
            person.document_expiry.isoformat() if person.document_expiry else "",
            _yes(person.needs_stretcher), _yes(person.needs_wheelchair),
            _yes(person.needs_oxygen), person.medical_urgency, _yes(person.pregnant),
            case.phone or "", case.email or "",
        ]  # fmt: skip
