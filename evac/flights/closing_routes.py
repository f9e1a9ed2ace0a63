"""Closing check-in, reopening it, putting no-shows back, departure and arrival.

Each irreversible step is a page that says what will happen (which flight, how
many people, who) and a button that does it; the button carries the count the
officer saw, so a list that changed meanwhile is shown again instead of acted on.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from evac.db import ReadSessionDep, SessionDep
from evac.errors import EvacError
from evac.flights.closing import (
    close_flight,
    closing_preview,
    departure_preview,
    mark_arrived,
    mark_departed,
    put_back,
    reopen_flight,
)
from evac.flights.deps import Protected, Refused, flight_words, page_url
from evac.flights.service import get_readable_flight
from evac.i18n import N_, get_translations
from evac.staff.deps import StaffDep
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/checkin", include_in_schema=False)
REOPENED = N_(
    "Check-in for %(flight)s is open again. Put back the no-shows who came, then close it."
)
Count = Annotated[int | None, Form(ge=0, le=1_000_000)]


@router.get("/{flight_id}/{step}", response_class=HTMLResponse)
def confirmation_page(
    request: Request,
    session: ReadSessionDep,
    staff: StaffDep,
    flight_id: DbId,
    step: Annotated[str, Path(pattern="^(close|depart|arrive)$")],
) -> HTMLResponse:
    """What closing, departure or arrival would do, and the button that does it."""
    flight = get_readable_flight(session, staff, flight_id)
    if step == "close":
        passengers, waiting = closing_preview(session, flight), None
    else:
        passengers, waiting = departure_preview(session, flight)
    context = {
        **flight_words(flight),
        "staff": staff,
        "step": step,
        "passengers": passengers,
        "waiting": waiting if step == "depart" else None,
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/airport_confirm.html", context)


@router.post("/{flight_id}/close", dependencies=Protected)
def close(
    request: Request, session: SessionDep, staff: StaffDep, flight_id: DbId, expected: Count = None
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    if expected is None:  # not sent from the confirmation page: show it first
        return RedirectResponse(f"/staff/checkin/{flight_id}/close", status_code=303)
    try:
        missing = close_flight(session, staff, flight, expected)
    except Refused as refused:
        return _back(request, f"/staff/checkin/{flight_id}/close", refused)
    message = get_translations(request.state.language).ngettext(
        "Check-in for %(flight)s is closed: %(num)s person did not come and lost the seat. "
        "You can reopen check-in until the flight departs.",
        "Check-in for %(flight)s is closed: %(num)s people did not come and lost their "
        "seats. You can reopen check-in until the flight departs.",
        missing,
    )
    response = RedirectResponse(page_url(flight_id), status_code=303)
    flash(response, message % {"flight": flight.flight_number, "num": missing}, kind="warning")
    return response


@router.post("/{flight_id}/reopen", dependencies=Protected)
def reopen(
    request: Request, session: SessionDep, staff: StaffDep, flight_id: DbId
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    try:
        reopen_flight(session, staff, flight)
    except Refused as refused:
        return _back(request, page_url(flight_id), refused)
    response = RedirectResponse(page_url(flight_id), status_code=303)
    message = request_gettext(request)(REOPENED)
    flash(response, message % {"flight": flight.flight_number})
    return response


@router.post("/{flight_id}/put-back", dependencies=Protected)
def put_back_no_shows(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    flight_id: DbId,
    reference: Annotated[SafeText, Form(max_length=40)],
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    try:
        people = put_back(session, staff, flight, reference)
    except Refused as refused:
        return _back(request, page_url(flight_id), refused, prefix=reference)
    message = get_translations(request.state.language).ngettext(
        "%(reference)s: %(num)s person is expected again and can check in.",
        "%(reference)s: %(num)s people are expected again and can check in.",
        people,
    )
    response = RedirectResponse(page_url(flight_id, reference), status_code=303)
    flash(response, message % {"reference": reference, "num": people})
    return response


@router.post("/{flight_id}/depart", dependencies=Protected)
def depart(
    request: Request, session: SessionDep, staff: StaffDep, flight_id: DbId, expected: Count = None
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    if expected is None:
        return RedirectResponse(f"/staff/checkin/{flight_id}/depart", status_code=303)
    try:
        people = mark_departed(session, staff, flight, expected)
    except Refused as refused:
        return _back(request, f"/staff/checkin/{flight_id}/depart", refused)
    message = get_translations(request.state.language).ngettext(
        "%(flight)s has departed with %(num)s person on board.",
        "%(flight)s has departed with %(num)s people on board.",
        people,
    )
    response = RedirectResponse(page_url(flight_id), status_code=303)
    flash(response, message % {"flight": flight.flight_number, "num": people})
    return response


@router.post("/{flight_id}/arrive", dependencies=Protected)
def arrive(
    request: Request, session: SessionDep, staff: StaffDep, flight_id: DbId, expected: Count = None
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    if expected is None:
        return RedirectResponse(f"/staff/checkin/{flight_id}/arrive", status_code=303)
    try:
        people = mark_arrived(session, staff, flight, expected)
    except Refused as refused:
        return _back(request, f"/staff/checkin/{flight_id}/arrive", refused)
    message = get_translations(request.state.language).ngettext(
        "%(flight)s has arrived: %(num)s person is home and the case is closed.",
        "%(flight)s has arrived: %(num)s people are home and their cases are closed.",
        people,
    )
    response = RedirectResponse(page_url(flight_id), status_code=303)
    flash(response, message % {"flight": flight.flight_number, "num": people})
    return response


def _back(request: Request, url: str, refused: EvacError, prefix: str = "") -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    text = refused.render(request_gettext(request))
    flash(response, f"{prefix}: {text}" if prefix else text, kind="error")
    return response
