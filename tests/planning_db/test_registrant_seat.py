"""The registrant sees the seat, confirms it, then prints the boarding passes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import Assignment, AssignmentStatus
from evac.planning.service import commit_plan
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from tests.factories import TODAY, registration_payload
from tests.planning_db.test_plan_commit import make_flight


def test_registrant_confirms_the_seat_and_prints_boarding_passes(
    client: TestClient, session: Session
) -> None:
    data = RegistrationIn.model_validate(registration_payload("DE"))
    registered = register_household(session, data, actor="registrant", today=TODAY)
    case, token = registered.case(session), registered.access_token
    flight = make_flight(session, "TK1800", 10)
    flight.meeting_point = "Terminal 1, desk 12"
    session.commit()
    page = client.get(f"/r/{case.reference}?t={token}")
    assert "TK1800" not in page.text  # no seat yet
    assert client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}").status_code == 404

    commit_plan(session, actor="planner", country="DE")
    page = client.get(f"/r/{case.reference}?t={token}")
    assert "TK1800" in page.text and "Terminal 1, desk 12" in page.text
    assert client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}").status_code == 404

    confirmed = client.post(f"/r/{case.reference}/seats/confirm", data={"t": token})
    assert "Boarding passes (PDF)" in confirmed.text
    seats = session.exec(select(Assignment.status).where(Assignment.registration_id == case.id))
    assert set(seats.all()) == {AssignmentStatus.confirmed}
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.confirm")).one()
    pdf = client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_wrong_token_never_reaches_the_boarding_passes(
    client: TestClient, session: Session
) -> None:
    data = RegistrationIn.model_validate(registration_payload("DE"))
    case = register_household(session, data, actor="registrant", today=TODAY).case(session)
    assert client.get(f"/r/{case.reference}/boarding-passes.pdf?t=wrong").status_code == 404
    assert client.post(f"/r/{case.reference}/seats/confirm", data={"t": "wrong"}).status_code == 404
