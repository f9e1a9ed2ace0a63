"""Per-address rate limits, counted in the database.

Each request that would register a household (or ask for a new link) adds one
to a fixed-window counter row (bucket, client address, window start) with an
atomic upsert, so the limit holds across worker processes and across app
servers sharing one database. The registration counts inside its own
transaction (``Limit``): a refused or failed registration counts nothing, and
the count costs one statement, not a transaction of its own. Over the limit,
the API answers 429 with Retry-After and the HTML form is shown again with
everything typed, saying that nothing was saved.

The client address is the peer of the connection. Behind a reverse proxy, name
it in EVAC_FORWARDED_ALLOW_IPS: the app then takes the address from
X-Forwarded-For set by that proxy only (evac/app.py). The header itself is
never read here, and from any other peer it is ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session
from starlette.requests import Request
from starlette.types import Scope

from evac.db import utcnow
from evac.settings import Settings
from evac.web.models import RateLimitWindow

REGISTRATION_BUCKET = "registration"
KEEP_WINDOWS_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Verdict:
    count: int
    allowed: bool
    retry_after: int


@dataclass(frozen=True)
class Limit:
    """At most ``per_window`` of ``bucket`` from ``client`` in each window."""

    bucket: str
    client: str
    per_window: int
    window_seconds: int

    def count(self, session: Session) -> Verdict:
        """Count one now, in the caller's transaction (see ``record_hit``)."""
        return record_hit(
            session,
            self.bucket,
            self.client,
            now=utcnow(),
            limit=self.per_window,
            window_seconds=self.window_seconds,
        )


def registration_limit(request: Request) -> Limit | None:
    """The limit on registrations from this request's address (None when switched off)."""
    settings: Settings = request.app.state.settings
    if settings.registration_rate_per_ip <= 0:
        return None
    return Limit(
        REGISTRATION_BUCKET,
        client_address(request.scope),
        settings.registration_rate_per_ip,
        settings.registration_rate_window_seconds,
    )


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


def _count_one(insert: Any) -> Any:
    """``INSERT … ON CONFLICT DO UPDATE … RETURNING count``, built once per dialect."""
    table = RateLimitWindow.__table__
    return (
        insert(table)
        .values(count=1)
        .on_conflict_do_update(
            index_elements=["bucket", "client", "window_start"],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.count)
    )


_COUNT_ONE = {"postgresql": _count_one(postgresql.insert), "sqlite": _count_one(sqlite.insert)}


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
    statement = _COUNT_ONE[session.get_bind().dialect.name]
    values = {"bucket": bucket, "client": client[:45], "window_start": start}
    count = session.execute(statement, values).scalar_one()
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
