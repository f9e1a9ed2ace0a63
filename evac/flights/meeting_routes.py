"""The meeting point and instructions of a flight, written in each language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import ReadSessionDep, SessionDep
from evac.errors import Conflict
from evac.flights.deps import Protected
from evac.flights.meeting import save_meeting_texts
from evac.flights.meeting_texts import (
    MAX_INSTRUCTIONS,
    MAX_POINT,
    parse_meeting_texts,
    written_texts,
)
from evac.flights.models import Flight, FlightStatus
from evac.flights.service import get_readable_flight
from evac.i18n import language_name
from evac.registration.deps import Posted
from evac.settings import SUPPORTED_LANGUAGES, get_settings
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role
from evac.staff.models import Role
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(include_in_schema=False)
Coordinator = Annotated[StaffContext, Depends(require_role(Role.coordinator))]


def _values(flight: Flight) -> dict[str, str]:
    return {
        f"{name}-{language}": text[name]
        for language, text in written_texts(flight).items()
        for name in ("point", "instructions")
    }


def _page(
    request: Request,
    staff: StaffContext,
    flight: Flight,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    version: int | None = None,
) -> HTMLResponse:
    home = get_settings().home_language
    languages = [home, *(code for code in SUPPORTED_LANGUAGES if code != home)]
    context: dict[str, Any] = {
        "staff": staff,
        "flight": flight,
        "values": values,
        "errors": errors or {},
        "home_language": home,
        "meeting_languages": [(code, language_name(code)) for code in languages],
        "row_version": flight.row_version if version is None else version,
        "max_point": MAX_POINT,
        "max_instructions": MAX_INSTRUCTIONS,
        "flashes": pop_flashes(request),
        "cancelled": flight.status == FlightStatus.cancelled,
    }
    return render(request, "flights/meeting.html", context, status_code=status_code)


@router.get("/{flight_id}/meeting", response_class=HTMLResponse)
def meeting_page(
    request: Request, session: ReadSessionDep, staff: Coordinator, flight_id: int
) -> HTMLResponse:
    flight = get_readable_flight(session, staff, flight_id)
    return _page(request, staff, flight, _values(flight))


@router.post("/{flight_id}/meeting", dependencies=Protected, response_model=None)
def save_meeting(
    request: Request, session: SessionDep, staff: Coordinator, flight_id: int, posted: Posted
) -> Response:
    flight = get_readable_flight(session, staff, flight_id)
    gettext = request_gettext(request)
    texts, problems = parse_meeting_texts(posted)
    try:
        version = int(posted.get("row_version", ""))
    except ValueError:
        version = -1
    if flight.status == FlightStatus.cancelled:
        return _page(request, staff, flight, dict(posted), status_code=409)
    if problems:
        errors = {name: gettext(msgid) % params for name, (msgid, params) in problems.items()}
        return _page(request, staff, flight, dict(posted), errors, 422, version)
    try:
        changed = save_meeting_texts(
            session, flight, texts, expected_version=version, actor=staff.actor
        )
    except Conflict as refused:
        errors = {"form": refused.render(gettext)}
        return _page(request, staff, flight, dict(posted), errors, 409, version)
    response = RedirectResponse(f"/staff/flights/{flight.id}#meeting-point", status_code=303)
    if changed:
        flash(response, gettext("The meeting point is saved; the passengers are told."))
    else:
        flash(response, gettext("Nothing changed."))
    return response
