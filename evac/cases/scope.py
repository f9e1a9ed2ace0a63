"""Row scoping: the one place that decides which cases a staff member may see.

Every list, page, API and export of cases starts from ``readable_cases``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from evac.errors import Forbidden, NotFound
from evac.i18n import N_
from evac.registration.models import Registration
from evac.registration.reference import normalize_reference
from evac.staff.auth import StaffContext
from evac.staff.models import Role


def readable_cases(staff: StaffContext) -> SelectOfScalar[Registration]:
    """Coordinators see every country; officers only their missions' countries;
    administrators manage accounts and see no cases."""
    statement = select(Registration)
    if staff.role is Role.coordinator:
        return statement
    if staff.role is Role.officer and staff.countries:
        return statement.where(Registration.country.in_(staff.countries))  # type: ignore[attr-defined]
    return statement.where(sa.false())


def require_case_access(staff: StaffContext) -> None:
    if staff.role is Role.admin:
        raise Forbidden(N_("Administrators manage accounts; case work needs another role."))


def get_readable_case(session: Session, staff: StaffContext, reference: str) -> Registration:
    """The case, if this staff member may see it; otherwise the same 404 as a missing one."""
    canonical = normalize_reference(reference)
    case = (
        session.exec(readable_cases(staff).where(Registration.reference == canonical)).first()
        if canonical
        else None
    )
    if case is None:
        raise NotFound(N_("No case with this reference in your missions."))
    return case
