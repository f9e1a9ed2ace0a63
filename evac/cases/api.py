"""Staff JSON API for cases, for scripts with a personal API token.

It accepts only ``Authorization: Bearer <token>`` (never the browser's session
cookie), so a page on another site cannot make a signed-in browser call it.
Scoping is the same helper as the pages.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from evac.cases.deps import parse_case_query
from evac.cases.schemas import CaseDetail, CaseList, CasePatch, TransitionIn
from evac.cases.scope import get_readable_case, require_case_access
from evac.cases.search import MAX_PER_PAGE, PER_PAGE, CaseQuery, search_cases
from evac.cases.service import transition_case, update_case_details
from evac.db import ReadSessionDep, SessionDep
from evac.errors import ConfirmationNeeded, error_responses
from evac.i18n import N_
from evac.lifecycle.rules import needs_confirmation
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext
from evac.staff.deps import LoginRequired, current_staff

router = APIRouter(
    prefix="/api/v1/cases",
    tags=["staff: cases"],
    responses=error_responses(401, 403, 422, 503),
)
ONE_CASE = error_responses(404)
A_CHANGE = error_responses(400, 404, 409)
A_TRANSITION = error_responses(400, 404, 409, 428)


def api_staff(
    request: Request, staff: Annotated[StaffContext | None, Depends(current_staff)]
) -> StaffContext:
    if staff is None or "authorization" not in request.headers:
        raise LoginRequired(N_("Send a personal API token: Authorization: Bearer <token>."))
    require_case_access(staff)
    return staff


ApiStaff = Annotated[StaffContext, Depends(api_staff)]


_CASE_FIELDS = [name for name in CaseDetail.model_fields if name in Registration.model_fields]


def _detail(case: Registration) -> CaseDetail:
    return CaseDetail.model_validate(
        {
            **{
                name: getattr(case, name) for name in CaseDetail.model_fields if hasattr(case, name)
            },
            "possible_duplicate": case.possible_duplicate_of_id is not None,
            "members": case.members,
        }
    )


@router.get("", response_model=CaseList, summary="Cases you may see, filtered and paginated")
def list_cases(
    session: ReadSessionDep,
    staff: ApiStaff,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> CaseList:
    result = search_cases(session, staff, CaseQuery(**{**query.__dict__, "per_page": per_page}))
    return CaseList(
        items=[_detail(row.case) for row in result.rows],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/{reference}", response_model=CaseDetail, responses=ONE_CASE)
def get_case(session: ReadSessionDep, staff: ApiStaff, reference: str) -> CaseDetail:
    return _detail(get_readable_case(session, staff, reference))


@router.patch("/{reference}", response_model=CaseDetail, responses=A_CHANGE)
def patch_case(
    session: SessionDep, staff: ApiStaff, reference: str, patch: CasePatch
) -> CaseDetail:
    case = get_readable_case(session, staff, reference)
    changes = patch.model_dump(exclude_unset=True, exclude={"row_version"})
    update_case_details(session, staff, case, changes, expected_version=patch.row_version)
    return _detail(case)


@router.post("/{reference}/transitions", response_model=CaseDetail, responses=A_TRANSITION)
def post_transition(
    session: SessionDep, staff: ApiStaff, reference: str, body: TransitionIn
) -> CaseDetail:
    """A change that closes the case (withdrawn, duplicate) or releases its seats is
    refused with 428 ``confirmation_needed`` unless the body says ``"confirm": true``."""
    case = get_readable_case(session, staff, reference)
    if needs_confirmation(CaseStatus(case.status), body.to) and not body.confirm:
        raise ConfirmationNeeded(
            N_("This change closes the case or releases its seats: confirm it.")
        )
    original = get_readable_case(session, staff, body.duplicate_of) if body.duplicate_of else None
    transition_case(
        session, staff, case, body.to, expected_version=body.row_version, duplicate_of=original
    )
    return _detail(case)
