"""Running a job beside the web server, in a thread of its own, off the event loop.

The page stores the job and starts it here; nothing about it is kept in the
process but the thread. The thread claims the row, calls the job's work with
a ``Progress`` that writes how far it got (and so its heartbeat), and stores
the result or the failure. If the process dies, the row stops beating and is
marked failed (``service.fail_abandoned``). The thread is not a daemon: a
server stopped gracefully lets a running job finish.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlmodel import Session

from evac.db import get_engine, utcnow
from evac.jobs.models import BackgroundJob
from evac.jobs.service import CRASHED, claim, fail, finish, record_progress

logger = logging.getLogger(__name__)

# At most one progress write per interval, so a fast phase does not become a stream of commits.
PROGRESS_INTERVAL_SECONDS = 0.5

SessionFactory = Callable[[], AbstractContextManager[Session]]


class Progress:
    """Called by the work between its transactions: ``progress(phase, done, total)``.

    It commits through the work's own session, which must hold no pending
    change when it is called (on SQLite a second connection would wait on the
    work's write lock).
    """

    def __init__(self, session: Session, job_id: int) -> None:
        self._session = session
        self._job_id = job_id
        self._phase = ""
        self._written = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if (
            phase == self._phase
            and done < total
            and now - self._written < PROGRESS_INTERVAL_SECONDS
        ):
            return
        record_progress(self._session, self._job_id, phase, done, total, utcnow())
        self._phase, self._written = phase, now


Work = Callable[[Session, BackgroundJob, Progress], dict[str, Any]]


def job_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def run_job(job_id: int, work: Work, sessions: SessionFactory = job_session) -> None:
    """Claim the job, do its work and store the outcome; a job claimed elsewhere is left alone."""
    with sessions() as session:
        if not claim(session, job_id, utcnow()):
            return
        job = session.get(BackgroundJob, job_id)
        assert job is not None
        try:
            result = work(session, job, Progress(session, job_id))
        except Exception as error:  # any failure is the job's outcome
            session.rollback()
            # The type and the frames only: an error's text may quote a row's personal data.
            frames = "".join(traceback.format_tb(error.__traceback__))
            logger.error(
                "job %s (%s) failed: %s\n%s", job_id, job.kind, type(error).__name__, frames
            )
            fail(session, job_id, CRASHED, utcnow())
            return
        finish(session, job_id, result, utcnow())


def start_in_thread(
    job_id: int, work: Work, sessions: SessionFactory = job_session
) -> threading.Thread:
    """Run the job in a new thread of this process; the request that stored it returns at once."""
    thread = threading.Thread(
        target=run_job, args=(job_id, work, sessions), name=f"evac-job-{job_id}"
    )
    thread.start()
    return thread
