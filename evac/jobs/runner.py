"""Running a job beside the web server, in a process of its own.

The page stores the job and starts it here; nothing about it is kept in the
web process. A thread would share the web worker's GIL: a CPU-bound import
then slows every request of that worker (``/healthz`` took up to half a
second during a 20,000-row import). The child process (``python -m
evac.jobs``) claims the row, calls the job's work with a ``Progress`` that
writes how far it got (and so its heartbeat), and stores the result or the
failure. It runs in a session of its own, so a server stopped or restarted
lets a running job finish; if the child dies, the row stops beating and is
marked failed (``service.fail_abandoned``).
"""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
import sys
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


def work_path(work: Work) -> str:
    """The importable name of a job's work, which the child process looks up."""
    return f"{work.__module__}:{work.__qualname__}"


def find_work(path: str) -> Work:
    """The work named by ``work_path``; only evac's own functions can be named."""
    module_name, _, name = path.partition(":")
    if not module_name.startswith("evac.") or not name.isidentifier():
        raise ValueError(f"not a job's work: {path!r}")
    work: Work = getattr(importlib.import_module(module_name), name)
    return work


def start_in_process(job_id: int, work: Work, database_url: str) -> subprocess.Popen[bytes]:
    """Run the job in a new process on ``database_url``; the request that stored it returns
    at once. The URL goes through the environment, never the command line (``ps`` shows it)."""
    child = subprocess.Popen(  # noqa: S603  (our interpreter, a job id and our own function)
        [sys.executable, "-m", "evac.jobs", str(job_id), work_path(work)],
        env={**os.environ, "EVAC_DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Reap the child when it ends, so it never lingers as a zombie of the web worker.
    threading.Thread(target=child.wait, name=f"evac-job-{job_id}-reaper", daemon=True).start()
    return child
