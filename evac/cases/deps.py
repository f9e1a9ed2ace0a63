"""The case pages' dependency: a signed-in staff member who works on cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from evac.cases.scope import require_case_access
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf


def case_reader(staff: StaffDep) -> StaffContext:
    require_case_access(staff)
    return staff


CaseReader = Annotated[StaffContext, Depends(case_reader)]
Protected = [Depends(verify_csrf)]
