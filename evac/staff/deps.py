"""FastAPI dependencies: who is signed in, what role they need, and CSRF."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from evac.db import ReadSessionDep, SessionDep
from evac.errors import EvacError, Forbidden
from evac.i18n import N_
from evac.staff.auth import (
    SESSION_COOKIE,
    StaffContext,
    build_context,
    staff_context,
    unsign_cookie,
)
from evac.staff.models import Role
from evac.staff.tokens import staff_of_api_token

CSRF_FIELD = "csrf_token"
API_PREFIX = "/api/"
PASSWORD_PAGE = "/staff/password"  # noqa: S105  (a path, not a password)
# What a person signed in with a one-time password may still reach.
ONE_TIME_PASSWORD_PATHS = frozenset({PASSWORD_PAGE, "/staff/logout"})


class LoginRequired(EvacError):
    """No usable session: a page sends the browser to ``location`` (the sign-in
    page when None), the API answers with the status."""

    status_code = 401
    code = "login_required"
    location: str | None = None


class PasswordChangeRequired(LoginRequired):
    """Signed in with a one-time password: choose one's own before anything else."""

    status_code = 403
    code = "password_change_required"
    location = PASSWORD_PAGE


class CsrfRejected(EvacError):
    status_code = 403
    code = "csrf"


class TokenNotAccepted(EvacError):
    """A bearer token sent to a staff page: tokens drive the API only."""

    status_code = 401
    code = "token_not_accepted"


def _from_api_token(reader: Session, writer: Session, authorization: str) -> StaffContext | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    user = staff_of_api_token(writer, token)
    if user is None:
        return None
    context = build_context(reader, user, csrf_token="")
    # API calls carry no cookie, so they cannot be forged cross-site: no CSRF token,
    # which is why current_staff accepts a token under /api/ only.
    return context


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def current_staff(
    request: Request, reader: ReadSessionDep, writer: SessionDep
) -> StaffContext | None:
    """Who is acting: under /api/ only a bearer token counts, on every other
    path only the session cookie (whose forms carry its CSRF token).

    A token therefore cannot drive the HTML forms, which trust the cookie's
    CSRF token, and a browser's cookie cannot drive the API.

    It reads without the write lock and then closes its read transaction, so
    that a page or a form holds no connection or lock it does not need yet.
    """
    try:
        if _is_api(request):
            authorization = request.headers.get("authorization")
            return _from_api_token(reader, writer, authorization) if authorization else None
        cookie = request.cookies.get(SESSION_COOKIE)
        token = unsign_cookie(cookie) if cookie else None
        return staff_context(reader, token) if token else None
    finally:
        reader.close()


def require_staff(
    request: Request, staff: Annotated[StaffContext | None, Depends(current_staff)]
) -> StaffContext:
    if staff is None and not _is_api(request) and "authorization" in request.headers:
        raise TokenNotAccepted(N_("API tokens work only on /api/. Sign in to use the staff pages."))
    if staff is None:
        raise LoginRequired(N_("Please sign in."))
    if staff.must_change_password and request.url.path not in ONE_TIME_PASSWORD_PATHS:
        raise PasswordChangeRequired(N_("Choose your own password before going on."))
    return staff


StaffDep = Annotated[StaffContext, Depends(require_staff)]


def require_role(*roles: Role) -> Callable[[StaffContext], StaffContext]:
    def check(staff: StaffDep) -> StaffContext:
        if staff.role not in roles:
            raise Forbidden(N_("Your role does not allow this."))
        return staff

    return check


async def verify_csrf(request: Request, staff: StaffDep) -> None:
    """Every state-changing staff form carries the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if (
        not staff.csrf_token
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent, staff.csrf_token)
    ):
        raise CsrfRejected(N_("This form has expired. Reload the page and try again."))
