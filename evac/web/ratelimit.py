"""Per-address rate limits on public registration, counted in the database.

Each request that would register a household adds one to a fixed-window
counter row (bucket, client address, window start) with an atomic upsert, so
the limit holds across worker processes and across app servers sharing one
database. Over the limit, the API answers 429 with Retry-After and the HTML
form is shown again with everything typed, saying that nothing was saved.

The client address is the peer of the connection. Behind a reverse proxy, name
it in EVAC_FORWARDED_ALLOW_IPS: the app then takes the address from
X-Forwarded-For set by that proxy only (evac/app.py). The header itself is
never read here, and from any other peer it is ignored.
"""

from __future__ import annotations

import inspect
import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evac.db import get_session, utcnow
from evac.i18n import N_
from evac.settings import Settings
from evac.web.bodies import MAX_BODY_BYTES
from evac.web.models import RateLimitWindow
from evac.web.overload import UNAVAILABLE_ERRORS, database_unavailable, refusal, unavailable

logger = logging.getLogger(__name__)

REGISTRATION_BUCKET = "registration"
FORM_PATH = "/register"
API_PATH = "/api/v1/registrations"
MAX_FORM_BYTES = MAX_BODY_BYTES
KEEP_WINDOWS_FOR = timedelta(days=1)
TOO_MANY = N_(
    "Too many registrations were sent from your network. Nothing was saved: "
    "please send the form again in %(minutes)s minutes."
)
FORM_TOO_LARGE = f"The form is larger than {MAX_BODY_BYTES // 1024} KB."


@dataclass(frozen=True)
class Verdict:
    count: int
    allowed: bool
    retry_after: int


def window_start(now: datetime, window_seconds: int) -> datetime:
    """The start of the fixed window ``now`` falls in (windows align on the epoch)."""
    seconds = math.floor(now.timestamp() / window_seconds) * window_seconds
    return datetime.fromtimestamp(seconds, UTC)


def hit(
    session: Session,
    bucket: str,
    client: str,
    *,
    now: datetime,
    limit: int,
    window_seconds: int,
) -> Verdict:
    """Count one request of ``client`` in ``bucket``, commit, and say whether it is allowed."""
    verdict = record_hit(
        session, bucket, client, now=now, limit=limit, window_seconds=window_seconds
    )
    session.commit()
    return verdict


def record_hit(
    session: Session,
    bucket: str,
    client: str,
    *,
    now: datetime,
    limit: int,
    window_seconds: int,
) -> Verdict:
    """Count one request of ``client`` in ``bucket`` in the caller's transaction.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement: concurrent
    workers never lose a count. The first request of a new window also purges
    windows older than a day, which the index on window_start keeps cheap.
    The caller commits, with whatever else the request writes.
    """
    start = window_start(now, window_seconds)
    table = RateLimitWindow.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(bucket=bucket, client=client[:45], window_start=start, count=1)
        .on_conflict_do_update(
            index_elements=["bucket", "client", "window_start"],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.count)
    )
    count = session.execute(statement).scalar_one()
    if count == 1:
        purge_expired_windows(session, now)
    retry_after = max(
        1, math.ceil((start + timedelta(seconds=window_seconds) - now).total_seconds())
    )
    return Verdict(count=count, allowed=count <= limit, retry_after=retry_after)


def purge_expired_windows(session: Session, now: datetime) -> int:
    """Delete the counters of windows that started over ``KEEP_WINDOWS_FOR`` ago.

    Called by the first request of each window and by the scheduled housekeeping,
    so that the addresses go even when nobody registers any more.
    """
    table = RateLimitWindow.__table__
    result = session.execute(sa.delete(table).where(table.c.window_start < now - KEEP_WINDOWS_FOR))
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def client_address(scope: Scope) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded.

    Everything that needs the address (rate limits, sign-in throttling) reads
    the ASGI scope's ``client``, which only the proxy-headers middleware of
    EVAC_FORWARDED_ALLOW_IPS may have replaced.
    """
    client = scope.get("client")
    return client[0] if client else "unknown"


def _session_provider(scope: Scope) -> Callable[[], Any]:
    """The session the routes get, so that a test's override applies here too."""
    app = scope.get("app")
    overrides = getattr(app, "dependency_overrides", {}) or {}
    return overrides.get(get_session, get_session)


def _count(scope: Scope, settings: Settings) -> Verdict:
    provided = _session_provider(scope)()
    sessions: Iterator[Session] | None = provided if inspect.isgenerator(provided) else None
    session = next(sessions) if sessions is not None else provided
    try:
        return hit(
            session,
            REGISTRATION_BUCKET,
            client_address(scope),
            now=utcnow(),
            limit=settings.registration_rate_per_ip,
            window_seconds=settings.registration_rate_window_seconds,
        )
    finally:
        if sessions is not None:
            sessions.close()


class RegistrationRateLimitMiddleware:
    """Limit how many registrations one address may post per window."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        limited = (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and path in (FORM_PATH, API_PATH)
            and self.settings.registration_rate_per_ip > 0
        )
        if not limited:
            await self.app(scope, receive, send)
            return
        posted: dict[str, str] | None = None
        if path == FORM_PATH:
            body = await read_body(receive, MAX_FORM_BYTES)
            if body is None:
                await PlainTextResponse(FORM_TOO_LARGE, status_code=413)(scope, receive, send)
                return
            receive = _replay(body, receive)
            posted = form_fields(scope, body)
            if _is_round_trip(posted):
                await self.app(scope, receive, send)
                return
        try:
            verdict = await run_in_threadpool(_count, scope, self.settings)
        except UNAVAILABLE_ERRORS as exc:
            if not database_unavailable(exc):
                raise
            logger.warning("the database is unavailable: registration refused with 503")
            await unavailable(Request(scope, receive), posted)(scope, receive, send)
            return
        if verdict.allowed:
            await self.app(scope, receive, send)
            return
        logger.warning("registration rate limit reached (%s in this window)", verdict.count)
        response = _refusal(Request(scope, receive), posted, verdict.retry_after)
        await response(scope, receive, send)


def _refusal(request: Request, posted: dict[str, str] | None, retry_after: int) -> Response:
    minutes = max(1, math.ceil(retry_after / 60))
    return refusal(
        request,
        status_code=429,
        code="rate_limited",
        message=TOO_MANY,
        params={"minutes": minutes},
        retry_after=retry_after,
        posted=posted,
    )


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it is over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def form_fields(scope: Scope, body: bytes) -> dict[str, str]:
    """The fields of a URL-encoded form (none for any other body)."""
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    text = body.decode("utf-8", errors="replace")
    return dict(parse_qsl(text, keep_blank_values=True))


def _is_round_trip(posted: dict[str, str]) -> bool:
    """Adding or removing a member only shows the form again: it saves nothing."""
    return "remove" in posted or posted.get("action") == "add"
