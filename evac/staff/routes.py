"""Staff sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.db import SessionDep
from evac.errors import InvalidInput
from evac.staff.auth import (
    SESSION_COOKIE,
    LoginRefused,
    LoginThrottled,
    sign_cookie,
    sign_in,
    sign_out,
    unsign_cookie,
)
from evac.staff.deps import StaffDep, verify_csrf
from evac.staff.tokens import create_api_token, list_api_tokens, revoke_api_token
from evac.validation import DbId, SafeText
from evac.web.templating import render

router = APIRouter(prefix="/staff", include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only redirect inside the staff workspace, never to another site."""
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return "/staff"


def login_url(path: str) -> str:
    return f"/staff/login?next={quote(path)}"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
        _user, token = sign_in(session, username, password, _client_ip(request))
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
    return RedirectResponse(
        "/staff/admin" if staff.role == "admin" else "/staff/cases", status_code=303
    )


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, session: SessionDep, staff: StaffDep) -> HTMLResponse:
    context = {"staff": staff, "tokens": list_api_tokens(session, staff), "new_token": None}
    return render(request, "staff/tokens.html", context)


@router.post("/tokens", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_token(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    name: Annotated[SafeText, Form(max_length=200)] = "",
) -> HTMLResponse:
    try:
        _token, raw = create_api_token(session, staff, name)
    except InvalidInput as refused:
        context = {"staff": staff, "tokens": list_api_tokens(session, staff), "error": refused}
        return render(request, "staff/tokens.html", context, status_code=422)
    # Shown once, on this response only: the page is not cached and not redirected to.
    context = {"staff": staff, "tokens": list_api_tokens(session, staff), "new_token": raw}
    response = render(request, "staff/tokens.html", context, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke_token(session: SessionDep, staff: StaffDep, token_id: DbId) -> RedirectResponse:
    revoke_api_token(session, staff, token_id)
    return RedirectResponse("/staff/tokens", status_code=303)
