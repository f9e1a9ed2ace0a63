"""Housekeeping deletes the short-lived rows that hold personal data once they
have expired, keeps the fresh ones, and runs from the worker's loop and the CLI."""

from __future__ import annotations

import secrets
from contextlib import nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, select

from evac import migrations
from evac.audit.models import AuditEvent
from evac.db import create_db_engine, utcnow
from evac.notifications.models import OutboxStatus
from evac.notifications.service import enqueue
from evac.notifications.worker import Schedule, step
from evac.registration.models import IdempotencyRecord
from evac.retention.housekeeping import HOUSEKEEPING_SECONDS, housekeeping
from evac.settings import Settings, get_settings
from evac.staff.models import LoginAttempt, Role, StaffSession
from evac.web.models import RateLimitWindow
from tests.factories import make_case, make_staff
from tests.foundation.test_cli import run_evac

HOUR = timedelta(hours=1)


def add_rows(session: Session, now: datetime, *, expired: bool) -> None:
    """One row of each kind housekeeping clears: past its expiry, or still needed."""
    suffix = "old" if expired else "new"
    user = make_staff(session, f"staff-{suffix}-{secrets.token_hex(4)}", Role.coordinator)
    case = make_case(session)
    age = 49 * HOUR if expired else HOUR  # past a day (idempotency) and two (sign-ins)
    session.add_all(
        [
            StaffSession(
                token_hash=f"session-{suffix}",
                staff_user_id=user.id,  # type: ignore[arg-type]
                csrf_token="csrf",
                expires_at=now - HOUR if expired else now + HOUR,
            ),
            LoginAttempt(username=f"typo-{suffix}", ip="203.0.113.7", attempted_at=now - age),
            IdempotencyRecord(
                key=f"api:{suffix}",
                registration_id=case.id,  # type: ignore[arg-type]
                response_ciphertext="sealed",
                request_hash="0" * 64,
                created_at=now - age,
            ),
            RateLimitWindow(
                bucket="registration",
                client=f"198.51.100.{1 if expired else 2}",
                window_start=now - age,
                count=3,
            ),
        ]
    )
    session.commit()


def remaining(session: Session) -> dict[str, list[Any]]:
    return {
        "sessions": list(session.exec(select(StaffSession.token_hash)).all()),
        "attempts": list(session.exec(select(LoginAttempt.username)).all()),
        "idempotency": list(session.exec(select(IdempotencyRecord.key)).all()),
        "windows": list(session.exec(select(RateLimitWindow.client)).all()),
    }


FRESH_ONLY = {
    "sessions": ["session-new"],
    "attempts": ["typo-new"],
    "idempotency": ["api:new"],
    "windows": ["198.51.100.2"],
}


def test_housekeeping_deletes_every_kind_of_expired_row_and_keeps_fresh_ones(
    session: Session,
) -> None:
    now = utcnow()
    add_rows(session, now, expired=True)
    add_rows(session, now, expired=False)

    dry = housekeeping(session, now, get_settings(), dry_run=True)
    assert sorted(remaining(session)["sessions"]) == ["session-new", "session-old"]
    done = housekeeping(session, now, get_settings())

    expected = {"staff_sessions": 1, "login_attempts": 1, "idempotency_records": 1,
                "rate_limit_windows": 1, "message_links": 0, "abandoned_jobs": 0,
                "finished_jobs": 0}  # fmt: skip
    assert dry.summary() == done.summary() == expected
    assert remaining(session) == FRESH_ONLY
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.housekeeping"))
    assert event.one().after == expected
    assert housekeeping(session, now, get_settings()).total == 0


def test_login_attempts_are_kept_as_long_as_the_setting_says(session: Session) -> None:
    now = utcnow()
    add_rows(session, now, expired=True)  # a failed sign-in 49 hours ago
    longer = get_settings().model_copy(update={"login_attempt_retention_hours": 72})

    assert housekeeping(session, now, longer).login_attempts == 0
    assert remaining(session)["attempts"] == ["typo-old"]


def test_login_attempts_cannot_be_deleted_before_the_throttle_stops_counting_them() -> None:
    with pytest.raises(ValidationError, match="EVAC_LOGIN_ATTEMPT_RETENTION_HOURS"):
        Settings(login_attempt_retention_hours=1, login_window_seconds=2 * 3600)


def test_the_worker_loop_runs_housekeeping_on_its_schedule(session: Session) -> None:
    same_session = lambda: nullcontext(session)  # noqa: E731
    now = utcnow()
    add_rows(session, now, expired=True)
    schedule = Schedule()

    step(same_session, {}, schedule, batch=10, clock=lambda: 1000.0)

    assert remaining(session) == {key: [] for key in FRESH_ONLY}
    assert schedule.housekeeping_at == 1000.0 + HOUSEKEEPING_SECONDS
    add_rows(session, utcnow(), expired=True)
    step(same_session, {}, schedule, batch=10, clock=lambda: 1000.0 + HOUSEKEEPING_SECONDS - 1)
    assert remaining(session)["sessions"] == ["session-old"]
    step(same_session, {}, schedule, batch=10, clock=lambda: 1000.0 + HOUSEKEEPING_SECONDS)
    assert remaining(session)["sessions"] == []


def _counts(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = (
            connection.execute(sa.text("SELECT count(*) FROM staff_session")).scalar_one(),
            connection.execute(
                sa.text("SELECT count(*) FROM outbox_message WHERE body LIKE '%?t=%'")
            ).scalar_one(),
        )
    engine.dispose()
    return found


def test_housekeeping_command_dry_run_counts_then_clears(
    fresh_database: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as session:
        add_rows(session, utcnow(), expired=True)
        link = {"link": "https://evac.example/r/X?t=sent-before-the-upgrade"}
        case = make_case(session)
        message = enqueue(session, registration=case, template="confirmation", context=link)
        message.status = OutboxStatus.sent  # type: ignore[union-attr]
        session.commit()
    engine.dispose()
    assert _counts(fresh_database) == (1, 1)

    dry = run_evac("retention", "housekeeping", "--dry-run",
                   database_url=fresh_database, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would clear: 1 staff sessions, 1 login attempts, ")
    assert _counts(fresh_database) == (1, 1)

    done = run_evac("retention", "housekeeping", database_url=fresh_database, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "cleared: 1 staff sessions, 1 login attempts, 1 idempotency records, "
        "1 rate limit windows, 1 message links, 0 abandoned jobs, 0 finished jobs"
    )
    assert _counts(fresh_database) == (0, 0)
