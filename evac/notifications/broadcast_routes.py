"""Broadcast pages: write, preview with the count of recipients, then send."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.scope import require_case_access
from evac.db import ReadSessionDep, SessionDep
from evac.i18n import N_, get_translations, language_name
from evac.notifications.broadcast import (
    MAX_SMS,
    Draft,
    Problems,
    check_audience,
    flight_choices,
    parse_draft,
    preview,
    reach,
    recent_broadcasts,
    send_broadcast,
)
from evac.notifications.delivery import delivery
from evac.registration.deps import Posted
from evac.settings import SUPPORTED_LANGUAGES
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/broadcasts", include_in_schema=False)
Protected = [Depends(verify_csrf)]
CHANGED_SINCE_PREVIEW = N_(
    "The message or its recipients changed since the preview. Check this preview, then send."
)


def broadcaster(staff: StaffDep) -> StaffContext:
    require_case_access(staff)
    return staff


Broadcaster = Annotated[StaffContext, Depends(broadcaster)]


def _page(
    request: Request,
    session: SessionDep,
    staff: StaffContext,
    values: dict[str, str],
    *,
    problems: Problems | None = None,
    draft: Draft | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    gettext = request_gettext(request)
    context: dict[str, Any] = {
        "staff": staff,
        "values": values,
        "errors": {
            name: gettext(msgid) % params for name, (msgid, params) in (problems or {}).items()
        },
        "countries": staff.country_choices(request.state.language),
        "flights": flight_choices(session, staff),
        "languages": [(code, language_name(code)) for code in SUPPORTED_LANGUAGES],
        "broadcasts": recent_broadcasts(session, staff),
        "flashes": pop_flashes(request),
        "notice": gettext(notice) if notice else None,
        "max_sms": MAX_SMS,
        "delivery": delivery(),
    }
    if draft is not None:
        context |= {
            "reach": reach(session, staff, draft),
            "previews": preview(draft),
            "channels": draft.channels,
            "fingerprint": draft.fingerprint(),
        }
    return render(request, "notifications/broadcasts.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def broadcasts_page(request: Request, session: ReadSessionDep, staff: Broadcaster) -> HTMLResponse:
    return _page(request, session, staff, {"audience": "country", "channel_email": "1"})


def _checked(
    session: SessionDep, staff: StaffContext, posted: dict[str, str]
) -> tuple[Draft, Problems]:
    draft, problems = parse_draft(posted)
    return draft, problems or check_audience(session, staff, draft)


@router.post("/preview", response_class=HTMLResponse, dependencies=Protected)
def preview_broadcast(
    request: Request, session: SessionDep, staff: Broadcaster, posted: Posted
) -> HTMLResponse:
    draft, problems = _checked(session, staff, posted)
    if problems:
        return _page(request, session, staff, posted, problems=problems, status_code=422)
    return _page(request, session, staff, posted, draft=draft)


@router.post("", response_model=None, dependencies=Protected)
def send(request: Request, session: SessionDep, staff: Broadcaster, posted: Posted) -> Response:
    draft, problems = _checked(session, staff, posted)
    if problems:
        return _page(request, session, staff, posted, problems=problems, status_code=422)
    if posted.get("fingerprint") != draft.fingerprint():
        return _page(
            request, session, staff, posted, draft=draft, notice=CHANGED_SINCE_PREVIEW,
            status_code=409,
        )  # fmt: skip
    broadcast = send_broadcast(session, staff, draft)
    response = RedirectResponse("/staff/broadcasts", status_code=303)
    message = get_translations(request.state.language).ngettext(
        "The broadcast is queued for %(num)s household.",
        "The broadcast is queued for %(num)s households.",
        broadcast.households,
    )
    gettext = request_gettext(request)
    problems = [gettext(problem) for problem in delivery().problems]
    flash(response, message % {"num": broadcast.households}, problems,
          "warning" if problems else "success")  # fmt: skip
    return response
