"""Staff import an embassy's existing list from the browser: the upload is stored as a
background job, and its page shows the progress, then the per-row report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evac.cases.deps import CaseReader
from evac.cases.import_jobs import KIND, MAX_UPLOAD_BYTES, job_report, run_import, store_import
from evac.csvfiles import ImportFileError
from evac.db import SessionDep
from evac.jobs.runner import Work, start_in_process
from evac.jobs.service import visible_job, visible_jobs
from evac.registration.importer import HEADER
from evac.staff.deps import verify_csrf
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/import", include_in_schema=False)
# While a job runs, its page reloads itself this often (no script needed).
REFRESH_SECONDS = 2


def job_starter(session: SessionDep) -> Callable[[int, Work], object]:
    """How a stored job is started: a process of its own, on the request's database
    (tests run it in place)."""
    database_url = session.get_bind().engine.url.render_as_string(hide_password=False)
    return lambda job_id, work: start_in_process(job_id, work, database_url)


JobStarter = Annotated[Callable[[int, Work], object], Depends(job_starter)]


def _form_context(session: SessionDep, staff: CaseReader) -> dict[str, object]:
    return {"staff": staff, "header": ",".join(HEADER), "jobs": visible_jobs(session, staff, KIND)}


@router.get("", response_class=HTMLResponse)
def import_page(request: Request, session: SessionDep, staff: CaseReader) -> HTMLResponse:
    return render(request, "cases/import.html", _form_context(session, staff))


@router.post("", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def import_upload(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    start: JobStarter,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    """Store the file as a job and start it; the browser goes to the job's page at once."""
    raw = file.file.read(MAX_UPLOAD_BYTES + 1)
    try:
        job = store_import(session, staff, raw, dry_run=dry_run, language=request.state.language)
    except ImportFileError as error:
        context = _form_context(session, staff)
        context["error"] = error.render(request_gettext(request))
        return render(request, "cases/import.html", context, status_code=422)
    assert job.id is not None
    start(job.id, run_import)
    return RedirectResponse(f"/staff/import/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def import_job_page(
    request: Request, session: SessionDep, staff: CaseReader, job_id: int
) -> HTMLResponse:
    job = visible_job(session, staff, job_id, KIND)
    context = {
        "staff": staff,
        "job": job,
        "report": job_report(job),
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, "cases/import_job.html", context)
