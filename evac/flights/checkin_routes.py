"""The check-in page officers use on a phone at the airport."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, func, select

from evac.db import SessionDep
from evac.errors import InvalidInput, NotFound
from evac.flights.checkin import airport_step, close_flight
from evac.flights.manifest_routes import readable_flight
from evac.flights.models import Assignment, Flight
from evac.i18n import get_translations
from evac.staff.deps import StaffDep, verify_csrf
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/checkin", include_in_schema=False)
Protected = [Depends(verify_csrf)]


def _counts(session: Session, flight: Flight) -> dict[str, int]:
    rows = session.exec(
        select(Assignment.status, func.count())
        .where(Assignment.flight_id == flight.id)
        .group_by(Assignment.status)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


@router.get("/{flight_id}", response_class=HTMLResponse)
def checkin_page(
    request: Request, session: SessionDep, staff: StaffDep, flight_id: DbId
) -> HTMLResponse:
    flight = readable_flight(session, staff, flight_id)
    context = {
        "staff": staff,
        "flight": flight,
        "counts": _counts(session, flight),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/checkin.html", context)


@router.post("/{flight_id}", dependencies=Protected)
def checkin_step(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    flight_id: DbId,
    reference: Annotated[SafeText, Form(max_length=40)],
    step: Annotated[str, Form(pattern="^(check_in|board)$")],
) -> RedirectResponse:
    flight = readable_flight(session, staff, flight_id)
    gettext = request_gettext(request)
    response = RedirectResponse(f"/staff/checkin/{flight_id}", status_code=303)
    try:
        done = airport_step(session, staff, flight, reference, step)
    except (InvalidInput, NotFound) as refused:
        flash(response, f"{reference}: {refused.render(gettext)}", kind="error")
        return response
    translations = get_translations(request.state.language)
    if done.status == "checked_in":
        message = translations.ngettext(
            "%(reference)s: %(num)s person checked in.",
            "%(reference)s: %(num)s people checked in.",
            done.people,
        )
    else:
        message = translations.ngettext(
            "%(reference)s: %(num)s person boarded.",
            "%(reference)s: %(num)s people boarded.",
            done.people,
        )
    flash(response, message % {"reference": done.reference, "num": done.people})
    return response


@router.post("/{flight_id}/close", dependencies=Protected)
def close(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    flight_id: DbId,
    confirm: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    flight = readable_flight(session, staff, flight_id)
    gettext = request_gettext(request)
    response = RedirectResponse(f"/staff/checkin/{flight_id}", status_code=303)
    if not confirm:
        flash(response, gettext("Tick the box to confirm that boarding is over."), kind="error")
        return response
    try:
        missing = close_flight(session, staff, flight)
    except InvalidInput as refused:
        flash(response, refused.render(gettext), kind="error")
        return response
    message = get_translations(request.state.language).ngettext(
        "Flight closed; %(num)s person did not show up and lost the seat.",
        "Flight closed; %(num)s people did not show up and lost their seats.",
        missing,
    )
    flash(response, message % {"num": missing})
    return response
