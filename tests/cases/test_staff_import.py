"""Officers import an embassy's list from the browser: the upload becomes a background
job whose page shows the progress, then the report row by row."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.audit.models import AuditEvent
from evac.cases.import_jobs import KIND
from evac.cases.import_routes import job_starter
from evac.db import utcnow
from evac.jobs.models import BackgroundJob, JobStatus
from evac.jobs.runner import Work, run_job
from evac.registration.importer import HEADER
from evac.registration.models import Registration
from evac.retention.housekeeping import housekeeping
from evac.settings import get_settings
from evac.staff.models import StaffUser
from tests.factories import DOCUMENT_EXPIRY, csrf_token, sign_in

pytestmark = pytest.mark.usefixtures("missions")

ROW = (
    "{ref},{given},Yıldız,1980-05-01,F,TR,P,{doc},TR,{expiry},+49 30 901820,,"
    "{country},Berlin,52.52,13.40,no,no,no,none,no,"
).replace("{expiry}", str(DOCUMENT_EXPIRY))


@pytest.fixture
def started(app: FastAPI, session: Session) -> list[int]:
    """Jobs run in place, in the test's session, instead of in a thread of their own."""
    job_ids: list[int] = []

    def start(job_id: int, work: Work) -> None:
        job_ids.append(job_id)
        run_job(job_id, work, sessions=lambda: nullcontext(session))

    app.dependency_overrides[job_starter] = lambda: start
    return job_ids


def _csv(*rows: str) -> bytes:
    return ("\n".join([",".join(HEADER), *rows]) + "\n").encode()


def _upload(client: TestClient, content: bytes, dry_run: bool = False) -> str:
    data = {"csrf_token": csrf_token(client, "/staff/import")}
    if dry_run:
        data["dry_run"] = "true"
    response = client.post(
        "/staff/import", data=data, files={"file": ("list.csv", content, "text/csv")}
    )
    return response.text


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Registration)).one()


def _job(session: Session, username: str, status: JobStatus, **values: object) -> BackgroundJob:
    owner = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
    job = BackgroundJob(
        kind=KIND,
        owner_id=owner.id,  # type: ignore[arg-type]
        actor=f"staff:{username}",
        countries=["DE"],
        language="en",
        status=status,
        payload="household_ref,…",
        **values,  # type: ignore[arg-type]
    )
    session.add(job)
    session.commit()
    return job


@pytest.mark.usefixtures("started")
def test_officer_imports_their_countrys_households_and_sees_rejected_rows(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "berlin")
    page = _upload(
        client,
        _csv(
            ROW.format(ref="H1", given="Ayla", doc="U10000001", country="DE"),
            ROW.format(ref="H2", given="Banu", doc="U10000002", country="FR"),
            ROW.format(ref="H3", given="Cem", doc="BAD DATE", country="DE").replace(
                "1980-05-01", "1980-13-01"
            ),
        ),
    )
    assert "Households imported: 1 (1 people)" in page
    assert "Households rejected: 2 (2 people)" in page
    assert "outside the countries of your missions" in page
    assert "<td>4</td>" in page  # the bad date is on line 4
    assert _count(session) == 1
    created = session.exec(select(AuditEvent).where(AuditEvent.action == "registration.create"))
    assert [event.actor for event in created] == ["staff:berlin"]


