"""A flight's meeting point and instructions are written per language; each passenger
reads their own, or the home language's with a note saying so (issue #16, 7)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import Flight
from evac.notifications.models import OutboxMessage
from evac.staff.models import Role
from tests.factories import csrf_token, make_mission, make_staff, sign_in
from tests.flights.conftest import make_flight
from tests.notifications.test_flight_messages import seat_household
from tests.planning_db.test_registrant_decline import _seated


def _write(client: TestClient, flight: Flight, texts: dict[str, str]) -> object:
    page = f"/staff/flights/{flight.id}/meeting"
    form = {"csrf_token": csrf_token(client, page), "row_version": str(flight.row_version)}
    return client.post(page, data=form | texts)


def test_coordinator_can_write_the_meeting_point_in_each_language(
    client: TestClient, session: Session
) -> None:
    make_staff(session, "center", Role.coordinator)
    flight = make_flight(session)
    french = seat_household(session, flight, language="fr")
    english = seat_household(session, flight, language="en")
    sign_in(client, "center")
    page = client.get(f"/staff/flights/{flight.id}/meeting")
    assert page.status_code == 200 and 'name="point-tr"' in page.text

    saved = _write(
        client,
        flight,
        {
            "point-tr": "Terminal 1, kapı 4",
            "instructions-tr": "Saat 06:00'da orada olun.",
            "point-fr": "Terminal 1, porte 4",
            "instructions-fr": "Soyez là à 6 h.",
        },
    )
    assert saved.status_code == 200 and "The meeting point is saved" in saved.text
    session.expire_all()
    flight = session.get(Flight, flight.id)
    assert flight.meeting_point == "Terminal 1, kapı 4"
    assert flight.meeting_texts["fr"]["point"] == "Terminal 1, porte 4"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "flight.meeting")).one()

    def changed(case_id: int) -> str:
        return session.exec(
            select(OutboxMessage.body).where(
                OutboxMessage.registration_id == case_id,
                OutboxMessage.template == "flight_changed",
            )
        ).one()

    in_french = changed(french.id)
    assert "Terminal 1, porte 4; Soyez là à 6 h." in in_french and "kapı" not in in_french
    in_english = changed(english.id)
    assert "(This text is only available in Turkish.) Terminal 1, kapı 4" in in_english


def test_registrant_reads_the_meeting_point_in_their_language_on_the_seat_page(
    client: TestClient, session: Session
) -> None:
    case, token, flight = _seated(session)
    flight.meeting_point = "Terminal 1, kapı 4"
    flight.meeting_texts = {"fr": {"point": "Terminal 1, porte 4", "instructions": ""}}
    session.add(flight)
    session.commit()
    french = client.get(f"/r/{case.reference}?t={token}&lang=fr")
    assert "Terminal 1, porte 4" in french.text and "kapı" not in french.text
    assert "Ce texte n’existe qu’en" not in french.text
    arabic = client.get(f"/r/{case.reference}?t={token}&lang=ar")
    assert "Terminal 1, kapı 4" in arabic.text
    assert "هذا النص متوفر باللغة التركية فقط." in arabic.text


def test_a_too_long_meeting_point_is_refused_with_what_was_typed(
    client: TestClient, session: Session
) -> None:
    make_staff(session, "center", Role.coordinator)
    flight = make_flight(session)
    sign_in(client, "center")
    refused = _write(client, flight, {"point-fr": "x" * 501, "instructions-tr": "Saat 6"})
    assert refused.status_code == 422
    assert "Use at most 500 characters." in refused.text and "Saat 6" in refused.text
    session.expire_all()
    assert session.get(Flight, flight.id).meeting_texts is None


def test_an_officer_cannot_change_the_meeting_point(client: TestClient, session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    flight = make_flight(session)
    sign_in(client, "berlin")
    assert client.get(f"/staff/flights/{flight.id}/meeting").status_code == 403
