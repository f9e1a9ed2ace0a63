"""Finding cases: search by reference, names, documents and phones; filters; pages.

Names are matched on folded keys ("Şahin" finds "sahin", "Ozturk" finds
"Öztürk") with index range scans rather than LIKE, so the same query is fast
on SQLite and PostgreSQL whatever their collation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, func, select
from sqlmodel.sql.expression import SelectOfScalar

from evac.cases.scope import readable_cases
from evac.pagination import page_window
from evac.registration.models import CaseStatus, Person, Registration
from evac.registration.normalize import document_key, fold
from evac.registration.reference import normalize_reference
from evac.staff.auth import StaffContext

PER_PAGE = 50
MAX_PER_PAGE = 200
_DIGITS = re.compile(r"\D")
_KEY_END = "\U0010ffff"

SORTS = {
    "registered": Registration.registered_at,
    "reference": Registration.reference,
    "country": Registration.country,
    "status": Registration.status,
    "tier": Registration.priority_tier,
    "people": Registration.people_count,
}


@dataclass(frozen=True)
class CaseQuery:
    q: str | None = None
    country: str | None = None
    status: CaseStatus | None = None
    tier: int | None = None
    citizen: bool | None = None
    medical: bool | None = None
    duplicate: bool | None = None
    sort: str = "-registered"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class CaseRow:
    case: Registration
    contact_name: str


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", max(1, math.ceil(self.total / self.per_page)))


def _prefix(column: sa.ColumnElement[str], key: str) -> sa.ColumnElement[bool]:
    return sa.and_(column >= key, column < key + _KEY_END)


def _text_match(q: str) -> sa.ColumnElement[bool]:
    """Any of: reference, external reference, phone digits, document number, name."""
    conditions: list[sa.ColumnElement[bool]] = [Registration.external_reference == q.strip()]
    if reference := normalize_reference(q):
        conditions.append(Registration.reference == reference)
    # A phone typed locally ("030 901820") or internationally ("+49 30 901820")
    # ends like the stored E.164 number once the trunk zeros are dropped.
    digits = _DIGITS.sub("", q).lstrip("0")
    if len(digits) >= 6 and len(digits) >= len(q.replace(" ", "")) - 3:
        conditions.append(Registration.phone.endswith(digits))  # type: ignore[union-attr]
    people = select(Person.registration_id)
    person_conditions = []
    if doc := document_key(q):
        person_conditions.append(Person.document_number_key == doc)
    if key := fold(q):
        person_conditions += [_prefix(Person.name_key, key), _prefix(Person.family_name_key, key)]
    if person_conditions:
        conditions.append(Registration.id.in_(people.where(sa.or_(*person_conditions))))  # type: ignore[union-attr]
    return sa.or_(*conditions)


def filtered_cases(staff: StaffContext, query: CaseQuery) -> SelectOfScalar[Registration]:
    """The readable cases that match the query's search and filters (unordered)."""
    statement = readable_cases(staff)
    if query.q and query.q.strip():
        statement = statement.where(_text_match(query.q))
    if query.country:
        statement = statement.where(Registration.country == query.country.upper())
    if query.status:
        statement = statement.where(Registration.status == query.status)
    if query.tier:
        statement = statement.where(Registration.priority_tier == query.tier)
    if query.citizen is not None:
        statement = statement.where(Registration.has_citizen == query.citizen)
    if query.medical is not None:
        statement = statement.where(Registration.has_medical_need == query.medical)
    if query.duplicate is not None:
        flagged = Registration.possible_duplicate_of_id.is_not(None)  # type: ignore[union-attr]
        statement = statement.where(flagged if query.duplicate else sa.not_(flagged))
    return statement


def _order(sort: str) -> list[sa.ColumnElement[object]]:
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"), Registration.registered_at)
    primary = column.desc() if descending else column.asc()  # type: ignore[union-attr]
    tie = Registration.id.desc() if descending else Registration.id.asc()  # type: ignore[union-attr]
    return [primary, tie]


def search_cases(session: Session, staff: StaffContext, query: CaseQuery) -> CasePage:
    statement = filtered_cases(staff, query)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    window = page_window(total, query.page, query.per_page, MAX_PER_PAGE)
    cases = session.exec(
        statement.order_by(*_order(query.sort)).offset(window.offset).limit(window.per_page)
    ).all()
    rows = [CaseRow(case, _contact_name(case)) for case in cases]
    return CasePage(rows=rows, total=total, page=window.page, per_page=window.per_page)


def _contact_name(case: Registration) -> str:
    """The first member is the household's contact person (members load with the case)."""
    first = case.members[0] if case.members else None
    return f"{first.given_name} {first.family_name}" if first else ""
