"""The registrant's private case pages, reached with the link's token.

The token travels in the URL of every GET (``/r/ABCD-EFGH?t=…``) and as the
hidden field ``t`` of every POST. A wrong or missing token is the same 404 as
an unknown reference. Each change carries the ``row_version`` the page showed.
"""

from __future__ import annotations

from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlmodel import Session

from evac.db import SessionDep, utcnow
from evac.flights.seating import seat_summary
from evac.i18n import N_
from evac.registration import self_service
from evac.registration.deps import (
    Posted,
    Token,
    apply_change,
    as_first_member,
    find_case,
    member_or_none,
    not_found,
    parsed_or_refused,
    private_url,
    problem_messages,
    render_case,
)
from evac.registration.forms import REQUIRED, parse_contact, parse_location, parse_member
from evac.registration.lost_link import TooManyLinkRequests, request_new_link
from evac.registration.models import Registration
from evac.registration.places import geocode_for_registration
from evac.registration.rules import Problem
from evac.registration.service import InvalidRegistration
from evac.web.ratelimit import client_address
from evac.web.templating import render, request_gettext

router = APIRouter(include_in_schema=False)

SAVED_MESSAGES = {
    "contact": N_("Your contact details are saved."),
    "location": N_("Your location is saved."),
    "member_added": N_("The person was added to your case."),
    "member_removed": N_("The person was removed from your case."),
    "member_updated": N_("The person's details are saved."),
    "withdrawn": N_("Your case is withdrawn. Nobody from it will be placed on a flight."),
    "declined": N_(
        "Your answer is saved and your seats are released. Your mission has been told "
        "and will contact you."
    ),
}


def reference_qr(reference: str, title: str) -> Markup:
    """The reference as a QR code, inline SVG (no request, no inline style)."""
    svg = segno.make(reference, error="m", micro=False).svg_inline(
        scale=5, light="#fff", title=title
    )
    return Markup(svg)  # noqa: S704  (segno's own markup; the reference is [A-Z0-9-])


@router.get("/r/lost", response_class=HTMLResponse)
def lost_link_form(request: Request) -> HTMLResponse:
    return render(request, "registration/lost.html", {"values": {}, "errors": {}})


@router.post("/r/lost", response_class=HTMLResponse)
def lost_link(request: Request, session: SessionDep, posted: Posted) -> HTMLResponse:
    values = {name: posted.get(name, "").strip() for name in ("reference", "email")}
    missing = [Problem((name,), REQUIRED) for name, value in values.items() if not value]
    if missing:
        context = {"values": values, "errors": problem_messages(request, missing)}
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
    registration = find_case(session, reference, t)
    if registration is None or t is None:
        return not_found(request)
    context: dict[str, Any] = {
        "welcome": welcome,
        "saved": SAVED_MESSAGES.get(saved or ""),
        **seat_summary(session, registration, request.state.language),
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
    registration = find_case(session, reference, token)
    if registration is None or token is None:
        return not_found(request)
    context = {"values": _saved_values(registration), "errors": {}, **(context or {})}
    if "position" in context and member_or_none(registration, context["position"]) is None:
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


@router.post("/r/{reference}/contact", response_class=HTMLResponse)
def edit_contact(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    def apply(registration: Registration, version: int) -> None:
        contact = parsed_or_refused(parse_contact(posted))
        self_service.update_contact(session, registration, contact, row_version=version)

    template = EDIT_PAGES["contact"]
    return apply_change(
        request, session, reference, posted, template=template, apply=apply, saved="contact"
    )


@router.post("/r/{reference}/location", response_class=HTMLResponse)
def edit_location(
    request: Request, session: SessionDep, reference: str, posted: Posted
) -> Response:
    def apply(registration: Registration, version: int) -> None:
        location = parsed_or_refused(parse_location(posted))
        self_service.update_location(
            session, registration, location, row_version=version, geocode=geocode_for_registration
        )

    template = EDIT_PAGES["location"]
    return apply_change(
        request, session, reference, posted, template=template, apply=apply, saved="location"
    )


@router.post("/r/{reference}/members/new", response_class=HTMLResponse)
def add_member(request: Request, session: SessionDep, reference: str, posted: Posted) -> Response:
    def apply(registration: Registration, version: int) -> None:
        member = parsed_or_refused(parse_member(posted, 0))
        try:
            self_service.add_member(
                session, registration, member, row_version=version, today=utcnow().date()
            )
        except InvalidRegistration as exc:
            raise InvalidRegistration([as_first_member(p) for p in exc.problems]) from None

    template = EDIT_PAGES["member"]
    return apply_change(
        request, session, reference, posted, template=template, apply=apply, saved="member_added"
    )


@router.post("/r/{reference}/members/{position}/remove", response_class=HTMLResponse)
def remove_member(
    request: Request, session: SessionDep, reference: str, position: int, posted: Posted
) -> Response:
    def apply(registration: Registration, version: int) -> None:
        self_service.remove_member(session, registration, position, row_version=version)

    return apply_change(
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
        self_service.withdraw(session, registration, row_version=version)

    template = EDIT_PAGES["withdraw"]
    return apply_change(
        request, session, reference, posted, template=template, apply=apply, saved="withdrawn"
    )
