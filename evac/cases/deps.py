"""What the case pages, the case API and the exports share: who may read cases,
and the list's search and filters read from the query string."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from evac.cases.scope import require_case_access
from evac.cases.search import SORTS, CaseQuery
from evac.registration.models import CaseStatus
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf
from evac.validation import Page, SafeText


def case_reader(staff: StaffDep) -> StaffContext:
    require_case_access(staff)
    return staff


CaseReader = Annotated[StaffContext, Depends(case_reader)]
Protected = [Depends(verify_csrf)]


def _optional_bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _choice(value: str | None, allowed: set[str]) -> str | None:
    """An empty or unknown filter value means "all", as a plain HTML form sends it."""
    return value if value in allowed else None


def parse_case_query(
    q: Annotated[SafeText | None, Query(max_length=200)] = None,
    country: Annotated[SafeText | None, Query(max_length=2)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    tier: Annotated[str | None, Query(max_length=1)] = None,
    citizen: Annotated[str | None, Query(max_length=3)] = None,
    medical: Annotated[str | None, Query(max_length=3)] = None,
    duplicate: Annotated[str | None, Query(max_length=3)] = None,
    sort: Annotated[str, Query(max_length=20)] = "-registered",
    page: Annotated[Page, Query()] = 1,
) -> CaseQuery:
    chosen_status = _choice(status, {s.value for s in CaseStatus})
    chosen_tier = _choice(tier, {"1", "2", "3", "4"})
    return CaseQuery(
        q=q,
        country=country.upper() if country else None,
        status=CaseStatus(chosen_status) if chosen_status else None,
        tier=int(chosen_tier) if chosen_tier else None,
        citizen=_optional_bool(citizen),
        medical=_optional_bool(medical),
        duplicate=_optional_bool(duplicate),
        sort=sort if sort.lstrip("-") in SORTS else "-registered",
        page=page,
    )
