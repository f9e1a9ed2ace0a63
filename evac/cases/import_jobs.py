"""The staff CSV import as a background job: stored by the page, run in a process of its own.

The upload is checked as far as it can be at once (size, UTF-8, header), so a
wrong file is refused on the form as before; the rows are checked and saved by
the job, which ends with the same per-row report the page showed.
"""

from __future__ import annotations

import io
from typing import Any

from sqlmodel import Session

from evac.csvfiles import ImportFileError, decode_csv
from evac.db import utc_today
from evac.i18n import N_
from evac.jobs.models import BackgroundJob
from evac.jobs.runner import Progress
from evac.jobs.service import create_job
from evac.registration.import_rows import check_file_header
from evac.registration.importer import ImportReport, import_registrations
from evac.registration.places import geocode_for_registration
from evac.settings import get_settings
from evac.staff.auth import StaffContext

KIND = "registration_import"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Households per transaction: the server goes on answering while a job runs, and
# on SQLite every other writer (a registration, a page's read) waits for the
# chunk being written; the command line keeps the importer's larger default.
CHUNK_HOUSEHOLDS = 100


def store_import(
    session: Session, staff: StaffContext, raw: bytes, *, dry_run: bool, language: str
) -> BackgroundJob:
    """The queued job for an uploaded file; ``ImportFileError`` for a file that cannot be read."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImportFileError(N_("The file is larger than 20 MB; split it and import each part."))
    text = decode_csv(raw)
    check_file_header(io.StringIO(text, newline=""))
    return create_job(
        session,
        kind=KIND,
        staff=staff,
        payload=text,
        options={"dry_run": dry_run},
        language=language,
    )


def run_import(session: Session, job: BackgroundJob, progress: Progress) -> dict[str, Any]:
    """The job's work: the import as the page ran it, audited as the person who uploaded."""
    assert job.payload is not None
    report = import_registrations(
        session,
        io.StringIO(job.payload, newline=""),
        dry_run=bool(job.options.get("dry_run")),
        today=utc_today(),
        home_country=get_settings().home_country,
        geocode=geocode_for_registration,
        actor=job.actor,
        language=job.language,
        allowed_countries=job.countries,
        progress=progress,
        chunk_households=CHUNK_HOUSEHOLDS,
    )
    return report.as_dict()


def job_report(job: BackgroundJob) -> ImportReport | None:
    return ImportReport.from_dict(job.result) if job.result is not None else None
