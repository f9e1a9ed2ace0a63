"""Officers' and coordinators' case pages: the list, one case, and changes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.bulk_routes import router as bulk_router
from evac.cases.deps import CaseReader, Protected, parse_case_query
from evac.cases.export import COLUMNS, case_rows
from evac.cases.households import MAX_REASON_LENGTH, ChildrenWithoutAdult, split_household
from evac.cases.link_routes import router as link_router
from evac.cases.merge_routes import router as merge_router
from evac.cases.merge_undo import undo_offers
from evac.cases.onward_routes import router as onward_router
from evac.cases.people_routes import router as people_router
from evac.cases.scope import get_readable_case
from evac.cases.search import CaseQuery, search_cases
from evac.cases.service import (
    add_note,
    case_notes,
    case_timeline,
    dismiss_duplicate_flag,
)
from evac.cases.status_routes import router as status_router
from evac.db import ReadSessionDep, SessionDep, utc_today
from evac.errors import Conflict, InvalidInput, NotFound
from evac.flights.times import local_departures
from evac.geo.airports import nearest_airports
from evac.lifecycle.journeys import left_behind, legs_of
from evac.lifecycle.rules import BULK_ACTIONS, officer_targets
from evac.lifecycle.undo import status_undo
from evac.registration.forms import MISSING_REASONS
from evac.registration.models import CaseStatus, Registration
from evac.registration.self_service import status_label
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.validation import DbId, MultiLineText, RowVersion
from evac.web.downloads import dated_download
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/cases", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def case_list(
    request: Request,
    session: ReadSessionDep,
    staff: CaseReader,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
) -> HTMLResponse:
    result = search_cases(session, staff, query)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    countries = staff.country_choices(request.state.language)
    context = {
        "staff": staff,
        "query": query,
        "result": result,
        "status_options": [
            (status.value, status_label(status, request.state.language)) for status in CaseStatus
        ],
        "countries": countries,
        "page_link": lambda page: "?" + urlencode({**params, "page": page}),
        "bulk_actions": BULK_ACTIONS,
        "flashes": pop_flashes(request),
    }
    return render(request, "cases/list.html", context)


@router.get("/export.csv")
def export_cases(
    session: ReadSessionDep,
    staff: CaseReader,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
) -> Response:
    """The filtered list as CSV, one row per person, only the cases this person may see."""
    rows = case_rows(session, staff, query, get_settings().home_country)
    return dated_download("cases", "csv", COLUMNS, rows)


@router.get("/{reference}", response_class=HTMLResponse)
def case_page(
    request: Request, session: ReadSessionDep, staff: CaseReader, reference: str
) -> HTMLResponse:
    case = get_readable_case(session, staff, reference)
    context = {
        "staff": staff,
        "case": case,
        "home_country": get_settings().home_country,
        "airports": _nearest_airports(case),
        "duplicate_of": _duplicate_of(session, staff, case),
        "targets": officer_targets(CaseStatus(case.status)),
        "notes": case_notes(session, case),
        "timeline": case_timeline(session, case),
        "undo_offers": undo_offers(session, staff, case),
        "status_undo": status_undo(session, case),
        "journey": local_departures(legs_of(session, case.id)),  # type: ignore[arg-type]
        "left_behind": left_behind(session, case),
        "flashes": pop_flashes(request),
        "missing_reasons": MISSING_REASONS,
    }
    return render(request, "cases/detail.html", context)


def _nearest_airports(case: Registration) -> list[tuple[object, float]]:
    if case.latitude is None or case.longitude is None:
        return []
    return nearest_airports(case.latitude, case.longitude, case.country, limit=3)


def _duplicate_of(
    session: SessionDep, staff: StaffContext, case: Registration
) -> Registration | None:
    if case.possible_duplicate_of_id is None:
        return None
    other = session.get(Registration, case.possible_duplicate_of_id)
    if other is None:
        return None
    try:
        return get_readable_case(session, staff, other.reference)
    except NotFound:  # outside this officer's missions: show nothing
        return None


@router.post("/{reference}/not-duplicate", dependencies=Protected)
def clear_duplicate_flag(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    row_version: Annotated[RowVersion, Form()],
) -> RedirectResponse:
    case = get_readable_case(session, staff, reference)
    response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
    gettext = request_gettext(request)
    try:
        dismiss_duplicate_flag(session, staff, case, expected_version=row_version)
    except Conflict as refused:
        flash(response, refused.render(gettext), kind="error")
    else:
        flash(response, gettext("The flag is cleared; the household can be seated."))
    return response


@router.post("/{reference}/notes", dependencies=Protected)
def post_note(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    text: Annotated[MultiLineText, Form(max_length=8000)] = "",
) -> RedirectResponse:
    case = get_readable_case(session, staff, reference)
    response = RedirectResponse(f"/staff/cases/{case.reference}#notes", status_code=303)
    try:
        add_note(session, staff, case, text)
    except InvalidInput as refused:
        flash(
            response,
            refused.render(request_gettext(request)),
            kind="error",
        )
    return response


@router.post("/{reference}/split", dependencies=Protected, response_model=None)
def split_case(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    reference: str,
    row_version: Annotated[RowVersion, Form()],
    person_ids: Annotated[list[DbId], Form(max_length=40)] = [],  # noqa: B006
    reason: Annotated[MultiLineText, Form(max_length=MAX_REASON_LENGTH)] = "",
    leave_minors: Annotated[str, Form(max_length=3)] = "",
) -> RedirectResponse | HTMLResponse:
    """Split after the reason is given and, if a child would be left without an
    adult, after the officer confirmed it on the warning page."""
    case = get_readable_case(session, staff, reference)
    gettext = request_gettext(request)
    try:
        new_case = split_household(
            session, staff, case, person_ids, reason=reason, expected_version=row_version,
            today=utc_today(), children_alone_confirmed=leave_minors == "yes",
        )  # fmt: skip
    except ChildrenWithoutAdult as warning:
        context = {
            "staff": staff,
            "case": case,
            "children": warning.children,
            "moving": [m for m in case.members if m.id in set(person_ids)],
            "reason": reason,
            "row_version": row_version,
        }
        return render(request, "cases/split_confirm.html", context)
    except (InvalidInput, Conflict) as refused:
        response = RedirectResponse(f"/staff/cases/{case.reference}#split", status_code=303)
        flash(response, refused.render(gettext), kind="error")
        return response
    response = RedirectResponse(f"/staff/cases/{new_case.reference}", status_code=303)
    flash(response, gettext("Split from %(reference)s.") % {"reference": case.reference})
    return response


router.include_router(merge_router)
router.include_router(people_router)
router.include_router(status_router)
router.include_router(bulk_router)
router.include_router(link_router)
router.include_router(onward_router)
