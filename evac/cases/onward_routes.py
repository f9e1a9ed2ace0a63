"""Arrange onward travel for people left behind on a later leg: the journeys home
from where they wait, a journey chosen, confirmed on a second page, then given."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.deps import CaseReader, Protected
from evac.cases.onward import arrange_onward, onward_choices, onward_preview
from evac.cases.scope import get_readable_case
from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import Conflict, InvalidInput
from evac.i18n import get_translations
from evac.validation import DbId, RowVersion
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter()

PeopleField = Annotated[list[DbId], Form(max_length=40)]
LegsField = Annotated[list[DbId], Form(max_length=12)]


@router.get("/{reference}/onward", response_class=HTMLResponse)
def onward_page(
    request: Request, session: ReadSessionDep, staff: CaseReader, reference: str
) -> HTMLResponse:
    case = get_readable_case(session, staff, reference)
    context = {
        "staff": staff,
        "case": case,
        "choices": onward_choices(session, case, utcnow()),
        "flashes": pop_flashes(request),
    }
    return render(request, "cases/onward.html", context)


@router.post("/{reference}/onward", dependencies=Protected, response_model=None)
def choose_onward(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    row_version: Annotated[RowVersion, Form()],
    person_ids: PeopleField = [],  # noqa: B006
    legs: LegsField = [],  # noqa: B006
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """The first post shows what the chosen journey will do; the second, with
    ``confirmed=yes``, does it."""
    case = get_readable_case(session, staff, reference)
    gettext = request_gettext(request)
    back = RedirectResponse(f"/staff/cases/{case.reference}/onward", status_code=303)
    try:
        if confirmed != "yes":
            preview = onward_preview(session, case, person_ids, legs)
            context = {"staff": staff, "case": case, "preview": preview, "row_version": row_version}
            return render(request, "cases/onward_confirm.html", context)
        group, chosen = arrange_onward(
            session, staff, case, person_ids, legs, expected_version=row_version
        )
    except (InvalidInput, Conflict) as refused:
        flash(back, refused.render(gettext), kind="error")
        return back
    done = RedirectResponse(f"/staff/cases/{case.reference}#journey", status_code=303)
    numbers = ", ".join(leg.flight_number for leg in chosen)
    message = get_translations(request.state.language).ngettext(
        "Onward travel arranged: %(num)s person on %(legs)s.",
        "Onward travel arranged: %(num)s people on %(legs)s.",
        len(group.people),
    )
    flash(done, message % {"num": len(group.people), "legs": numbers})
    return done
