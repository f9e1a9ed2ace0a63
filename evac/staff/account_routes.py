"""One staff account's page for administrators: role, missions (picked from a list
that can be narrowed without JavaScript), deactivation and password reset, each
asked first on a page that says what will happen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import EvacError
from evac.missions.models import Mission
from evac.missions.service import list_missions
from evac.staff.accounts import (
    STATE_LABELS,
    account_change,
    account_states,
    get_account,
    mission_codes_of,
    update_account,
)
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role, verify_csrf
from evac.staff.models import Role
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter()
Admin = Annotated[StaffContext, Depends(require_role(Role.admin))]
Protected = [Depends(verify_csrf)]


def _matches(mission: Mission, needle: str) -> bool:
    countries = " ".join(c.country for c in mission.coverage)
    haystack = f"{mission.code} {mission.name} {mission.city} {mission.country} {countries}"
    return needle.casefold() in haystack.casefold()


@router.get("/users/{user_id}", response_class=HTMLResponse)
def account_page(
    request: Request,
    session: ReadSessionDep,
    staff: Admin,
    user_id: DbId,
    q: Annotated[SafeText, Query(max_length=100)] = "",
) -> HTMLResponse:
    user = get_account(session, user_id)
    missions = list_missions(session)
    held = mission_codes_of(session, user)
    shown = [m for m in missions if not q or _matches(m, q)]
    context = {
        "staff": staff,
        "user": user,
        "state": account_states(session, [user], utcnow())[user_id],
        "state_labels": STATE_LABELS,
        "roles": list(Role),
        "missions": shown,
        "hidden_held": [code for code in held if code not in {m.code for m in shown}],
        "held": held,
        "q": q,
        "flashes": pop_flashes(request),
    }
    return render(request, "staff/account.html", context)


@router.post("/users/{user_id}", dependencies=Protected, response_model=None)
def save_account(
    request: Request,
    session: SessionDep,
    staff: Admin,
    user_id: DbId,
    role: Annotated[Role, Form()],
    missions: Annotated[list[SafeText], Form(max_length=500)] = [],  # noqa: B006
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """The first post shows what changes (role, missions added and removed); the
    second, with ``confirmed=yes``, saves it."""
    user = get_account(session, user_id)
    back = RedirectResponse(f"/staff/admin/users/{user_id}", status_code=303)
    gettext = request_gettext(request)
    try:
        change = account_change(session, user, role, missions)
        if confirmed != "yes" and change.changes_anything:
            context = {"staff": staff, "user": user, "change": change, "missions": missions}
            return render(request, "staff/account_confirm.html", context)
        if change.changes_anything:
            update_account(session, user, role, missions, actor=staff.actor, actor_id=staff.user_id)
    except EvacError as refused:
        session.rollback()
        flash(back, refused.render(gettext), kind="error")
        return back
    flash(back, gettext("Account saved.") if change.changes_anything else gettext("No change."))
    return back
