"""Staff JSON API for flights and the other legs of a journey, for scripts with a
personal API token. A leg's ``mode`` (flight, ambulance_flight, bus, ship,
train) and ``arrival_time`` come and go with it; ``kind`` is still accepted and
is derived from the mode.

It accepts only ``Authorization: Bearer <token>`` (never the browser's session
cookie). Officers read the flights of their missions' countries; coordinators
also create, change and cancel them. A refused field comes back as a 422 in
the same shape as any request validation error, with its message.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import Forbidden, error_responses
from evac.flights.deps import parse_flight_query
from evac.flights.models import Flight
from evac.flights.schemas import (
    CancelIn,
    FlightCreate,
    FlightList,
    FlightPatch,
    FlightPublic,
    parse_flight,
)
from evac.flights.service import (
    MAX_PER_PAGE,
    FlightQuery,
    Used,
    cancel_flight,
    create_flight,
    get_readable_flight,
    list_flights,
    require_flight_access,
    update_flight,
    used_on,
)
from evac.flights.times import arrival_times, departure_times
from evac.i18n import N_
from evac.staff.auth import StaffContext
from evac.staff.deps import LoginRequired, current_staff
from evac.staff.models import Role
from evac.validation import DbId

router = APIRouter(
    prefix="/api/v1/flights",
    tags=["staff: flights"],
    responses=error_responses(401, 403, 422, 503),
)
ONE_FLIGHT = error_responses(404)
A_CHANGE = error_responses(400, 404, 409)


def api_staff(
    request: Request, staff: Annotated[StaffContext | None, Depends(current_staff)]
) -> StaffContext:
    if staff is None or "authorization" not in request.headers:
        raise LoginRequired(N_("Send a personal API token: Authorization: Bearer <token>."))
    require_flight_access(staff)
    return staff


ApiStaff = Annotated[StaffContext, Depends(api_staff)]


def api_coordinator(staff: ApiStaff) -> StaffContext:
    if staff.role is not Role.coordinator:
        raise Forbidden(N_("Only coordinators create, change or cancel flights."))
    return staff


ApiCoordinator = Annotated[StaffContext, Depends(api_coordinator)]


_FLIGHT_COLUMNS = [name for name in FlightPublic.model_fields if name in Flight.model_fields]


def _public(flight: Flight, used: Used) -> FlightPublic:
    times = departure_times(flight)
    arrival = arrival_times(flight)
    return FlightPublic.model_validate(
        {
            **{name: getattr(flight, name) for name in _FLIGHT_COLUMNS},
            "departure_time_local": times.local,
            "departure_timezone": times.zone,
            "arrival_time_local": arrival.local if arrival else None,
            "arrival_timezone": arrival.zone if arrival else None,
            "seats_used": used.seats,
            "stretchers_used": used.stretchers,
        }
    )


def _reply(session: Session, flight: Flight) -> FlightPublic:
    return _public(flight, used_on(session, flight))


@router.get("", response_model=FlightList, summary="Flights you may see, upcoming first")
def get_flights(
    session: ReadSessionDep,
    staff: ApiStaff,
    query: Annotated[FlightQuery, Depends(parse_flight_query)],
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
) -> FlightList:
    result = list_flights(session, staff, replace(query, per_page=per_page), utcnow())
    return FlightList(
        items=[_public(row.flight, row.used) for row in result.rows],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/{flight_id}", response_model=FlightPublic, responses=ONE_FLIGHT)
def get_flight(session: ReadSessionDep, staff: ApiStaff, flight_id: DbId) -> FlightPublic:
    return _reply(session, get_readable_flight(session, staff, flight_id))


@router.post("", response_model=FlightPublic, status_code=201, responses=error_responses(400, 409))
def post_flight(session: SessionDep, staff: ApiCoordinator, body: FlightCreate) -> FlightPublic:
    flight = create_flight(session, parse_flight(body.model_dump()), actor=staff.actor)
    return _reply(session, flight)


@router.patch("/{flight_id}", response_model=FlightPublic, responses=A_CHANGE)
def patch_flight(
    session: SessionDep, staff: ApiCoordinator, flight_id: DbId, patch: FlightPatch
) -> FlightPublic:
    flight = get_readable_flight(session, staff, flight_id)
    changes = patch.model_dump(exclude_unset=True, exclude={"row_version"})
    update_flight(session, flight, changes, expected_version=patch.row_version, actor=staff.actor)
    return _reply(session, flight)


@router.post("/{flight_id}/cancel", response_model=FlightPublic, responses=A_CHANGE)
def post_cancel(
    session: SessionDep,
    staff: ApiCoordinator,
    flight_id: DbId,
    body: CancelIn | None = None,
) -> FlightPublic:
    flight = get_readable_flight(session, staff, flight_id)
    version = body.row_version if body else None
    cancel_flight(session, flight, expected_version=version, actor=staff.actor)
    return _reply(session, flight)
