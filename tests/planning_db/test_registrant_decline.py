"""A registrant can say no to the offered flight: the seats go back to the flight
through the lifecycle, officers see why, and the seat page says how far the
airport is and where to meet."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, Flight
from evac.notifications.models import OutboxMessage
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus, Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from evac.staff.models import Role
from tests.factories import TODAY, make_staff, registration_payload, sign_in
from tests.planning_db.test_plan_commit import make_flight


def _seated(session: Session, *, position: tuple[float, float] = (52.52, 13.405)):
    data = RegistrationIn.model_validate(registration_payload("DE", position=position))
    registered = register_household(session, data, actor="registrant", today=TODAY)
    case, token = registered.case(session), registered.access_token
    flight = make_flight(session, "TK1800", 10)
    commit_plan(session, actor="planner", country="DE")
    session.refresh(case)
    assert case.status == CaseStatus.assigned
    return case, token, flight


def _live_seats(session: Session, flight: Flight) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(Assignment)
        .where(
            Assignment.flight_id == flight.id,
            col(Assignment.status).in_(ACTIVE_ASSIGNMENT_STATUSES),
        )
    ).one()


def test_registrant_can_decline_the_offered_flight_and_the_seats_go_back(
    client: TestClient, session: Session
) -> None:
    case, token, flight = _seated(session)
    assert _live_seats(session, flight) == 1
    page = client.get(f"/r/{case.reference}?t={token}")
    assert f"/r/{case.reference}/decline?t=" in page.text

    ask = client.get(f"/r/{case.reference}/decline?t={token}")
    assert ask.status_code == 200 and "TK1800" in ask.text and "Yes, give up our seats" in ask.text
    assert _live_seats(session, flight) == 1  # asking changes nothing

    done = client.post(
        f"/r/{case.reference}/decline",
        data={
            "t": token,
            "row_version": str(case.row_version),
            "kind": "cannot_reach",
            "reason": "The road to the airport is closed.",
        },
    )
    assert done.status_code == 200 and "your seats are released" in done.text
    session.expire_all()
    case = session.get(Registration, case.id)
    assert case.status == CaseStatus.deferred
    assert case.decline_kind == "cannot_reach"
    assert case.decline_reason == "The road to the airport is closed."
    assert case.declined_at is not None
    assert _live_seats(session, flight) == 0
    statuses = session.exec(select(Assignment.status).where(Assignment.registration_id == case.id))
    assert set(statuses.all()) == {AssignmentStatus.offloaded}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.decline")).one()
    assert event.actor == "registrant"
    messages = session.exec(
        select(OutboxMessage.template).where(OutboxMessage.registration_id == case.id)
    ).all()
    assert "seat_released" in messages


def test_registrant_must_say_why_before_the_seats_go(client: TestClient, session: Session) -> None:
    case, token, flight = _seated(session)
    refused = client.post(
        f"/r/{case.reference}/decline",
        data={"t": token, "row_version": str(case.row_version), "kind": "", "reason": " "},
    )
    assert refused.status_code == 422
    assert "Tell us why, in a few words." in refused.text
    assert "Choose one of the answers." in refused.text
    session.expire_all()
    assert session.get(Registration, case.id).status == CaseStatus.assigned
    assert _live_seats(session, flight) == 1


def test_a_wrong_token_cannot_decline_a_seat(client: TestClient, session: Session) -> None:
    case, _, flight = _seated(session)
    assert client.get(f"/r/{case.reference}/decline?t=wrong").status_code == 404
    refused = client.post(
        f"/r/{case.reference}/decline",
        data={"t": "wrong", "row_version": "1", "kind": "declined", "reason": "no"},
    )
    assert refused.status_code == 404
    assert _live_seats(session, flight) == 1


def test_officer_sees_that_the_registrant_said_no_and_why(
    client: TestClient, session: Session
) -> None:
    case, token, _ = _seated(session)
    client.post(
        f"/r/{case.reference}/decline",
        data={
            "t": token,
            "row_version": str(case.row_version),
            "kind": "declined",
            "reason": "We found a bus to the border.",
        },
    )
    make_staff(session, "center", Role.coordinator)
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{case.reference}")
    assert "The registrant declined the flight offered." in page.text
    assert "We found a bus to the border." in page.text
    listing = client.get("/staff/cases")
    assert "Said no to the flight" in listing.text


def test_registrant_sees_how_far_the_airport_is_and_where_to_meet(
    client: TestClient, session: Session
) -> None:
    case, token, flight = _seated(session, position=(52.52, 13.405))
    flight.meeting_point = "Terminal 1, kapı 4"  # the home language's point (Turkish)
    flight.meeting_texts = {"tr": {"point": "", "instructions": "Saat 06:00"}}
    session.add(flight)
    session.commit()
    page = client.get(f"/r/{case.reference}?t={token}&lang=en")
    # Berlin's centre to BER is about 18 km.
    assert "About 1" in page.text and "km from where you said you are waiting" in page.text
    assert "Terminal 1, kapı 4" in page.text and "Saat 06:00" in page.text
    assert "This text is only available in Turkish." in page.text
    french = client.get(f"/r/{case.reference}?t={token}&lang=fr")
    assert "Ce texte n’existe qu’en turc." in french.text