def test_the_upload_answers_at_once_with_a_page_that_follows_the_job(
    client: TestClient, session: Session, app: FastAPI
) -> None:
    left_waiting: list[int] = []
    app.dependency_overrides[job_starter] = lambda: (
        lambda job_id, _work: left_waiting.append(job_id)
    )
    sign_in(client, "berlin")
    data = {"csrf_token": csrf_token(client, "/staff/import")}
    content = _csv(ROW.format(ref="H1", given="Ayla", doc="U11000001", country="DE"))
    response = client.post(
        "/staff/import",
        data=data,
        files={"file": ("list.csv", content, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/import/jobs/{left_waiting[0]}"
    page = client.get(response.headers["location"]).text
    assert "Waiting to start" in page
    assert 'http-equiv="refresh"' in page
    assert _count(session) == 0


def test_the_progress_page_shows_rows_done_out_of_the_total(
    client: TestClient, session: Session
) -> None:
    job = _job(session, "berlin", JobStatus.running, phase="saving", done=1200, total=5000)
    sign_in(client, "berlin")
    page = client.get(f"/staff/import/jobs/{job.id}").text
    assert "Step 2 of 2: saving the households" in page
    assert "1200 of 5000 rows" in page
    assert 'http-equiv="refresh"' in page
    assert f'href="/staff/import/jobs/{job.id}"' in client.get("/staff/import").text


def test_a_job_left_running_by_a_dead_process_is_shown_as_failed(
    client: TestClient, session: Session
) -> None:
    silent_since = utcnow() - timedelta(hours=1)
    job = _job(session, "berlin", JobStatus.running, heartbeat_at=silent_since, done=10, total=99)
    sign_in(client, "berlin")
    page = client.get(f"/staff/import/jobs/{job.id}").text
    assert "the server running it stopped before it finished" in page
    assert 'http-equiv="refresh"' not in page
    session.refresh(job)
    assert (job.status, job.error, job.payload) == (JobStatus.failed, "abandoned", None)


def test_housekeeping_fails_abandoned_jobs_and_deletes_old_finished_ones(
    session: Session,
) -> None:
    now = utcnow()
    abandoned = _job(session, "berlin", JobStatus.running, heartbeat_at=now - timedelta(hours=1))
    alive = _job(session, "berlin", JobStatus.running, heartbeat_at=now)
    old = _job(session, "berlin", JobStatus.done, finished_at=now - timedelta(days=4))
    recent = _job(session, "berlin", JobStatus.done, finished_at=now - timedelta(hours=1))
    result = housekeeping(session, now, get_settings())
    assert (result.abandoned_jobs, result.finished_jobs) == (1, 1)
    statuses = dict(session.exec(select(BackgroundJob.id, BackgroundJob.status)).all())
    assert old.id not in statuses
    assert [statuses[job.id] for job in (abandoned, alive, recent)] == ["failed", "running", "done"]


@pytest.mark.parametrize("other", ["paris", "center"])
def test_nobody_else_sees_an_officers_import(
    client: TestClient, session: Session, other: str
) -> None:
    job = _job(session, "berlin", JobStatus.done, result={"dry_run": False, "errors": []})
    sign_in(client, other)
    assert client.get(f"/staff/import/jobs/{job.id}").status_code == 404
    assert f"/staff/import/jobs/{job.id}" not in client.get("/staff/import").text


@pytest.mark.usefixtures("started")
def test_a_check_only_import_writes_nothing(client: TestClient, session: Session) -> None:
    sign_in(client, "berlin")
    page = _upload(
        client, _csv(ROW.format(ref="H1", given="Ayla", doc="U20000001", country="DE")), True
    )
    assert "nothing was imported" in page
    assert _count(session) == 0


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(
    client: TestClient, started: list[int]
) -> None:
    sign_in(client, "berlin")
    latin1 = _csv(ROW.format(ref="H1", given="Ayşe", doc="U1", country="DE")).replace(
        "ş".encode(), b"\xfe"
    )
    assert "The file is not UTF-8 text" in _upload(client, latin1)
    assert started == []


def test_a_file_with_a_wrong_header_is_refused_on_the_form(
    client: TestClient, started: list[int]
) -> None:
    sign_in(client, "berlin")
    page = _upload(client, b"name,city\nAyla,Berlin\n")
    assert "The header has missing column(s)" in page
    assert started == []


@pytest.mark.usefixtures("started")
def test_coordinators_import_for_any_country(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    page = _upload(client, _csv(ROW.format(ref="H9", given="Deniz", doc="U30000001", country="FR")))
    assert "Households imported: 1 (1 people)" in page


def test_a_job_whose_work_fails_is_shown_as_stopped(
    client: TestClient, session: Session, app: FastAPI
) -> None:
    def broken(_session: Session, _job: BackgroundJob, _progress: Callable[..., None]) -> dict:
        raise RuntimeError("a bug")

    def start(job_id: int, _work: Work) -> None:
        run_job(job_id, broken, sessions=lambda: nullcontext(session))

    app.dependency_overrides[job_starter] = lambda: start
    sign_in(client, "berlin")
    page = _upload(client, _csv(ROW.format(ref="H1", given="Ayla", doc="U40000001", country="DE")))
    assert "The import stopped because of an error." in page
    job = session.exec(select(BackgroundJob)).one()
    assert (job.status, job.payload) == (JobStatus.failed, None)
