"""Staff JSON API for places, for scripts with a personal API token.

Under ``/api/v1/transport-places``, not ``/api/v1/places``: that path already
serves the registration form's geocoding (``/api/v1/places/nearest`` and
``/cities``), and ``NEAREST`` or ``CITIES`` would be valid place codes, so
``/api/v1/places/{code}`` would clash with those routes.

Officers read the places of their missions' countries; coordinators read every
place and create and change them. A refused field comes back as a 422 in the
same shape as any request validation error, with its message.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlmodel import Session

from evac.db import ReadSessionDep, SessionDep
from evac.errors import Forbidden, error_responses
from evac.i18n import N_
from evac.places.deps import ApiStaff, parse_place_query
from evac.places.models import Place
from evac.places.schemas import PlaceCreate, PlaceList, PlacePatch, PlacePublic, parse_place
from evac.places.service import (
    MAX_PER_PAGE,
    PlaceQuery,
    create_place,
    effective_reach_km,
    get_readable_place,
    list_places,
    resolve_place,
    update_place,
)
from evac.staff.auth import StaffContext
from evac.staff.models import Role
from evac.validation import SafeText

router = APIRouter(
    prefix="/api/v1/transport-places",
    tags=["staff: places"],
    responses=error_responses(401, 403, 422, 503),
)
ONE_PLACE = error_responses(404)
A_CHANGE = error_responses(400, 404, 409)


def api_coordinator(staff: ApiStaff) -> StaffContext:
    if staff.role is not Role.coordinator:
        raise Forbidden(N_("Only coordinators record or change places."))
    return staff


ApiCoordinator = Annotated[StaffContext, Depends(api_coordinator)]
Code = Annotated[SafeText, Path(max_length=12, description="IATA code or place code")]
_COLUMNS = [name for name in PlacePublic.model_fields if name in Place.model_fields]


def public(request: Request, session: Session, place: Place) -> PlacePublic:
    resolved = resolve_place(session, place.code)
    assert resolved is not None  # a stored place always resolves
    return PlacePublic.model_validate(
        {
            **{name: getattr(place, name) for name in _COLUMNS},
            "resolved_latitude": resolved.latitude,
            "resolved_longitude": resolved.longitude,
            "effective_reach_km": effective_reach_km(place, request.app.state.settings),
        }
    )


@router.get("", response_model=PlaceList, summary="Places you may see, by country and code")
def get_places(
    request: Request,
    session: ReadSessionDep,
    staff: ApiStaff,
    query: Annotated[PlaceQuery, Depends(parse_place_query)],
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
) -> PlaceList:
    result = list_places(session, staff, replace(query, per_page=per_page))
    return PlaceList(
        items=[public(request, session, place) for place in result.rows],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/{code}", response_model=PlacePublic, responses=ONE_PLACE)
def get_one(request: Request, session: ReadSessionDep, staff: ApiStaff, code: Code) -> PlacePublic:
    return public(request, session, get_readable_place(session, staff, code))


@router.post("", response_model=PlacePublic, status_code=201, responses=error_responses(400, 409))
def post_place(
    request: Request, session: SessionDep, staff: ApiCoordinator, body: PlaceCreate
) -> PlacePublic:
    place = create_place(session, parse_place(body.model_dump()), actor=staff.actor)
    return public(request, session, place)


@router.patch("/{code}", response_model=PlacePublic, responses=A_CHANGE)
def patch_place(
    request: Request, session: SessionDep, staff: ApiCoordinator, code: Code, patch: PlacePatch
) -> PlacePublic:
    place = get_readable_place(session, staff, code)
    changes = patch.model_dump(exclude_unset=True, exclude={"row_version"})
    update_place(session, place, changes, expected_version=patch.row_version, actor=staff.actor)
    return public(request, session, place)
