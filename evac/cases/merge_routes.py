"""Merge pages: compare two cases, review what will happen, confirm; and undo.

Comparing and reviewing are plain GETs that change nothing; only the confirmed
form (with the CSRF token and both cases' row versions as the officer saw
them) merges, and every POST answers with a redirect.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from evac.cases.deps import CaseReader, Protected
from evac.cases.households import RESHAPEABLE, require_reshapeable
from evac.cases.merge import ContactChoice, earlier, merge_cases, plan_merge, seats_held
from evac.cases.merge_undo import undo_merge
from evac.cases.scope import get_readable_case
from evac.db import ReadSessionDep, SessionDep, utc_today
from evac.errors import Conflict, InvalidInput, NotFound
from evac.i18n import N_
from evac.registration.models import Registration
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.validation import DbId, RowVersion, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter()
Reference = Annotated[SafeText, Query(max_length=20)]


def _pair(
    session: Session, staff: StaffContext, reference: str, other: str
) -> tuple[Registration, Registration]:
    case = get_readable_case(session, staff, reference)
    if not other.strip():
        raise InvalidInput(N_("Enter the reference of the other case."))
    other_case = get_readable_case(session, staff, other)
    if other_case.id == case.id:
        raise InvalidInput(N_("Choose two different cases to merge."))
    return case, other_case


def _back(case_reference: str, message: InvalidInput, request: Request) -> RedirectResponse:
    response = RedirectResponse(f"/staff/cases/{case_reference}#merge", status_code=303)
    flash(response, message.render(request_gettext(request)), kind="error")
    return response


@router.get("/{reference}/merge", response_class=HTMLResponse, response_model=None)
def compare(
    request: Request,
    session: ReadSessionDep,
    staff: CaseReader,
    reference: str,
    other: Reference = "",
) -> HTMLResponse | RedirectResponse:
    """Both cases side by side; the earlier registration is proposed to continue."""
    try:
        case, other_case = _pair(session, staff, reference, other)
    except InvalidInput as refused:
        return _back(reference, refused, request)
    context = {
        "staff": staff,
        "case": case,
        "other": other_case,
        "cases": sorted((case, other_case), key=lambda c: (c.registered_at, c.id or 0)),
        "default_survivor": earlier(case, other_case),
        "seats": {c.id: seats_held(session, c) for c in (case, other_case)},
        "home_country": get_settings().home_country,
        "reshapeable": RESHAPEABLE,
        "flashes": pop_flashes(request),
    }
    return render(request, "cases/merge_compare.html", context)


@router.get("/{reference}/merge/review", response_class=HTMLResponse, response_model=None)
def review(
    request: Request,
    session: ReadSessionDep,
    staff: CaseReader,
    reference: str,
    other: Reference = "",
    survivor: Reference = "",
    contact: Annotated[ContactChoice, Query()] = ContactChoice.survivor,
) -> HTMLResponse | RedirectResponse:
    """Exactly what the merge will do, with the button that does it."""
    try:
        case, other_case = _pair(session, staff, reference, other)
    except InvalidInput as refused:
        return _back(reference, refused, request)
    kept = other_case if other_case.reference == survivor.strip().upper() else case
    absorbed = case if kept is other_case else other_case
    plan = plan_merge(kept, absorbed, contact)
    try:
        require_reshapeable(kept)
        require_reshapeable(absorbed)
        refusal = None
    except InvalidInput as refused:
        refusal = refused.render(request_gettext(request))
    context = {
        "staff": staff,
        "case": case,
        "other": other_case,
        "plan": plan,
        "refusal": refusal,
        "flashes": pop_flashes(request),
    }
    return render(request, "cases/merge_review.html", context)


@router.post("/{reference}/merge", dependencies=Protected)
def merge(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    survivor: Annotated[SafeText, Form(max_length=20)],
    absorbed: Annotated[SafeText, Form(max_length=20)],
    survivor_version: Annotated[RowVersion, Form()],
    absorbed_version: Annotated[RowVersion, Form()],
    contact: Annotated[ContactChoice, Form()] = ContactChoice.survivor,
) -> RedirectResponse:
    """The confirmed merge; a stale page or a refusal goes back to the comparison."""
    gettext = request_gettext(request)
    start = get_readable_case(session, staff, reference)
    try:
        kept = get_readable_case(session, staff, survivor)
        other = get_readable_case(session, staff, absorbed)
        plan = plan_merge(kept, other, contact)
        kept_reference, other_reference, count = kept.reference, other.reference, len(plan.movers)
        merge_cases(
            session, staff, plan, survivor_version=survivor_version,
            absorbed_version=absorbed_version, today=utc_today(),
        )  # fmt: skip
    except (InvalidInput, Conflict, NotFound) as refused:
        other_reference = absorbed if start.reference != absorbed.upper() else survivor
        response = RedirectResponse(
            f"/staff/cases/{start.reference}/merge?other={other_reference}", status_code=303
        )
        flash(response, refused.render(gettext), kind="error")
        return response
    response = RedirectResponse(f"/staff/cases/{kept_reference}", status_code=303)
    message = gettext(
        "%(duplicate)s merged into %(reference)s. People moved: %(count)s. "
        "You can undo this from the history."
    )
    flash(
        response,
        message % {"duplicate": other_reference, "reference": kept_reference, "count": count},
    )
    return response


@router.post("/{reference}/merges/{event_id}/undo", dependencies=Protected)
def undo(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    event_id: DbId,
    survivor_version: Annotated[RowVersion, Form()],
    absorbed_version: Annotated[RowVersion, Form()],
) -> RedirectResponse:
    case = get_readable_case(session, staff, reference)
    response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
    gettext = request_gettext(request)
    try:
        result = undo_merge(
            session, staff, event_id, survivor_version=survivor_version,
            absorbed_version=absorbed_version, today=utc_today(),
        )  # fmt: skip
    except (InvalidInput, Conflict, NotFound) as refused:
        flash(response, refused.render(gettext), kind="error")
        return response
    message = gettext("Merge undone: the case is reopened. People moved back: %(count)s.")
    details = []
    if not result.status_restored:
        details.append(gettext("It could not go back to its earlier status and is now registered."))
    flash(response, message % {"count": result.moved_back}, details)
    return response
