"""The check-in page officers use on a phone at the airport: find a household, tick
the people who are here, check them in, board them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, func, select

from evac.db import ReadSessionDep, SessionDep
from evac.flights.airport_list import households_on
from evac.flights.checkin import board, check_in
from evac.flights.closing import no_shows
from evac.flights.deps import Protected, Refused, flight_words, page_url
from evac.flights.models import Assignment, Flight
from evac.flights.service import get_readable_flight
from evac.i18n import get_translations
from evac.staff.deps import StaffDep
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/checkin", include_in_schema=False)


def _counts(session: Session, flight: Flight) -> dict[str, int]:
    rows = session.exec(
        select(Assignment.status, func.count())
        .where(Assignment.flight_id == flight.id)
        .group_by(Assignment.status)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


@router.get("/{flight_id}", response_class=HTMLResponse)
def checkin_page(
    request: Request,
    session: ReadSessionDep,
    staff: StaffDep,
    flight_id: DbId,
    q: Annotated[SafeText, Query(max_length=100)] = "",
) -> HTMLResponse:
    flight = get_readable_flight(session, staff, flight_id)
    context = {
        **flight_words(flight),
        "staff": staff,
        "counts": _counts(session, flight),
        "listing": households_on(session, flight, q),
        "no_shows": no_shows(session, flight),
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
    person: Annotated[list[DbId], Form(max_length=40)] = [],  # noqa: B006
    version: Annotated[DbId | None, Form()] = None,
    q: Annotated[SafeText, Form(max_length=100)] = "",
) -> RedirectResponse:
    flight = get_readable_flight(session, staff, flight_id)
    response = RedirectResponse(page_url(flight_id, q), status_code=303)
    try:
        if step == "check_in":
            done = check_in(session, staff, flight, reference, person, expected_version=version)
        else:
            done = board(session, staff, flight, reference, expected_version=version)
    except Refused as refused:
        flash(response, f"{reference}: {refused.render(request_gettext(request))}", kind="error")
        return response
    translations = get_translations(request.state.language)
    if step == "check_in":
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
