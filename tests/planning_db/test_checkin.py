"""At the airport: officers check households in, board them and close the flight."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import Assignment, AssignmentStatus, FlightStatus
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus
from tests.factories import csrf_token, make_case, member, sign_in
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff


def _statuses(session: Session, case_id: int) -> set[str]:
    session.expire_all()
    rows = session.exec(select(Assignment.status).where(Assignment.registration_id == case_id))
    return set(rows.all())


def test_check_in_board_and_close_the_flight(client: TestClient, session: Session) -> None:
    _staff(session)
    early = make_case(session, "DE", [member("Aylin", "Tan"), member("Kerem", "Tan")])
    late = make_case(session, "DE", [member("Oya", "Er")])
    flight = make_flight(session, "TK500", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    token = csrf_token(client, f"/staff/checkin/{flight.id}")
    url = f"/staff/checkin/{flight.id}"

    page = client.post(
        url, data={"reference": early.reference.lower(), "step": "check_in", "csrf_token": token}
    )
    assert f"{early.reference}: 2 people checked in." in page.text
    assert _statuses(session, early.id) == {AssignmentStatus.checked_in}

    page = client.post(
        url, data={"reference": late.reference, "step": "board", "csrf_token": token}
    )
    assert "Check the household in before boarding." in page.text

    page = client.post(
        url, data={"reference": early.reference, "step": "board", "csrf_token": token}
    )
    assert f"{early.reference}: 2 people boarded." in page.text

    page = client.post(f"{url}/close", data={"confirm": "true", "csrf_token": token})
    assert "Flight closed; 1 person did not show up" in page.text
    session.refresh(flight)
    session.refresh(late)
    assert flight.status == FlightStatus.closed
    assert late.status == CaseStatus.no_show
    assert _statuses(session, late.id) == {AssignmentStatus.no_show}
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.no_show")).one()


def test_an_unknown_reference_is_refused_clearly(client: TestClient, session: Session) -> None:
    _staff(session)
    flight = make_flight(session, "TK501", 10)
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/checkin/{flight.id}",
        data={"reference": "ZZZZ-ZZZZ", "step": "check_in", "csrf_token": csrf_token(client)},
    )
    assert "No household with this reference on this flight." in page.text


def test_closing_needs_a_confirmation(client: TestClient, session: Session) -> None:
    _staff(session)
    flight = make_flight(session, "TK502", 10)
    sign_in(client, "berlin")
    page = client.post(f"/staff/checkin/{flight.id}/close", data={"csrf_token": csrf_token(client)})
    assert "Tick the box" in page.text
    session.refresh(flight)
    assert flight.status == FlightStatus.open
