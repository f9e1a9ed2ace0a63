"""The registrant's private case pages, reached with the link's token.

The token travels in the URL of every GET (``/r/ABCD-EFGH?t=…``) and as the
hidden field ``t`` of every POST. A wrong or missing token is the same 404 as
an unknown reference. Each change carries the ``row_version`` the page showed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

import phonenumbers
import segno
from babel.dates import format_date
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlmodel import Session

from evac.db import SessionDep, utcnow
from evac.errors import InvalidInput, NotFound
from evac.flights.seating import seat_summary
from evac.i18n import N_
from evac.links import public_link
from evac.registration import case
from evac.registration.forms import (
    NEED_LABELS,
    REQUIRED,
    field_errors,
    form_choices,
    parse_contact,
    parse_location,
    parse_member,
)
from evac.registration.lost_link import TooManyLinkRequests, request_new_link
from evac.registration.models import Registration
from evac.registration.people import can_edit_people
from evac.registration.places import geocode_for_registration
from evac.registration.rules import Problem
from evac.registration.service import InvalidRegistration, find_by_token
from evac.web.ratelimit import client_address
from evac.web.templating import render, request_gettext

router = APIRouter(include_in_schema=False)

Token = Annotated[str | None, Query(alias="t")]
SAVED_MESSAGES = {
    "contact": N_("Your contact details are saved."),
    "location": N_("Your location is saved."),
    "member_added": N_("The person was added to your case."),
    "member_removed": N_("The person was removed from your case."),
    "member_updated": N_("The person's details are saved."),
    "withdrawn": N_("Your case is withdrawn. Nobody from it will be placed on a flight."),
}
PRIVATE_HEADERS = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
}


async def posted_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (files are refused)."""
    form = await request.form(max_files=0)
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(posted_fields)]


def private_path(reference: str, token: str) -> str:
    return f"/r/{reference}?{urlencode({'t': token})}"


def private_url(request: Request, reference: str, token: str) -> str:
    """The absolute private link, on the app's public URL, never on the Host header."""
    return public_link(private_path(reference, token), request.app.state.settings)


def reference_qr(reference: str, title: str) -> Markup:
    """The reference as a QR code, inline SVG (no request, no inline style)."""
    svg = segno.make(reference, error="m", micro=False).svg_inline(
        scale=5, light="#fff", title=title
    )
    return Markup(svg)  # noqa: S704  (segno's own markup; the reference is [A-Z0-9-])


def _find(session: Session, reference: str, token: str | None) -> Registration | None:
    try:
        return find_by_token(session, reference, token)
    except NotFound:
        return None


def not_found(request: Request) -> HTMLResponse:
    response = render(request, "registration/not_found.html", status_code=404)
    response.headers.update(PRIVATE_HEADERS)
    return response


