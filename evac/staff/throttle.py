"""Slowing password guessing down without letting anyone lock an account out.

Attempts are counted per (account name, client address). An address gets
``login_max_failures_per_account`` tries on an account; from then on each try
starts a lock-out of ``login_lockout_seconds``, doubled with every further
failure up to ``login_lockout_max_seconds``. A guesser's lock-out holds only
for the guesser's address, so the owner still signs in from their own. An
address failing on many accounts meets a cap per address as well.

The attempt is counted, and committed, before the password is checked, on a
locked row (``FOR UPDATE`` on PostgreSQL; on SQLite every transaction starts
with ``BEGIN IMMEDIATE``, which takes the write lock): concurrent guesses wait
for each other, so they never check more passwords than the limit allows.
A successful sign-in forgets that address's failures on that account.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from evac.errors import EvacError
from evac.i18n import N_
from evac.settings import Settings
from evac.staff.models import LoginAttempt

TOO_MANY = N_("Too many failed sign-ins. Wait a few minutes and try again.")
_attempts = LoginAttempt.__table__  # type: ignore[attr-defined]


class LoginThrottled(EvacError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def lockout_seconds(failures: int, settings: Settings) -> int:
    """How long an address waits after its ``failures``-th try on an account."""
    beyond = failures - settings.login_max_failures_per_account
    if beyond < 0:
        return 0
    # The exponent is bounded before use so that a long history cannot overflow.
    doubling = 2 ** min(beyond, 40)
    return min(settings.login_lockout_seconds * doubling, settings.login_lockout_max_seconds)


def count_attempt(
    session: Session, settings: Settings, username: str, ip: str, now: datetime
) -> None:
    """Count one sign-in attempt, or raise LoginThrottled; commits either way."""
    _check_address_cap(session, settings, ip, now)
    _ensure_row(session, username, ip, now)
    key = (_attempts.c.username == username) & (_attempts.c.ip == ip)
    row = session.execute(
        sa.select(_attempts.c.failures, _attempts.c.locked_until, _attempts.c.attempted_at)
        .where(key)
        .with_for_update()
    ).one()
    failures, locked_until = row.failures, row.locked_until
    if row.attempted_at < now - timedelta(seconds=settings.login_lockout_max_seconds):
        failures, locked_until = 0, None  # a long quiet spell: start afresh
    if locked_until is not None and locked_until > now:
        session.rollback()
        raise LoginThrottled(TOO_MANY, retry_after=_seconds_until(locked_until, now))
    failures += 1
    wait = lockout_seconds(failures, settings)
    session.execute(
        sa.update(_attempts)
        .where(key)
        .values(
            failures=failures,
            attempted_at=now,
            locked_until=now + timedelta(seconds=wait) if wait else None,
        )
    )
    session.commit()


def forget_attempts(session: Session, username: str, ip: str) -> None:
    """After a successful sign-in: this address starts afresh on this account."""
    session.execute(
        sa.delete(_attempts).where(_attempts.c.username == username, _attempts.c.ip == ip)
    )


def _ensure_row(session: Session, username: str, ip: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(_attempts)
        .values(username=username, ip=ip, failures=0, attempted_at=now)
        .on_conflict_do_nothing(index_elements=["username", "ip"])
    )


def _check_address_cap(session: Session, settings: Settings, ip: str, now: datetime) -> None:
    """One address guessing across many accounts is stopped for a while."""
    since = now - timedelta(seconds=settings.login_window_seconds)
    failures = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(_attempts.c.failures), 0)).where(
            _attempts.c.ip == ip, _attempts.c.attempted_at >= since
        )
    ).scalar_one()
    if failures >= settings.login_max_failures_per_ip:
        session.rollback()
        raise LoginThrottled(TOO_MANY, retry_after=settings.login_window_seconds)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
