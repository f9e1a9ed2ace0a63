"""A job started from a page runs in a process of its own, on its own connection,
and its outcome is in the database for any worker to show."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from evac import migrations
from evac.cases.import_jobs import run_import, store_import
from evac.db import get_engine
from evac.jobs.models import BackgroundJob, JobStatus
from evac.jobs.runner import find_work, run_job, start_in_process
from evac.registration.importer import HEADER
from evac.registration.models import Registration
from evac.staff.auth import StaffContext
from evac.staff.models import Role
from tests.factories import DOCUMENT_EXPIRY, make_mission, make_staff

ROW = (
    f"H1,Ayla,Yıldız,1980-05-01,F,TR,P,U50000001,TR,{DOCUMENT_EXPIRY},+49 30 901820,,"
    "DE,Berlin,52.52,13.40,no,no,no,none,no,"
)


def test_an_import_job_runs_in_its_own_process_and_stores_its_report(fresh_database: str) -> None:
    engine = get_engine()
    migrations.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-BERLIN", ["DE"])
        user = make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
        staff = StaffContext(
            user_id=user.id,  # type: ignore[arg-type]
            username="berlin",
            role=Role.officer,
            mission_ids=tuple(user.mission_ids),
            countries=("DE",),
            csrf_token="",
        )
        raw = (",".join(HEADER) + "\n" + ROW + "\n").encode()
        job = store_import(session, staff, raw, dry_run=False, language="en")

    assert start_in_process(job.id, run_import, fresh_database).wait(timeout=300) == 0  # type: ignore[arg-type]
    run_job(job.id, run_import)  # type: ignore[arg-type]  # claimed already: left alone

    with Session(engine) as session:
        done = session.get(BackgroundJob, job.id)
        assert done is not None
        assert (done.status, done.payload, done.done, done.total) == (JobStatus.done, None, 1, 1)
        assert done.result is not None and done.result["households_imported"] == 1
        assert session.exec(select(func.count()).select_from(Registration)).one() == 1


@pytest.mark.parametrize("path", ["os:system", "evac.jobs.runner:run_job.__globals__", "evac.db"])
def test_a_job_process_runs_only_evacs_own_work(path: str) -> None:
    with pytest.raises(ValueError):
        find_work(path)
