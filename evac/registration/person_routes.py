"""The registrant corrects a person's details through the private link.

The page is the registration form's own member fields, filled in with what is
saved; a change goes through ``evac.registration.people`` like an officer's.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from evac.audit.service import REGISTRANT
from evac.db import SessionDep, utcnow
from evac.errors import InvalidInput
from evac.registration.deps import (
    Posted,
    Token,
    apply_change,
    as_first_member,
    find_case,
    member_or_none,
    not_found,
    parsed_or_refused,
    render_case,
)
from evac.registration.forms import parse_member
from evac.registration.models import Registration
from evac.registration.people import Editor, SeatsInTheWay, edit_person
from evac.registration.person_form import person_form_values
from evac.registration.service import InvalidRegistration

router = APIRouter(include_in_schema=False)
TEMPLATE = "registration/edit_member.html"
REGISTRANT_EDITOR = Editor(REGISTRANT, staff=False)


@router.get("/r/{reference}/members/{position}/edit", response_class=HTMLResponse)
def edit_member_page(
    request: Request, session: SessionDep, reference: str, position: int, t: Token = None
) -> Response:
    registration = find_case(session, reference, t)
    person = member_or_none(registration, position) if registration else None
    if registration is None or person is None or t is None:
        return not_found(request)
    context = {"values": person_form_values(person), "errors": {}, "position": position}
    return render_case(request, TEMPLATE, registration, t, context)


@router.post("/r/{reference}/members/{position}/edit", response_class=HTMLResponse)
def edit_member(
    request: Request, session: SessionDep, reference: str, position: int, posted: Posted
) -> Response:
    def apply(registration: Registration, version: int) -> None:
        member = parsed_or_refused(parse_member(posted, 0))
        try:
            edit_person(
                session,
                registration,
                position,
                member,
                editor=REGISTRANT_EDITOR,
                row_version=version,
                today=utcnow().date(),
            )
        except InvalidRegistration as exc:
            raise InvalidRegistration([as_first_member(p) for p in exc.problems]) from None
        except SeatsInTheWay as exc:
            raise InvalidInput(exc.message) from None

    return apply_change(
        request,
        session,
        reference,
        posted,
        template=TEMPLATE,
        apply=apply,
        saved="member_updated",
        extra={"position": position},
    )