def render_case(
    request: Request,
    template: str,
    registration: Registration,
    token: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    label, next_step = case.STATUS_WORDS[registration.status]
    page = {
        "case": registration,
        "token": token,
        "status_label": label,
        "next_step": next_step,
        "row_version": registration.row_version,
        "can_edit_contact": case.can_edit_contact(registration),
        "can_edit_household": case.can_edit_household(registration),
        "can_withdraw": case.can_withdraw(registration),
        "can_edit_people": can_edit_people(registration),
        "need_labels": NEED_LABELS,
        "phone_display": _phone_display(registration.phone),
        "person_needs": lambda person: [name for name, _ in NEED_LABELS if getattr(person, name)],
        "long_date": lambda day: format_date(day, format="long", locale=request.state.language),
        **form_choices(request.state.language),
        **(context or {}),
    }
    response = render(request, template, page, status_code=status_code)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _phone_display(phone: str | None) -> str:
    """+49301234567 as +49 30 1234567, easier to read back on the phone."""
    if not phone:
        return "—"
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _errors(request: Request, problems: list[Problem]) -> dict[str, str]:
    return field_errors(problems, request_gettext(request))


@router.get("/r/lost", response_class=HTMLResponse)
def lost_link_form(request: Request) -> HTMLResponse:
    return render(request, "registration/lost.html", {"values": {}, "errors": {}})


@router.post("/r/lost", response_class=HTMLResponse)
def lost_link(request: Request, session: SessionDep, posted: Posted) -> HTMLResponse:
    values = {name: posted.get(name, "").strip() for name in ("reference", "email")}
    missing = [Problem((name,), REQUIRED) for name, value in values.items() if not value]
    if missing:
        context = {"values": values, "errors": _errors(request, missing)}
        return render(request, "registration/lost.html", context, status_code=422)
    try:
        request_new_link(
            session,
            values["reference"],
            values["email"],
            client=client_address(request.scope),
            private_link=lambda reference, token: private_url(request, reference, token),
        )
    except TooManyLinkRequests as exc:
        context = {"values": values, "errors": {}, "notice": exc.render(request_gettext(request))}
        response = render(request, "registration/lost.html", context, status_code=429)
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    return render(request, "registration/lost.html", {"values": {}, "sent": True})


@router.get("/r/{reference}", response_class=HTMLResponse)
def case_page(
    request: Request,
    session: SessionDep,
    reference: str,
    t: Token = None,
    welcome: bool = False,
    saved: str | None = None,
) -> HTMLResponse:
    registration = _find(session, reference, t)
    if registration is None or t is None:
        return not_found(request)
    context: dict[str, Any] = {
        "welcome": welcome,
        "saved": SAVED_MESSAGES.get(saved or ""),
        **seat_summary(session, registration),
    }
    if welcome:
        gettext = request_gettext(request)
        context["link"] = private_url(request, registration.reference, t)
        context["qr"] = reference_qr(registration.reference, gettext("Reference code"))
    return render_case(request, "registration/case.html", registration, t, context)


EDIT_PAGES = {
    "contact": "registration/edit_contact.html",
    "location": "registration/edit_location.html",
    "member": "registration/add_member.html",
    "remove": "registration/remove_member.html",
    "withdraw": "registration/withdraw.html",
}


def _show(
    request: Request,
    session: Session,
    reference: str,
    token: str | None,
    page: str,
    context: dict[str, Any] | None = None,
) -> HTMLResponse:
    registration = _find(session, reference, token)
    if registration is None or token is None:
        return not_found(request)
    context = {"values": _saved_values(registration), "errors": {}, **(context or {})}
    if "position" in context and _member_or_none(registration, context["position"]) is None:
        return not_found(request)
    return render_case(request, EDIT_PAGES[page], registration, token, context)


@router.get("/r/{reference}/contact", response_class=HTMLResponse)
def contact_page(
    request: Request, session: SessionDep, reference: str, t: Token = None
) -> Response:
    return _show(request, session, reference, t, "contact")


@router.get("/r/{reference}/location", response_class=HTMLResponse)
def location_page(
    request: Request, session: SessionDep, reference: str, t: Token = None
) -> Response:
    return _show(request, session, reference, t, "location")


@router.get("/r/{reference}/members/new", response_class=HTMLResponse)
def add_member_page(
    request: Request, session: SessionDep, reference: str, t: Token = None
) -> Response:
    values = {"members-0-medical_urgency": "none"}
    return _show(request, session, reference, t, "member", {"values": values})


@router.get("/r/{reference}/members/{position}/remove", response_class=HTMLResponse)
def remove_member_page(
    request: Request, session: SessionDep, reference: str, position: int, t: Token = None
) -> Response:
    return _show(request, session, reference, t, "remove", {"position": position})


@router.get("/r/{reference}/withdraw", response_class=HTMLResponse)
def withdraw_page(
    request: Request, session: SessionDep, reference: str, t: Token = None
) -> Response:
    return _show(request, session, reference, t, "withdraw")


def _saved_values(registration: Registration) -> dict[str, str]:
    values = {
        "phone": registration.phone or "",
        "email": registration.email or "",
        "language": registration.language,
        "country": registration.country,
        "city": registration.city or "",
        "address": registration.address or "",
    }
    for name in ("latitude", "longitude"):
        value = getattr(registration, name)
        values[name] = "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")
    return values


