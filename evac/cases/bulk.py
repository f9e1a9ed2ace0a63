"""Which cases a bulk action reaches: the ticked ones, every one on the page, or
every one matching the list's filter (counted on the server), and what it will do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from evac.cases.scope import readable_cases
from evac.cases.search import CaseQuery, filtered_cases
from evac.errors import InvalidInput
from evac.i18n import N_
from evac.lifecycle.rules import SEATED
from evac.registration.models import Registration
from evac.staff.auth import StaffContext

MAX_BULK = 5000
SCOPES = ("selected", "page", "filter")


@dataclass(frozen=True)
class BulkPreview:
    references: list[str]
    people: int
    seated: int


def chosen_references(
    session: Session,
    staff: StaffContext,
    scope: str,
    query: CaseQuery,
    selected: Sequence[str],
    on_page: Sequence[str],
) -> list[str]:
    """The references the action applies to, at most ``MAX_BULK``."""
    if scope == "filter":
        matching = filtered_cases(staff, query).subquery()
        references = list(
            session.execute(
                sa.select(matching.c.reference).order_by(matching.c.reference).limit(MAX_BULK + 1)
            ).scalars()
        )
    else:
        references = sorted(set(on_page if scope == "page" else selected))
    if len(references) > MAX_BULK:
        raise InvalidInput(N_("At most 5000 cases at once: narrow the filter."))
    return references


def preview(session: Session, staff: StaffContext, references: Sequence[str]) -> BulkPreview:
    """How many people the cases hold and how many of them hold seats now."""
    people = seated = 0
    for start in range(0, len(references), 1000):
        chunk = list(references[start : start + 1000])
        statement = readable_cases(staff).with_only_columns(
            col(Registration.people_count), col(Registration.status)
        )
        rows = session.execute(statement.where(col(Registration.reference).in_(chunk))).all()
        people += sum(row[0] for row in rows)
        seated += sum(1 for row in rows if row[1] in SEATED)
    return BulkPreview(list(references), people, seated)
