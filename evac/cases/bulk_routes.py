"""Bulk status changes from the case list, asked first on a page that counts them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from evac.cases.bulk import SCOPES, chosen_references, preview
from evac.cases.confirm import find_original
from evac.cases.deps import CaseReader, Protected, parse_case_query
from evac.cases.search import CaseQuery
from evac.cases.service import bulk_transition
from evac.db import SessionDep
from evac.errors import InvalidInput, NotFound
from evac.i18n import N_
from evac.lifecycle.rules import BULK_ACTIONS
from evac.registration.models import CaseStatus
from evac.validation import SafeText
from evac.web.flash import flash
from evac.web.templating import render, request_gettext

router = APIRouter()
References = Annotated[list[SafeText], Form(max_length=500)]


@router.post("/bulk", dependencies=Protected, response_model=None)
def bulk_action(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    query: Annotated[CaseQuery, Depends(parse_case_query)],
    action: Annotated[str, Form(max_length=20)],
    references: References = [],  # noqa: B006
    page_references: References = [],  # noqa: B006
    scope: Annotated[str, Form(max_length=10)] = "selected",
    confirmed: Annotated[str, Form(max_length=3)] = "",
    expected: Annotated[int | None, Form(ge=0)] = None,
    duplicate_of: Annotated[SafeText, Form(max_length=20)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Verifying ticked cases happens at once; anything else (deferring, marking as
    duplicates, or a whole page or filter) first shows what will happen, then asks
    for a second post with ``confirmed=yes`` and the count that was shown."""
    target = BULK_ACTIONS.get(action)
    if target is None or scope not in SCOPES:
        raise InvalidInput(N_("Unknown bulk action."))
    gettext = request_gettext(request)
    chosen = chosen_references(session, staff, scope, query, references, page_references)
    error = None
    original = None
    if duplicate_of:
        try:
            original = find_original(session, staff, duplicate_of)
        except NotFound as missing:
            error = missing.render(gettext)
    immediate = target == CaseStatus.verified and scope == "selected"
    settled = confirmed == "yes" and expected == len(chosen) and error is None
    if not immediate and not (settled and (target != CaseStatus.duplicate or original)):
        context = {
            "staff": staff,
            "action": action,
            "target": target,
            "scope": scope,
            "preview": preview(session, staff, chosen),
            "duplicate_of": duplicate_of,
            "error": error,
            "changed_meanwhile": confirmed == "yes" and expected != len(chosen),
            "back": back,
            "query_string": request.url.query,
        }
        status = 400 if error else 200
        return render(request, "cases/bulk_confirm.html", context, status_code=status)
    result = bulk_transition(session, staff, chosen, target, duplicate_of=original)
    message = gettext("%(changed)s cases changed, %(refused)s refused.") % {
        "changed": len(result.changed),
        "refused": len(result.refused),
    }
    details = [f"{ref}: {gettext(reason)}" for ref, reason in result.refused]
    response = RedirectResponse(_back_to_list(back), status_code=303)
    flash(response, message, details, "warning" if result.refused else "success")
    return response


def _back_to_list(back: str) -> str:
    return back if back.startswith("/staff/cases") and not back.startswith("//") else "/staff/cases"
