"""The registrant's seat: confirm that the household will travel, then print
the boarding passes (only once the seat is confirmed)."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from evac.audit.service import REGISTRANT
from evac.db import SessionDep
from evac.errors import InvalidInput, NotFound
from evac.flights.documents import boarding_passes_pdf
from evac.flights.manifest import build_manifest
from evac.flights.seating import PRINTABLE_CASE_STATUSES, confirm_seats, household_flight
from evac.registration.case_routes import not_found, private_path
from evac.registration.service import find_by_token
from evac.settings import get_settings

router = APIRouter(include_in_schema=False)


@router.post("/r/{reference}/seats/confirm", response_model=None)
def confirm(
    request: Request,
    session: SessionDep,
    reference: str,
    t: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        registration = find_by_token(session, reference, t)
    except NotFound:
        return not_found(request)
    # Confirmed already, or the seat is gone: the page shows how things stand.
    with suppress(InvalidInput):
        confirm_seats(session, registration, actor=REGISTRANT)
    return RedirectResponse(private_path(registration.reference, t) + "#seat", status_code=303)


@router.get("/r/{reference}/boarding-passes.pdf", response_model=None)
def boarding_passes(
    request: Request, session: SessionDep, reference: str, t: str | None = None
) -> Response:
    try:
        registration = find_by_token(session, reference, t)
    except NotFound:
        return not_found(request)
    flight = household_flight(session, registration)
    if flight is None or registration.status not in PRINTABLE_CASE_STATUSES:
        return not_found(request)
    manifest = build_manifest(session, flight, get_settings().home_country)
    return Response(
        boarding_passes_pdf(registration, manifest, registration.language),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="boarding-{registration.reference}.pdf"',
            "Cache-Control": "no-store",
        },
    )
