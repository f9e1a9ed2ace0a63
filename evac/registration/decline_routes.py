"""The registrant's "no" to the offered flight: a page that asks first, then the change."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from evac.db import SessionDep
from evac.flights.seating import seat_summary
from evac.registration import decline as declining
from evac.registration.deps import Posted, Token, apply_change, find_case, not_found, render_case
from evac.registration.models import Registration

router = APIRouter(include_in_schema=False)
TEMPLATE = "registration/decline.html"


def _context(
    request: Request, session: SessionDep, registration: Registration
) -> dict[str, object]:
    seat = seat_summary(session, registration, request.state.language)
    return {**seat, **declining.decline_summary(registration)}


@router.get("/r/{reference}/decline", response_class=HTMLResponse)
def decline_page(
    request: Request, session: SessionDep, reference: str, t: Token = None
) -> Response:
    registration = find_case(session, reference, t)
    if registration is None or t is None:
        return not_found(request)
    context = {"values": {}, "errors": {}, **_context(request, session, registration)}
    return render_case(request, TEMPLATE, registration, t, context)


@router.post("/r/{reference}/decline", response_class=HTMLResponse)
def decline(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    registration = find_case(session, reference, posted.get("t") or None)
    if registration is None:
        return not_found(request)
    extra = _context(request, session, registration)

    def apply(registration: Registration, version: int) -> None:
        kind, reason = declining.parse_decline(posted)
        declining.decline(session, registration, kind, reason, row_version=version)

    return apply_change(
        request, session, reference, posted, template=TEMPLATE, apply=apply, saved="declined",
        extra=extra,
    )  # fmt: skip
