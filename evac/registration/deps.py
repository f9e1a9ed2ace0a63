"""What the registrant's private pages share, and what other pages need of them.

The registration form's posted fields, the private link to a case, and how a
private case page is found, drawn and changed (a wrong token and an unknown
reference both end in the same 404).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

import phonenumbers
from babel.dates import format_date
from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from evac.errors import InvalidInput, NotFound
from evac.links import public_link
from evac.registration import self_service
from evac.registration.forms import NEED_LABELS, field_errors, form_choices
from evac.registration.models import Registration
from evac.registration.people import can_edit_people
from evac.registration.rules import Problem
from evac.registration.service import InvalidRegistration, find_by_token
from evac.web.templating import render, request_gettext

Token = Annotated[str | None, Query(alias="t")]


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


def find_case(session: Session, reference: str, token: str | None) -> Registration | None:
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
    label, next_step = self_service.STATUS_WORDS[registration.status]
    page = {
        "case": registration,
        "token": token,
        "status_label": label,
        "next_step": next_step,
        "row_version": registration.row_version,
        "can_edit_contact": self_service.can_edit_contact(registration),
        "can_edit_household": self_service.can_edit_household(registration),
        "can_withdraw": self_service.can_withdraw(registration),
        "can_edit_people": can_edit_people(registration),
        "need_labels": NEED_LABELS,
        "phone_display": _phone_display(registration.phone),
        "second_phone_display": _phone_display(registration.second_contact_phone),
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


def problem_messages(request: Request, problems: list[Problem]) -> dict[str, str]:
    return field_errors(problems, request_gettext(request))


def member_or_none(registration: Registration, position: int) -> Any:
    try:
        return self_service.member_at(registration, position)
    except NotFound:
        return None


def posted_int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1


def apply_change(
    request: Request,
    session: Session,
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
    registration = find_case(session, reference, token)
    if registration is None or token is None:
        return not_found(request)
    seen_version = posted_int(posted.get("row_version"))
    context: dict[str, Any] = {"values": dict(posted), "errors": {}, **(extra or {})}
    try:
        apply(registration, seen_version)
    except InvalidRegistration as exc:
        context.update(errors=problem_messages(request, exc.problems), row_version=seen_version)
        return render_case(request, template, registration, token, context, 422)
    except self_service.StaleCase:
        context["conflict"] = True
        return render_case(request, template, registration, token, context, 409)
    except self_service.CaseLocked:
        context = {"notice": self_service.LOCKED}
        return render_case(request, "registration/case.html", registration, token, context, 409)
    except InvalidInput as exc:
        context["notice"] = exc.message
        return render_case(request, "registration/case.html", registration, token, context, 422)
    return RedirectResponse(
        private_path(registration.reference, token) + f"&saved={saved}", status_code=303
    )


def parsed_or_refused(result: tuple[Any, list[Problem]]) -> Any:
    value, problems = result
    if problems or value is None:
        raise InvalidRegistration(problems)
    return value


def as_first_member(problem: Problem) -> Problem:
    """A page that shows one person shows it as member 0, whatever its place in the case."""
    if problem.loc[:1] == ("members",) and len(problem.loc) > 2:
        return Problem(("members", 0, *problem.loc[2:]), problem.message, problem.params)
    return problem
