"""Changing one case's status from its page: asked first when it cannot be taken back
lightly (``lifecycle.rules.needs_confirmation``), and undone from the result page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.confirm import change_preview, find_original
from evac.cases.deps import CaseReader, Protected
from evac.cases.scope import get_readable_case
from evac.cases.service import transition_case, undo_status_change
from evac.db import SessionDep
from evac.errors import Conflict, InvalidInput, NotFound
from evac.lifecycle.rules import needs_confirmation
from evac.registration.models import CaseStatus
from evac.registration.self_service import status_label
from evac.validation import DbId, RowVersion, SafeText
from evac.web.flash import flash
from evac.web.templating import render, request_gettext

router = APIRouter()


@router.post("/{reference}/status", dependencies=Protected, response_model=None)
def change_status(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    to: Annotated[CaseStatus, Form()],
    row_version: Annotated[RowVersion, Form()],
    confirmed: Annotated[str, Form(max_length=3)] = "",
    duplicate_of: Annotated[SafeText, Form(max_length=20)] = "",
) -> Response:
    """The first post of a change that needs confirmation shows what will happen; the
    second, with ``confirmed=yes``, does it."""
    case = get_readable_case(session, staff, reference)
    gettext = request_gettext(request)
    asks = needs_confirmation(CaseStatus(case.status), to)
    try:
        original = find_original(session, staff, duplicate_of) if duplicate_of else None
    except NotFound as missing:
        return _confirm_page(request, session, staff, case, to, row_version, duplicate_of,
                             missing.render(gettext))  # fmt: skip
    if asks and (confirmed != "yes" or (to == CaseStatus.duplicate and original is None)):
        return _confirm_page(request, session, staff, case, to, row_version, duplicate_of)
    response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
    try:
        transition_case(
            session, staff, case, to, expected_version=row_version, duplicate_of=original
        )
    except (InvalidInput, Conflict) as refused:
        flash(response, refused.render(gettext), kind="error")
    else:
        flash(response, gettext("Status changed."))
    return response


def _confirm_page(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    case: object,
    to: CaseStatus,
    row_version: int,
    duplicate_of: str,
    error: str | None = None,
) -> HTMLResponse:
    context = {
        "staff": staff,
        "preview": change_preview(session, staff, case, to),  # type: ignore[arg-type]
        "row_version": row_version,
        "duplicate_of": duplicate_of,
        "error": error,
    }
    return render(request, "cases/status_confirm.html", context, status_code=400 if error else 200)


@router.post("/{reference}/undo", dependencies=Protected)
def undo_change(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    event_id: Annotated[DbId, Form()],
) -> RedirectResponse:
    case = get_readable_case(session, staff, reference)
    response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
    gettext = request_gettext(request)
    try:
        restored = undo_status_change(session, staff, case, event_id)
    except (InvalidInput, Conflict) as refused:
        flash(response, refused.render(gettext), kind="error")
    else:
        label = status_label(restored, request.state.language)
        flash(response, gettext("Undone: the case is %(status)s again.") % {"status": label})
    return response
