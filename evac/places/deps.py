"""What the place pages and the place API share: who may read places, and the list's filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from evac.i18n import N_
from evac.places.models import PlaceKind
from evac.places.service import PlaceQuery, require_place_access
from evac.staff.auth import StaffContext
from evac.staff.deps import LoginRequired, StaffDep, current_staff, require_role
from evac.staff.models import Role
from evac.validation import Page, SafeText


def place_reader(staff: StaffDep) -> StaffContext:
    require_place_access(staff)
    return staff


PlaceReader = Annotated[StaffContext, Depends(place_reader)]
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]


def parse_place_query(
    country: Annotated[SafeText | None, Query(max_length=2)] = None,
    kind: PlaceKind | None = None,
    page: Annotated[Page, Query()] = 1,
) -> PlaceQuery:
    return PlaceQuery(country=country or None, kind=kind, page=page)


def api_staff(
    request: Request, staff: Annotated[StaffContext | None, Depends(current_staff)]
) -> StaffContext:
    """The API takes only a personal token (never the browser's cookie)."""
    if staff is None or "authorization" not in request.headers:
        raise LoginRequired(N_("Send a personal API token: Authorization: Bearer <token>."))
    require_place_access(staff)
    return staff


ApiStaff = Annotated[StaffContext, Depends(api_staff)]
