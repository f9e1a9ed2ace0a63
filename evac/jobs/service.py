"""Creating, advancing and reading background jobs; every change is one short transaction.

A job is visible only to the staff member who started it, and only while
their reach still covers the countries it was started with. A job whose
process died stops beating: once its ``heartbeat_at`` is older than
``ABANDONED_AFTER`` it is marked failed, by the next page that shows it or by
housekeeping, whichever comes first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.db import utcnow
from evac.errors import NotFound
from evac.i18n import N_
from evac.jobs.models import UNFINISHED, BackgroundJob, JobStatus
from evac.staff.auth import StaffContext

# A running job writes its heartbeat at least every few seconds (see runner.py).
ABANDONED_AFTER = timedelta(minutes=2)
# Finished jobs keep their report (household references, values of bad rows) this long.
KEEP_FINISHED = timedelta(days=3)
ABANDONED = "abandoned"
CRASHED = "error"


def create_job(
    session: Session,
    *,
    kind: str,
    staff: StaffContext,
    payload: str,
    options: dict[str, Any],
    language: str,
) -> BackgroundJob:
    """Store a queued job (committed), for a runner to claim."""
    job = BackgroundJob(
        kind=kind,
        owner_id=staff.user_id,
        actor=staff.actor,
        countries=None if staff.sees_all_countries else sorted(staff.countries),
        language=language,
        options=options,
        payload=payload,
    )
    session.add(job)
    session.commit()
    return job


def _covers(staff: StaffContext, job: BackgroundJob) -> bool:
    if staff.sees_all_countries:
        return True
    return job.countries is not None and set(job.countries) <= set(staff.countries)


def visible_job(session: Session, staff: StaffContext, job_id: int, kind: str) -> BackgroundJob:
    """The job, if ``staff`` started it and still reaches its countries; else a 404.

    A job found abandoned is marked failed first, so the page never shows a
    dead job as running.
    """
    job = session.get(BackgroundJob, job_id)
    if job is None or job.kind != kind or job.owner_id != staff.user_id or not _covers(staff, job):
        raise NotFound(N_("No such import."))
    if not job.finished and _is_abandoned(job, utcnow()):
        fail_abandoned(session, utcnow())
        session.commit()
        session.refresh(job)
    return job


def visible_jobs(
    session: Session, staff: StaffContext, kind: str, limit: int = 10
) -> list[BackgroundJob]:
    """The latest jobs ``staff`` started, newest first."""
    statement = (
        select(BackgroundJob)
        .where(BackgroundJob.owner_id == staff.user_id, BackgroundJob.kind == kind)
        .order_by(col(BackgroundJob.id).desc())
        .limit(limit)
    )
    return [job for job in session.exec(statement) if _covers(staff, job)]


def _is_abandoned(job: BackgroundJob, now: datetime) -> bool:
    return job.heartbeat_at < now - ABANDONED_AFTER


def claim(session: Session, job_id: int, now: datetime) -> bool:
    """Move a queued job to running; False if someone else has it (or it is gone)."""
    claimed = _update(
        session,
        (BackgroundJob.id == job_id) & (BackgroundJob.status == JobStatus.queued),
        status=JobStatus.running,
        heartbeat_at=now,
    )
    session.commit()
    return bool(claimed)


def record_progress(
    session: Session, job_id: int, phase: str, done: int, total: int, now: datetime
) -> None:
    """How far the job is; also its heartbeat."""
    _update(
        session, BackgroundJob.id == job_id, phase=phase, done=done, total=total, heartbeat_at=now
    )
    session.commit()


def finish(session: Session, job_id: int, result: dict[str, Any], now: datetime) -> None:
    """The job's result, written even over an ``abandoned`` mark: a job that was
    only slow gets its real outcome back."""
    _end(session, job_id, now, status=JobStatus.done, result=result, error=None, heartbeat_at=now)


def fail(session: Session, job_id: int, error: str, now: datetime) -> None:
    _end(session, job_id, now, status=JobStatus.failed, error=error)


def _end(session: Session, job_id: int, now: datetime, **outcome: Any) -> None:
    """Store the outcome and clear the job's input (the uploaded file)."""
    _update(session, BackgroundJob.id == job_id, payload=None, finished_at=now, **outcome)
    session.commit()


def fail_abandoned(session: Session, now: datetime) -> int:
    """Mark failed every unfinished job that stopped beating; the caller commits."""
    return _update(
        session,
        col(BackgroundJob.status).in_(UNFINISHED)
        & (col(BackgroundJob.heartbeat_at) < now - ABANDONED_AFTER),
        status=JobStatus.failed,
        error=ABANDONED,
        payload=None,
        finished_at=now,
    )


def purge_finished(session: Session, now: datetime) -> int:
    """Delete jobs finished over ``KEEP_FINISHED`` ago (their reports hold personal
    data); the caller commits."""
    result = session.execute(
        sa.delete(BackgroundJob)
        .where(
            col(BackgroundJob.status).not_in(UNFINISHED),
            col(BackgroundJob.finished_at) < now - KEEP_FINISHED,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def _update(session: Session, condition: Any, **values: Any) -> int:
    result = session.execute(
        sa.update(BackgroundJob)
        .where(condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]
