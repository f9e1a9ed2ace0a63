"""Housekeeping: deleting short-lived rows with personal data once they are of no use.

``evac worker`` runs it every few minutes (``HOUSEKEEPING_SECONDS``), and
``evac retention housekeeping`` runs it on demand. Each run clears:

- ``staff_session``: sessions past their expiry (they can no longer sign anyone in);
- ``login_attempt``: failed sign-ins (username, address) older than
  ``EVAC_LOGIN_ATTEMPT_RETENTION_HOURS``, which settings keep longer than the
  login throttle looks back, so throttling never loses a row it counts;
- ``idempotency_record``: remembered submissions older than a day (they hold
  the private token, encrypted), through ``idempotency.purge_expired``;
- ``rate_limit_window``: per-address counters of windows that started over a day ago;
- ``outbox_message``: the private links left in messages that no longer need
  them (see ``notifications.redaction``);
- ``background_job``: jobs whose process died are marked failed (their
  uploaded file cleared), and finished jobs, whose reports quote the rows they
  refused, are deleted after ``jobs.service.KEEP_FINISHED``.

A run is one transaction. On PostgreSQL a transaction-level advisory lock lets
one process run it at a time; another worker that finds it taken skips its
turn. On SQLite every write transaction begins IMMEDIATE, which serializes runs.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from evac.audit.service import SYSTEM, record_event
from evac.jobs.service import fail_abandoned, purge_finished
from evac.notifications.redaction import remove_stale_links
from evac.registration import idempotency
from evac.settings import Settings
from evac.staff.models import LoginAttempt, StaffSession
from evac.web.ratelimit import purge_expired_windows

logger = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 300
# pg_try_advisory_xact_lock key: "evackeep" in ASCII, shared by every evac process.
ADVISORY_LOCK_KEY = 0x657661636B656570


@dataclass
class HousekeepingResult:
    """How many rows one run deleted or changed (or, for a dry run, would)."""

    staff_sessions: int = 0
    login_attempts: int = 0
    idempotency_records: int = 0
    rate_limit_windows: int = 0
    message_links: int = 0
    abandoned_jobs: int = 0
    finished_jobs: int = 0
    skipped: bool = False

    @property
    def total(self) -> int:
        return (
            self.staff_sessions
            + self.login_attempts
            + self.idempotency_records
            + self.rate_limit_windows
            + self.message_links
            + self.abandoned_jobs
            + self.finished_jobs
        )

    def summary(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "skipped"}


def housekeeping(
    session: Session, now: datetime, settings: Settings, *, dry_run: bool = False
) -> HousekeepingResult:
    """Clear every expired row in one transaction; a dry run rolls it back."""
    if not _take_turn(session):
        session.rollback()
        return HousekeepingResult(skipped=True)
    result = HousekeepingResult(
        staff_sessions=_delete(session, StaffSession, StaffSession.expires_at < now),  # type: ignore[arg-type]
        login_attempts=_delete(
            session,
            LoginAttempt,
            LoginAttempt.attempted_at  # type: ignore[arg-type]
            < now - timedelta(hours=settings.login_attempt_retention_hours),
        ),
        idempotency_records=idempotency.purge_expired(session),
        rate_limit_windows=purge_expired_windows(session, now),
        message_links=remove_stale_links(session, now),
        abandoned_jobs=fail_abandoned(session, now),
        finished_jobs=purge_finished(session, now),
    )
    if dry_run:
        session.rollback()
        return result
    if result.total:
        record_event(
            session,
            actor=SYSTEM,
            action="retention.housekeeping",
            subject_type="retention",
            subject_id=now.date().isoformat(),
            after=result.summary(),
        )
    session.commit()
    logger.info("housekeeping: %s", result.summary())
    return result


def _take_turn(session: Session) -> bool:
    """Whether this process may run now (PostgreSQL: nobody else holds the lock)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY))).scalar()
    )


def _delete(session: Session, model: type, condition: sa.ColumnElement[bool]) -> int:
    result = session.execute(
        sa.delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]
