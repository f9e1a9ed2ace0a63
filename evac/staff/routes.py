"""Staff sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import ReadSessionDep, SessionDep
from evac.errors import InvalidInput
from evac.i18n import N_
from evac.settings import get_settings
from evac.staff.auth import (
    SESSION_COOKIE,
    LoginRefused,
    sign_cookie,
    sign_in,
    sign_out,
    unsign_cookie,
)
from evac.staff.deps import PASSWORD_PAGE, StaffDep, verify_csrf
from evac.staff.models import StaffUser
from evac.staff.service import change_password
from evac.staff.throttle import LoginThrottled
from evac.staff.tokens import create_api_token, list_api_tokens, revoke_api_token
from evac.tokens import hash_token
from evac.validation import DbId, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.ratelimit import client_address
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff", include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only redirect inside the staff workspace, never to another site."""
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return "/staff"


def login_url(path: str) -> str:
    return f"/staff/login?next={quote(path)}"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "staff/login.html", {"next": safe_next(next)})


@router.post("/login", response_model=None)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[SafeText, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        _user, token = sign_in(session, username, password, client_address(request.scope))
    except (LoginRefused, LoginThrottled) as refused:
        context = {"next": safe_next(next), "username": username, "error": refused.message}
        response = render(request, "staff/login.html", context, status_code=refused.status_code)
        if isinstance(refused, LoginThrottled):
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        sign_cookie(token),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, session: SessionDep, staff: StaffDep) -> RedirectResponse:
    cookie = request.cookies.get(SESSION_COOKIE)
    token = unsign_cookie(cookie) if cookie else None
    if token:
        sign_out(session, token)
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("", response_class=RedirectResponse)
def staff_home(staff: StaffDep) -> RedirectResponse:
    """Where each role lands after signing in: officers on their day's work."""
    home = {"admin": "/staff/admin", "officer": "/staff/today"}.get(staff.role, "/staff/cases")
    return RedirectResponse(home, status_code=303)


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, session: ReadSessionDep, staff: StaffDep) -> HTMLResponse:
    context = {
        "staff": staff,
        "tokens": list_api_tokens(session, staff),
        "default_days": get_settings().api_token_days,
    }
    return render(request, "staff/tokens.html", context)


def _token_days(text: str) -> int | None:
    """The lifetime typed on the form; empty means the default."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InvalidInput(N_("A token lasts 1 to 365 days."))
    return int(text)


@router.post("/tokens", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_token(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    name: Annotated[SafeText, Form(max_length=200)] = "",
    days: Annotated[SafeText, Form(max_length=10)] = "",
) -> HTMLResponse:
    context = {"staff": staff, "default_days": get_settings().api_token_days}
    try:
        _token, raw = create_api_token(
            session, user_id=staff.user_id, name=name, actor=staff.actor, days=_token_days(days)
        )
    except InvalidInput as refused:
        tokens = list_api_tokens(session, staff)
        context |= {"tokens": tokens, "error": refused, "form": {"name": name, "days": days}}
        return render(request, "staff/tokens.html", context, status_code=422)
    # Shown once, on this response only: the page is not cached and not redirected to.
    context |= {"tokens": list_api_tokens(session, staff), "new_token": raw}
    response = render(request, "staff/tokens.html", context, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke_token(session: SessionDep, staff: StaffDep, token_id: DbId) -> RedirectResponse:
    revoke_api_token(session, staff, token_id)
    return RedirectResponse("/staff/tokens", status_code=303)


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, staff: StaffDep) -> HTMLResponse:
    context = {"staff": staff, "flashes": pop_flashes(request)}
    return render(request, "staff/password.html", context)


@router.post("/password", dependencies=[Depends(verify_csrf)], response_model=None)
def change_own_password(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    new_password_again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Asks the current password, throttled like a sign-in: a borrowed session
    cannot be used to guess it."""
    user = session.get(StaffUser, staff.user_id)
    try:
        change_password(
            session, user, current=current_password, new=new_password,  # type: ignore[arg-type]
            repeated=new_password_again, keep_session_hash=_session_hash(request),
            address=client_address(request.scope)[:45],
        )  # fmt: skip
    except (InvalidInput, LoginThrottled) as refused:
        session.rollback()
        context = {"staff": staff, "error": refused.render(request_gettext(request))}
        return render(request, "staff/password.html", context, status_code=refused.status_code)
    response = RedirectResponse(PASSWORD_PAGE, status_code=303)
    message = N_("Your password was changed. Your other sessions were signed out.")
    flash(response, request_gettext(request)(message))
    return response


def _session_hash(request: Request) -> str | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    token = unsign_cookie(cookie) if cookie else None
    return hash_token(token) if token else None
