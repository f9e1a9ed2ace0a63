"""Refusing quickly, with 503 and Retry-After, when the server or its database is saturated.

Three things turn an overload into a quick, honest answer instead of a hang or
a 500:

- Admission: each worker process serves at most ``EVAC_MAX_CONCURRENT_REQUESTS``
  requests at once; a request over that waits at most
  ``EVAC_ADMISSION_TIMEOUT_SECONDS`` for a place, then is refused. The count is
  per process on purpose: it protects that process's threads and connection
  pool, and holds no state that other workers would need to share.
- The connection pool waits at most ``EVAC_DB_POOL_TIMEOUT_SECONDS``
  (``evac/db.py``) for a connection.
- A database that is locked (SQLite), unreachable or restarting (PostgreSQL), or
  a pool that stays exhausted, is answered with 503 (``database_unavailable``).

Every refusal carries ``Retry-After``. The API answers ``{"code": "unavailable"}``;
the registration form is shown again with everything typed, saying that nothing
was saved. A registration is stored in one transaction, so a refused one left
nothing behind, and a retry with the same form token or Idempotency-Key lands on
the same registration if the database did commit before the connection was lost.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import anyio
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from evac.i18n import N_, get_translations
from evac.web.bodies import FORM_PATH, MAX_BODY_BYTES, form_fields, read_body
from evac.web.templating import render

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# Never queued: static files use no database, and a health check must answer
# about the database, not about the queue in front of it.
EXEMPT_PREFIXES = ("/static/", "/healthz")
UNAVAILABLE = N_(
    "The service is very busy right now. Nothing was saved: "
    "please try again in %(seconds)s seconds."
)
UNAVAILABLE_FORM = N_(
    "Too many people are registering right now. Nothing was saved: please send "
    "the form again in a moment. Everything you typed is still here."
)
# SQLite reports these as OperationalError when another writer holds the lock
# for longer than the busy timeout; they pass, unlike "no such table".
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "database table is locked")
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (sa.exc.DBAPIError, sa.exc.TimeoutError)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means "the database cannot serve now, try again", not a bug.

    A pool that stayed exhausted, a connection lost or refused (PostgreSQL
    restarting or unreachable: psycopg's OperationalError, or any error
    SQLAlchemy marked as invalidating the connection), or SQLite's lock.
    """
    if isinstance(exc, sa.exc.TimeoutError):
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    original = exc.orig
    if isinstance(original, sqlite3.OperationalError):
        return any(marker in str(original).lower() for marker in _SQLITE_TRANSIENT)
    return isinstance(exc, sa.exc.OperationalError) and type(original).__module__.startswith(
        "psycopg"
    )


def wants_json(request: Request) -> bool:
    """API paths, and clients that ask for JSON rather than a page."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def retry_headers(retry_after: int) -> dict[str, str]:
    return {"Retry-After": str(retry_after), "Cache-Control": "no-store"}


FormRedraw = Callable[[Request, dict[str, str], str, dict[str, Any], int], Response]
"""Draws a refused form again: (request, what was posted, message msgid, its
values, status code). The domain that owns the form registers it."""


def redraw_refused_forms(app: Starlette, redraw: FormRedraw) -> None:
    """Show the form at ``FORM_PATH`` again, with everything typed, when a refusal
    (overload, rate limit, database unavailable) answers its POST.

    The web layer knows no domain: the registration domain's form is drawn by the
    function it registers here (on the app, so each app has its own). Without
    one, a refused POST gets the plain error page.
    """
    app.state.redraw_refused_form = redraw


def _form_redraw(request: Request) -> FormRedraw | None:
    app = request.scope.get("app")
    return getattr(getattr(app, "state", None), "redraw_refused_form", None)


def refusal(
    request: Request,
    *,
    status_code: int,
    code: str,
    message: str,
    params: dict[str, Any],
    retry_after: int,
    posted: dict[str, str] | None = None,
    form_message: str | None = None,
) -> Response:
    """Nothing was done: say so, in JSON, as the form again with ``posted``, or as a page.

    ``message`` and ``form_message`` are msgids (``N_``), translated here.
    """
    headers = retry_headers(retry_after)
    redraw = _form_redraw(request)
    if posted is not None and redraw is not None:
        response = redraw(request, posted, form_message or message, params, status_code)
        response.headers.update(headers)
        return response
    language = request.scope.get("state", {}).get("language", "en")
    text = get_translations(language).gettext(message) % params
    if wants_json(request):
        return JSONResponse(
            {"detail": text, "code": code}, status_code=status_code, headers=headers
        )
    context = {"status": status_code, "message": text}
    response = render(request, "error.html", context, status_code=status_code)
    response.headers.update(headers)
    return response


def unavailable(request: Request, posted: dict[str, str] | None = None) -> Response:
    """The 503 for a saturated server or an unavailable database."""
    return refusal(
        request,
        status_code=503,
        code="unavailable",
        message=UNAVAILABLE,
        params={"seconds": RETRY_AFTER_SECONDS},
        retry_after=RETRY_AFTER_SECONDS,
        posted=posted,
        form_message=UNAVAILABLE_FORM,
    )


async def _acquire(slots: anyio.Semaphore, timeout: float) -> bool:
    """Take a place at once if one is free, else wait for one at most ``timeout`` seconds."""
    try:
        slots.acquire_nowait()
        return True
    except anyio.WouldBlock:
        pass
    with anyio.move_on_after(timeout):
        await slots.acquire()
        return True
    return False


class AdmissionMiddleware:
    """At most ``limit`` requests in this process at once; the others wait briefly, then 503."""

    def __init__(self, app: ASGIApp, *, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self._slots: anyio.Semaphore | None = None

    def _semaphore(self) -> anyio.Semaphore:
        if self._slots is None:
            self._slots = anyio.Semaphore(self.limit)
        return self._slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or self.limit <= 0 or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        slots = self._semaphore()
        if not await _acquire(slots, self.timeout):
            await self._refuse(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        logger.warning("over %s requests in flight: refused with 503", self.limit)
        posted: dict[str, str] | None = None
        if scope.get("method") == "POST" and scope.get("path") == FORM_PATH:
            body = await read_body(receive, MAX_BODY_BYTES)
            posted = form_fields(scope, body) if body is not None else None
        await unavailable(Request(scope, receive), posted)(scope, receive, send)
