"""Administrators' pages: staff accounts and missions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import EvacError, NotFound
from evac.geo.countries import country_choices
from evac.i18n import N_
from evac.missions.models import Mission, MissionKind
from evac.missions.service import create_mission, list_missions, parse_countries, set_coverage
from evac.staff.account_routes import router as account_router
from evac.staff.accounts import STATE_LABELS, account_states, get_account
from evac.staff.auth import StaffContext
from evac.staff.deps import require_role, verify_csrf
from evac.staff.models import Role
from evac.staff.service import create_staff_user, list_staff, reset_password, set_staff_active
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(
    prefix="/staff/admin",
    include_in_schema=False,
    dependencies=[Depends(require_role(Role.admin))],
)
Admin = Annotated[StaffContext, Depends(require_role(Role.admin))]
Protected = [Depends(verify_csrf)]


def _page(request: Request, session: SessionDep, staff: StaffContext, **extra: object) -> dict:
    missions = list_missions(session)
    users = list_staff(session)
    return {
        "staff": staff,
        "users": users,
        "states": account_states(session, users, utcnow()),
        "state_labels": STATE_LABELS,
        "missions": missions,
        "mission_codes": {m.id: m.code for m in missions},
        "roles": list(Role),
        "kinds": list(MissionKind),
        "countries": country_choices(request.state.language),
        "flashes": pop_flashes(request),
        **extra,
    }


@router.get("", response_class=HTMLResponse)
def admin_page(request: Request, session: ReadSessionDep, staff: Admin) -> HTMLResponse:
    return render(request, "staff/admin.html", _page(request, session, staff))


def _refused(
    request: Request, session: SessionDep, staff: StaffContext, error: EvacError, form: dict
) -> Response:
    message = error.render(request_gettext(request))
    context = _page(request, session, staff, error=message, form=form)
    return render(request, "staff/admin.html", context, status_code=error.status_code)


@router.post("/users", dependencies=Protected, response_model=None)
def add_user(
    request: Request,
    session: SessionDep,
    staff: Admin,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[Role, Form()],
    missions: Annotated[list[str], Form()] = [],  # noqa: B006
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        create_staff_user(
            session, username=username, password=password, role=role,
            mission_codes=missions, full_name=full_name or None, actor=staff.actor,
        )  # fmt: skip
    except EvacError as error:
        session.rollback()
        form = {"username": username, "full_name": full_name, "role": role, "missions": missions}
        return _refused(request, session, staff, error, form)
    response = RedirectResponse("/staff/admin", status_code=303)
    flash(response, request_gettext(request)(N_("Account created.")))
    return response


@router.post("/users/{user_id}/active", dependencies=Protected, response_model=None)
def toggle_user(
    request: Request,
    session: SessionDep,
    staff: Admin,
    user_id: DbId,
    active: Annotated[bool, Form()],
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Activating happens at once; deactivating (which ends the person's sessions
    and revokes their API tokens for good) is asked first."""
    user = get_account(session, user_id)
    if not active and confirmed != "yes":
        context = {"staff": staff, "user": user, "deactivate": True}
        return render(request, "staff/account_confirm.html", context)
    set_staff_active(session, user, active, actor=staff.actor)
    response = RedirectResponse(f"/staff/admin/users/{user_id}", status_code=303)
    gettext = request_gettext(request)
    flash(response, gettext("Account activated.") if active else gettext("Account deactivated."))
    return response


@router.post("/users/{user_id}/password", dependencies=Protected, response_model=None)
def reset_user_password(
    request: Request,
    session: SessionDep,
    staff: Admin,
    user_id: DbId,
    password: Annotated[str, Form(max_length=1000)] = "",
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Set a password the user must replace at the next sign-in: the one typed,
    or a generated one shown on this answer only (never stored, never cached).
    The first post asks (and takes the password there); ``confirmed=yes`` does it."""
    user = get_account(session, user_id)
    if confirmed != "yes":
        context = {"staff": staff, "user": user, "reset": True}
        return render(request, "staff/account_confirm.html", context)
    try:
        one_time = reset_password(session, user, password, actor=staff.actor)
    except EvacError as error:
        session.rollback()
        return _refused(request, session, staff, error, {"reset_user_id": user_id})
    gettext = request_gettext(request)
    done = gettext(
        N_("Password reset: %(username)s must choose a new one at the next sign-in.")
    ) % {"username": user.username}
    if password:
        response = RedirectResponse("/staff/admin", status_code=303)
        flash(response, done)
        return response
    context = _page(
        request, session, staff, one_time={"username": user.username, "password": one_time}
    )
    response = render(request, "staff/admin.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/missions", dependencies=Protected, response_model=None)
def add_mission(
    request: Request,
    session: SessionDep,
    staff: Admin,
    code: Annotated[str, Form(max_length=40)],
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[MissionKind, Form()],
    country: Annotated[str, Form(max_length=2)],
    city: Annotated[str, Form(max_length=120)],
    covers: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        create_mission(
            session, code=code, name=name, kind=kind, country=country, city=city,
            covers=parse_countries(covers), actor=staff.actor,
        )  # fmt: skip
    except EvacError as error:
        session.rollback()
        form = {"code": code, "name": name, "country": country, "city": city, "covers": covers}
        return _refused(request, session, staff, error, form)
    return RedirectResponse("/staff/admin#missions", status_code=303)


@router.post("/missions/{code}/coverage", dependencies=Protected, response_model=None)
def change_coverage(
    request: Request,
    session: SessionDep,
    staff: Admin,
    code: SafeText,
    covers: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    mission = session.exec(select(Mission).where(Mission.code == code)).first()
    if mission is None:
        raise NotFound(N_("No such mission."))
    try:
        set_coverage(session, mission, parse_countries(covers), actor=staff.actor)
    except EvacError as error:
        return _refused(request, session, staff, error, {})
    return RedirectResponse("/staff/admin#missions", status_code=303)


router.include_router(account_router)
