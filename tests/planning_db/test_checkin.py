"""At the airport: officers check people in, board them and close check-in."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import AssignmentStatus, FlightStatus
from evac.registration.models import CaseStatus
from tests.factories import csrf_token, member, sign_in
from tests.planning_db.airport import person_ids, seated_flight, seats, status
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff


def test_check_in_board_and_close_the_flight(client: TestClient, session: Session) -> None:
    flight, (early, late) = seated_flight(
        session, [[member("Aylin", "Tan"), member("Kerem", "Tan")], [member("Oya", "Er")]]
    )
    sign_in(client, "berlin")
    url = f"/staff/checkin/{flight.id}"
    token = csrf_token(client, url)

    page = client.post(
        url,
        data={
            "reference": early.reference.lower(),
            "person": person_ids(session, early),
            "step": "check_in",
            "csrf_token": token,
        },
    )
    assert f"{early.reference}: 2 people checked in." in page.text
    assert seats(session, early) == [AssignmentStatus.checked_in] * 2

    page = client.post(
        url, data={"reference": late.reference, "step": "board", "csrf_token": token}
    )
    assert "Check the household in before boarding." in page.text

    page = client.post(
        url, data={"reference": early.reference, "step": "board", "csrf_token": token}
    )
    assert f"{early.reference}: 2 people boarded." in page.text

    page = client.post(f"{url}/close", data={"expected": "1", "csrf_token": token})
    assert "Check-in for TK500 is closed: 1 person did not come and lost the seat." in page.text
    session.refresh(flight)
    assert flight.status == FlightStatus.closed
    assert status(session, late) == CaseStatus.no_show
    assert seats(session, late) == [AssignmentStatus.no_show]
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.no_show")).one()
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "flight.close")).one()


def test_an_unknown_reference_is_refused_clearly(client: TestClient, session: Session) -> None:
    _staff(session)
    flight = make_flight(session, "TK501", 10)
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/checkin/{flight.id}",
        data={
            "reference": "ZZZZ-ZZZZ",
            "person": "1",
            "step": "check_in",
            "csrf_token": csrf_token(client),
        },
    )
    assert "No household with this reference on this flight." in page.text


def test_closing_needs_a_confirmation(client: TestClient, session: Session) -> None:
    """The old one-box form (``confirm=true``) no longer closes anything: it leads to the
    page that shows who would become a no-show."""
    flight, _ = seated_flight(session, [[member("Oya", "Er")]], number="TK502")
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/checkin/{flight.id}/close",
        data={"confirm": "true", "csrf_token": csrf_token(client)},
    )
    assert page.url.path == f"/staff/checkin/{flight.id}/close"
    assert "Close check-in for TK502?" in page.text
    assert "ER, OYA" in page.text
    session.refresh(flight)
    assert flight.status == FlightStatus.open
