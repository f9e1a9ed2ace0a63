"""An officer sends a registrant a new private link from the case page (audited)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from evac.cases.deps import CaseReader, Protected
from evac.cases.scope import get_readable_case
from evac.db import SessionDep
from evac.links import public_link
from evac.registration.lost_link import NoAddress, send_link_for_staff
from evac.web.flash import flash
from evac.web.templating import request_gettext

router = APIRouter(include_in_schema=False)


@router.post("/{reference}/send-link", dependencies=Protected)
def send_link(
    request: Request, session: SessionDep, staff: CaseReader, reference: str
) -> RedirectResponse:
    case = get_readable_case(session, staff, reference)
    response = RedirectResponse(f"/staff/cases/{case.reference}#send-link", status_code=303)
    gettext = request_gettext(request)
    try:
        channels = send_link_for_staff(
            session,
            case,
            actor=staff.actor,
            private_link=lambda ref, token: public_link(
                f"/r/{ref}?{urlencode({'t': token})}", request.app.state.settings
            ),
        )
    except NoAddress as refused:
        flash(response, refused.render(gettext), kind="error")
        return response
    if len(channels) == 2:
        message = gettext("A new private link is queued by email and by SMS.")
    elif channels[0] == "sms":
        message = gettext("A new private link is queued by SMS.")
    else:
        message = gettext("A new private link is queued by email.")
    flash(response, message)
    return response
