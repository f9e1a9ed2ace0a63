"""Coordinators preview and commit plans in the browser's pages; officers work manifests."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.manifest import MANIFEST_COLUMNS
from evac.flights.models import Assignment, AssignmentStatus
from evac.planning.service import commit_plan
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_mission, make_staff, member, sign_in
from tests.planning_db.test_plan_commit import make_flight

EVAC = str(Path(sys.executable).with_name("evac"))


def _staff(session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_mission(session, "TR-EMB-PARIS", ["FR"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    make_staff(session, "paris", Role.officer, ["TR-EMB-PARIS"])


def test_coordinator_previews_then_commits_a_plan(client: TestClient, session: Session) -> None:
    _staff(session)
    case = make_case(session, "DE", [member("Nur", "Aydın"), member("Ela", "Aydın")])
    flight = make_flight(session, "TK100", 1)
    sign_in(client, "center")
    page = client.get("/staff/plan?country=DE")
    assert page.status_code == 200
    assert 'id="left-out">2<' in page.text
    assert "Household too large for any flight within reach: 2" in page.text
    assert "TK100" in page.text
    committed = client.post(
        "/staff/plan/commit",
        data={"country": "DE", "csrf_token": csrf_token(client, "/staff/plan")},
    )
    assert "Plan saved: 0 people seated, 2 left out" in committed.text
    flight.seats = 5
    session.commit()
    committed = client.post(
        "/staff/plan/commit",
        data={"country": "DE", "csrf_token": csrf_token(client, "/staff/plan")},
    )
    assert "Plan saved: 2 people seated, 0 left out, 1 moved." in committed.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.seat")).one()
    assert event.actor == "staff:center" and event.subject_id == case.reference


def test_officers_cannot_plan(client: TestClient, session: Session) -> None:
    _staff(session)
    sign_in(client, "berlin")
    assert client.get("/staff/plan").status_code == 403


def test_manifest_groups_households_and_counts_for_the_crew(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    make_case(session, "DE", [member("Hüseyin", "Çelik", needs_wheelchair=True)])
    make_case(session, "DE", [member("Marie", "Weber", nationality="DE")])
    flight = make_flight(session, "TK200", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    page = client.get(f"/staff/manifests/{flight.id}")
    assert page.status_code == 200
    assert "Çelik, Hüseyin" in page.text and "Weber, Marie" in page.text
    assert "1 citizens, 1 third-country nationals" in page.text
    assert "wheelchair" in page.text
    assert "2 used, 8 left" in page.text


def test_officer_moves_and_offloads_households(client: TestClient, session: Session) -> None:
    _staff(session)
    case = make_case(session, "DE")
    first = make_flight(session, "TK300", 10)
    second = make_flight(session, "TK301", 10, hours=3)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    token = csrf_token(client, f"/staff/manifests/{first.id}")
    moved = client.post(
        f"/staff/manifests/{first.id}/households",
        data={
            "reference": case.reference,
            "action": "move",
            "target": second.id,
            "csrf_token": token,
        },
    )
    assert f"{case.reference} moved to TK301." in moved.text
    seats = session.exec(select(Assignment).where(Assignment.registration_id == case.id)).all()
    assert {(s.flight_id, s.status) for s in seats} == {
        (first.id, AssignmentStatus.offloaded),
        (second.id, AssignmentStatus.assigned),
    }
    asked = client.post(
        f"/staff/manifests/{second.id}/households",
        data={"reference": case.reference, "action": "offload", "csrf_token": token},
    )
    assert "will be taken off flight TK301" in asked.text
    session.refresh(case)
    assert case.status == "assigned"
    offloaded = client.post(
        f"/staff/manifests/{second.id}/households",
        data={
            "reference": case.reference, "action": "offload", "confirmed": "yes",
            "csrf_token": token,
        },
    )  # fmt: skip
    assert f"{case.reference} offloaded." in offloaded.text
    assert 'id="undo-status"' in offloaded.text
    session.refresh(case)
    assert case.status == "verified"


def test_officer_cannot_open_another_countrys_manifest(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    flight = make_flight(session, "TK400", 10)
    sign_in(client, "paris")
    assert client.get(f"/staff/manifests/{flight.id}").status_code == 404


def test_manifest_csv_export_has_one_row_per_passenger(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    for step in (["db", "upgrade"], ["seed", "demo", "--people", "400"], ["plan", "--commit"]):
        subprocess.run([EVAC, *step], env=env, cwd=tmp_path, check=True, capture_output=True)
    out = subprocess.run(
        [EVAC, "export", "manifests", "--format", "csv"],
        env=env, cwd=tmp_path, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    assert len(rows) > 1
    assert {row[13] for row in rows[1:]} <= {"Y", "N"} and {row[14] for row in rows[1:]} <= {
        "Y",
        "N",
    }
    first_flight = rows[1][0]
    one = subprocess.run(
        [EVAC, "export", "manifests", "--flight", first_flight.lower(), "--format", "csv"],
        env=env, cwd=tmp_path, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    one_rows = list(csv.reader(io.StringIO(one)))[1:]
    assert one_rows and {row[0] for row in one_rows} == {first_flight}
