"""Public registration pages: the form and its Post/Redirect/Get to the private page.

The form works without JavaScript: adding or removing a member is a round trip
that shows the form again with everything typed, and a one-time token makes a
double click, a refresh or a retry land on the same registration.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.audit.service import REGISTRANT
from evac.db import SessionDep, utcnow
from evac.i18n import N_
from evac.registration import idempotency
from evac.registration.case_routes import router as case_router
from evac.registration.decline_routes import router as decline_router
from evac.registration.deps import Posted, private_path, private_url
from evac.registration.forms import (
    RegistrationForm,
    field_errors,
    form_choices,
    member_field,
    new_form_token,
)
from evac.registration.idempotency import IdempotencyKeyReused
from evac.registration.person_routes import router as person_router
from evac.registration.places import geocode_for_registration
from evac.registration.places_routes import router as places_router
from evac.registration.rules import Problem
from evac.registration.seat_routes import router as seat_router
from evac.registration.service import (
    InvalidRegistration,
    TooManyRegistrations,
    register_household,
)
from evac.web.overload import UNAVAILABLE_ERRORS, database_unavailable, retry_headers, unavailable
from evac.web.ratelimit import registration_limit
from evac.web.templating import render, request_gettext, templates

logger = logging.getLogger(__name__)

router = APIRouter()
pages = APIRouter(include_in_schema=False)

# Where the one-time token goes in the cached blank form (never sent as a token).
_TOKEN_SLOT = "form-token-slot"  # noqa: S105 (a marker, not a secret)
_blank_pages: dict[str, list[bytes]] = {}
FORM_SENT_BEFORE = N_(
    "This form was already sent once with different details, so nothing was saved now. "
    "If you registered then, open the private link from your confirmation to change your "
    "case. Otherwise check the details below and send the form again."
)


def today() -> date:
    return utcnow().date()


def render_form(
    request: Request,
    form: RegistrationForm,
    problems: list[Problem] | None = None,
    *,
    status_code: int = 200,
    focus: str | None = None,
    fresh: bool = False,
    notice: str | None = None,
) -> HTMLResponse:
    gettext = request_gettext(request)
    context = {
        "form": form,
        "values": form.values,
        "errors": field_errors(problems or [], gettext),
        "focus": focus,
        "fresh": fresh,
        "notice": notice,
        **form_choices(request.state.language),
    }
    response = render(request, "registration/form.html", context, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    return response


def redraw_refused_form(
    request: Request,
    posted: dict[str, str],
    message: str,
    params: dict[str, Any],
    status_code: int,
) -> HTMLResponse:
    """The form again with everything typed and why nothing was saved, for the web
    layer's refusals (overload, rate limit, database unavailable): see
    ``evac.web.overload.redraw_refused_forms``."""
    form = RegistrationForm.from_post(posted)
    return render_form(request, form, [Problem((), message, params)], status_code=status_code)


@pages.get("/register", response_class=HTMLResponse)
def registration_form(request: Request) -> HTMLResponse:
    """The blank form, with a new one-time token.

    In a surge this page is asked for as often as the form is sent. It is the
    same for everyone reading a language but for the token, so each process
    renders it once per language and then only puts a new token in it
    (except while templates are reloaded on change, in development).
    """
    language = request.state.language
    if templates.env.auto_reload:
        return render_form(request, RegistrationForm.blank(language), fresh=True)
    parts = _blank_pages.get(language)
    if parts is None:
        form = RegistrationForm.blank(language)
        form.token = _TOKEN_SLOT
        parts = render_form(request, form, fresh=True).body.split(_TOKEN_SLOT.encode())
        if len(parts) != 2:
            raise RuntimeError("the registration form must hold its token exactly once")
        _blank_pages[language] = parts
    body = new_form_token().encode().join(parts)
    return HTMLResponse(body, headers={"cache-control": "no-store"})


@pages.post("/register", response_class=HTMLResponse)
def register(request: Request, session: SessionDep, posted: Posted) -> Response:
    form = RegistrationForm.from_post(posted)
    if "remove" in posted:
        form.remove_member(_int(posted["remove"]))
        return render_form(request, form, focus="add-member")
    if posted.get("action") == "add":
        form.add_member()
        return render_form(request, form, focus=member_field(form.member_count - 1, "given_name"))
    data, problems = form.parse(today=today())
    if data is None or problems:
        return render_form(request, form, problems, status_code=422)
    try:
        done = register_household(
            session,
            data,
            actor=REGISTRANT,
            today=today(),
            geocode=geocode_for_registration,
            idempotency_key=idempotency.scoped_key("form", form.token),
            private_link=lambda reference, token: private_url(request, reference, token),
            limit=registration_limit(request),
        )
    except InvalidRegistration as exc:
        return render_form(request, form, exc.problems, status_code=422)
    except TooManyRegistrations as exc:
        problem = Problem((), exc.message, exc.details)
        response = render_form(request, form, [problem], status_code=exc.status_code)
        response.headers.update(retry_headers(exc.retry_after))
        return response
    except IdempotencyKeyReused:
        # The token was used for another registration: nothing of it is shown. A new
        # token lets this one be sent as the new registration it is.
        form.token = new_form_token()
        return render_form(request, form, status_code=409, notice=FORM_SENT_BEFORE)
    except UNAVAILABLE_ERRORS as exc:
        # One transaction: nothing of this household was stored. The same form
        # token comes back with the form, so sending it again cannot register twice.
        if not database_unavailable(exc):
            raise
        logger.warning("the database is unavailable: the form is shown again with 503")
        return unavailable(request, posted)
    location = private_path(done.reference, done.access_token) + "&welcome=1"
    return RedirectResponse(location, status_code=303)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


router.include_router(pages)
router.include_router(case_router)
router.include_router(person_router)
router.include_router(seat_router)
router.include_router(decline_router)
router.include_router(places_router)
