"""Officers correct a person's details from the case page, whatever the case's
status, and record an emergency travel document for someone without one.

The form is the registration form's member fields (with the ETD among the
document types); the change goes through ``evac.registration.people``, the
registrant's path, so that both are validated and audited alike.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.scope import get_readable_case, require_case_access
from evac.db import ReadSessionDep, SessionDep, utc_today
from evac.registration.deps import as_first_member, posted_int
from evac.registration.forms import (
    STAFF_DOCUMENT_CHOICES,
    field_errors,
    form_choices,
    member_field,
    parse_member,
)
from evac.registration.models import DocumentType, Registration
from evac.registration.people import Editor, SeatsInTheWay, edit_person
from evac.registration.person_form import person_form_values
from evac.registration.self_service import StaleCase, member_at
from evac.registration.service import InvalidRegistration
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf
from evac.web.flash import flash
from evac.web.templating import render, request_gettext

router = APIRouter(include_in_schema=False)
TEMPLATE = "cases/edit_person.html"


def person_editor(staff: StaffDep) -> StaffContext:
    require_case_access(staff)
    return staff


PersonEditor = Annotated[StaffContext, Depends(person_editor)]


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0)
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


def _page(
    request: Request,
    staff: StaffContext,
    case: Registration,
    position: int,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    page = {
        "staff": staff,
        "case": case,
        "person": member_at(case, position),
        "position": position,
        "row_version": case.row_version,
        "errors": {},
        "staff_document_choices": STAFF_DOCUMENT_CHOICES,
        **form_choices(request.state.language),
        **context,
    }
    return render(request, TEMPLATE, page, status_code=status_code)


@router.get("/{reference}/people/{position}/edit", response_class=HTMLResponse)
def edit_person_page(
    request: Request,
    session: ReadSessionDep,
    staff: PersonEditor,
    reference: str,
    position: int,
    etd: bool = False,
) -> HTMLResponse:
    """The person's details to correct; ``etd`` starts on recording an emergency
    travel document for someone registered without one."""
    case = get_readable_case(session, staff, reference)
    values = person_form_values(member_at(case, position))
    if etd:
        values[member_field(0, "document_type")] = DocumentType.emergency.value
        values[member_field(0, "document_country")] = values[member_field(0, "nationality")]
    return _page(request, staff, case, position, {"values": values, "etd": etd})


@router.post(
    "/{reference}/people/{position}/edit",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
def edit_person_submit(
    request: Request,
    session: SessionDep,
    staff: PersonEditor,
    reference: str,
    position: int,
    posted: Posted,
) -> Response:
    case = get_readable_case(session, staff, reference)
    member_at(case, position)
    context: dict[str, Any] = {
        "values": posted,
        "row_version": posted_int(posted.get("row_version")),
    }
    try:
        member, problems = parse_member(posted, 0)
        if problems or member is None:
            raise InvalidRegistration(problems)
        edit_person(
            session,
            case,
            position,
            member,
            editor=Editor(staff.actor, staff=True),
            row_version=context["row_version"],
            today=utc_today(),
        )
    except InvalidRegistration as exc:
        errors = field_errors([as_first_member(p) for p in exc.problems], request_gettext(request))
        return _page(request, staff, case, position, {**context, "errors": errors}, 422)
    except (StaleCase, SeatsInTheWay) as exc:
        # What was typed stays; the page now carries the saved version, to try again.
        session.refresh(case)
        notice = exc.render(request_gettext(request))
        context |= {"notice": notice, "row_version": case.row_version}
        return _page(request, staff, case, position, context, 409)
    response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
    flash(response, request_gettext(request)("The person's details are saved."))
    return response
