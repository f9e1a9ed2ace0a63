"""The registrant's seat: confirm that the household will travel, then print
the boarding passes (only once the seat is confirmed).

Each route opens with the private link's token ``t`` or with the seat pass
``s`` of a seat notice (see ``seat_links``), which reaches this seat only.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from evac.audit.service import REGISTRANT
from evac.db import SessionDep
from evac.errors import InvalidInput, NotFound
from evac.flights.documents import PassLayout, boarding_passes_pdf
from evac.flights.journey_legs import journey_of
from evac.flights.manifest import build_manifest
from evac.flights.models import Flight
from evac.flights.seating import (
    PRINTABLE_CASE_STATUSES,
    confirm_seats,
    household_flight,
    seat_summary,
)
from evac.registration.deps import PRIVATE_HEADERS, not_found, private_path, render_case
from evac.registration.models import Registration
from evac.registration.seat_links import find_by_seat_pass, seat_path
from evac.registration.service import find_by_token
from evac.settings import get_settings

router = APIRouter(include_in_schema=False)


def _open(
    session: Session, reference: str, token: str | None, pass_: str | None
) -> tuple[Registration, Flight | None]:
    """The case and its current flight; a seat pass for an older flight gives no flight."""
    if pass_:
        registration, flight_id = find_by_seat_pass(session, reference, pass_)
        flight = household_flight(session, registration)
        return registration, flight if flight is not None and flight.id == flight_id else None
    registration = find_by_token(session, reference, token)
    return registration, household_flight(session, registration)


@router.get("/r/{reference}/seat", response_class=HTMLResponse)
def seat_page(request: Request, session: SessionDep, reference: str, s: str = "") -> Response:
    try:
        registration, flight = _open(session, reference, None, s)
    except NotFound:
        return not_found(request)
    seat = seat_summary(session, registration, request.state.language) if flight else {}
    context = {"seat_pass": s, **seat}
    response = render_case(request, "registration/seat.html", registration, "", context)
    response.headers.update(PRIVATE_HEADERS)
    return response


@router.post("/r/{reference}/seats/confirm", response_model=None)
def confirm(
    request: Request,
    session: SessionDep,
    reference: str,
    t: Annotated[str, Form(max_length=100)] = "",
    s: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        registration, flight = _open(session, reference, t, s)
    except NotFound:
        return not_found(request)
    # Confirmed already, or the seat is gone: the page shows how things stand.
    if flight is not None:
        with suppress(InvalidInput):
            confirm_seats(session, registration, actor=REGISTRANT)
    back = seat_path(registration.reference, s) if s else private_path(registration.reference, t)
    return RedirectResponse(back + "#seat", status_code=303)


@router.get("/r/{reference}/boarding-passes.pdf", response_model=None)
def boarding_passes(
    request: Request,
    session: SessionDep,
    reference: str,
    t: str | None = None,
    s: str | None = None,
    layout: PassLayout = PassLayout.household,
) -> Response:
    """The household's page of boarding passes, or ``?layout=tickets``, one per passenger."""
    try:
        registration, flight = _open(session, reference, t, s)
    except NotFound:
        return not_found(request)
    if flight is None or registration.status not in PRINTABLE_CASE_STATUSES:
        return not_found(request)
    manifest = build_manifest(session, flight, get_settings().home_country)
    language = registration.language
    journey = journey_of(session, registration, language)
    return Response(
        boarding_passes_pdf(registration, manifest, language, layout, journey),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="boarding-{registration.reference}.pdf"',
            **PRIVATE_HEADERS,
        },
    )