def _member_or_none(registration: Registration, position: int) -> Any:
    try:
        return case.member_at(registration, position)
    except NotFound:
        return None


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1


def _change(
    request: Request,
    session: SessionDep,
    reference: str,
    posted: Mapping[str, str],
    *,
    template: str,
    apply: Callable[[Registration, int], None],
    saved: str,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """Apply one change from a POST, then redirect; or show the page again with why not."""
    token = posted.get("t") or None
    registration = _find(session, reference, token)
    if registration is None or token is None:
        return not_found(request)
    seen_version = _int(posted.get("row_version"))
    context: dict[str, Any] = {"values": dict(posted), "errors": {}, **(extra or {})}
    try:
        apply(registration, seen_version)
    except InvalidRegistration as exc:
        context.update(errors=_errors(request, exc.problems), row_version=seen_version)
        return render_case(request, template, registration, token, context, 422)
    except case.StaleCase:
        context["conflict"] = True
        return render_case(request, template, registration, token, context, 409)
    except case.CaseLocked:
        context = {"notice": case.LOCKED}
        return render_case(request, "registration/case.html", registration, token, context, 409)
    except InvalidInput as exc:
        context["notice"] = exc.message
        return render_case(request, "registration/case.html", registration, token, context, 422)
    return RedirectResponse(
        private_path(registration.reference, token) + f"&saved={saved}", status_code=303
    )


def _parsed(result: tuple[Any, list[Problem]]) -> Any:
    value, problems = result
    if problems or value is None:
        raise InvalidRegistration(problems)
    return value


@router.post("/r/{reference}/contact", response_class=HTMLResponse)
def edit_contact(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    def apply(registration: Registration, version: int) -> None:
        contact = _parsed(parse_contact(posted))
        case.update_contact(session, registration, contact, row_version=version)

    template = EDIT_PAGES["contact"]
    return _change(
        request, session, reference, posted, template=template, apply=apply, saved="contact"
    )


@router.post("/r/{reference}/location", response_class=HTMLResponse)
def edit_location(
    request: Request, session: SessionDep, reference: str, posted: Posted
) -> Response:
    def apply(registration: Registration, version: int) -> None:
        location = _parsed(parse_location(posted))
        case.update_location(
            session, registration, location, row_version=version, geocode=geocode_for_registration
        )

    template = EDIT_PAGES["location"]
    return _change(
        request, session, reference, posted, template=template, apply=apply, saved="location"
    )


@router.post("/r/{reference}/members/new", response_class=HTMLResponse)
def add_member(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    def apply(registration: Registration, version: int) -> None:
        member = _parsed(parse_member(posted, 0))
        try:
            case.add_member(
                session, registration, member, row_version=version, today=utcnow().date()
            )
        except InvalidRegistration as exc:
            raise InvalidRegistration([_as_first_member(p) for p in exc.problems]) from None

    template = EDIT_PAGES["member"]
    return _change(
        request, session, reference, posted, template=template, apply=apply, saved="member_added"
    )


def _as_first_member(problem: Problem) -> Problem:
    """The page adds one person, shown as member 0 whatever its place in the case."""
    if problem.loc[:1] == ("members",) and len(problem.loc) > 2:
        return Problem(("members", 0, *problem.loc[2:]), problem.message, problem.params)
    return problem


@router.post("/r/{reference}/members/{position}/remove", response_class=HTMLResponse)
def remove_member(
    request: Request, session: SessionDep, reference: str, position: int, posted: Posted
) -> Response:
    def apply(registration: Registration, version: int) -> None:
        case.remove_member(session, registration, position, row_version=version)

    return _change(
        request,
        session,
        reference,
        posted,
        template=EDIT_PAGES["remove"],
        apply=apply,
        saved="member_removed",
        extra={"position": position},
    )


@router.post("/r/{reference}/withdraw", response_class=HTMLResponse)
def withdraw(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    def apply(registration: Registration, version: int) -> None:
        case.withdraw(session, registration, row_version=version)

    template = EDIT_PAGES["withdraw"]
    return _change(
        request, session, reference, posted, template=template, apply=apply, saved="withdrawn"
    )
