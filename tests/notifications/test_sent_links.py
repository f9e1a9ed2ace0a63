"""A message that has been sent keeps no working private link in the database,
and the staff outbox still shows it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.db import utcnow
from evac.notifications.models import LINK_REMOVED, Channel, OutboxMessage, OutboxStatus
from evac.notifications.redaction import DEAD_LINK_KEEP, remove_stale_links
from evac.notifications.service import enqueue
from evac.notifications.worker import run_once
from evac.registration.seat_links import seat_url
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_staff, sign_in
from tests.registration import household

SEAT_CONTEXT = {
    "flight": "TK695",
    "leg": "flight TK695",
    "Leg": "Flight TK695",
    "by_air": True,
    "airport": "CAI",
    "departure": "1 Dec",
    "meeting_point": "",
}


def register_by_api(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/registrations", json=household())
    assert response.status_code == 201, response.text
    return response.json()


def confirmation(session: Session) -> OutboxMessage:
    return session.exec(select(OutboxMessage).where(OutboxMessage.template == "confirmation")).one()


def send_all(same_session: Any) -> list[OutboxMessage]:
    delivered: list[OutboxMessage] = []
    assert run_once(same_session, {Channel.email: delivered.append}).sent >= 1
    return delivered


def test_a_sent_confirmation_keeps_no_working_private_link(
    client: TestClient, session: Session, same_session: Any
) -> None:
    created = register_by_api(client)
    token = created["access_token"]
    private_path = f"/r/{created['reference']}?t={token}"
    assert private_path in confirmation(session).body
    assert client.get(private_path).status_code == 200

    (delivered,) = send_all(same_session)

    assert private_path in delivered.body  # the registrant got the working link
    stored = confirmation(session)
    session.refresh(stored)
    assert stored.status == OutboxStatus.sent
    assert token not in stored.body and token not in stored.subject
    assert LINK_REMOVED in stored.body and created["reference"] in stored.body
    for link in re.findall(r"https?://\S+", stored.body):  # whatever link is left is dead
        parts = urlsplit(link)
        assert client.get(f"{parts.path}?{parts.query}").status_code == 404


def test_a_sent_seat_notice_keeps_no_seat_pass(session: Session, same_session: Any) -> None:
    case = make_case(session)
    link = seat_url(case.reference, case.id, case.access_token_hash, 1)  # type: ignore[arg-type]
    context = {**SEAT_CONTEXT, "people": 1, "seat_link": link}
    message = enqueue(session, registration=case, template="seat_assigned", context=context)
    session.commit()
    assert message is not None

    (delivered,) = send_all(same_session)

    assert link in delivered.body
    session.refresh(message)
    assert link not in message.body and "?s=" not in message.body
    assert LINK_REMOVED in message.body and "TK695" in message.body


def _stored_with_link(session: Session, status: OutboxStatus, age: timedelta) -> OutboxMessage:
    case = make_case(session)
    context = {"link": f"https://evac.example/r/{case.reference}?t=still-working"}
    message = enqueue(session, registration=case, template="confirmation", context=context)
    assert message is not None
    message.status, message.created_at = status, utcnow() - age
    session.commit()
    return message


def test_links_left_in_sent_and_long_dead_messages_are_removed_by_housekeeping(
    session: Session,
) -> None:
    sent_before = _stored_with_link(session, OutboxStatus.sent, timedelta(days=30))
    long_dead = _stored_with_link(session, OutboxStatus.dead, DEAD_LINK_KEEP + timedelta(hours=1))
    recently_dead = _stored_with_link(session, OutboxStatus.dead, timedelta(days=1))
    waiting = _stored_with_link(session, OutboxStatus.pending, timedelta(days=30))

    assert remove_stale_links(session, utcnow()) == 2
    session.commit()

    for message in (sent_before, long_dead, recently_dead, waiting):
        session.refresh(message)
    assert "still-working" not in sent_before.body + long_dead.body
    assert sent_before.link_removed and long_dead.link_removed
    assert "still-working" in recently_dead.body and "still-working" in waiting.body
    assert remove_stale_links(session, utcnow()) == 0


def test_the_outbox_shows_a_sent_message_without_its_link_and_refuses_to_resend_it(
    client: TestClient, session: Session, same_session: Any
) -> None:
    created = register_by_api(client)
    send_all(same_session)
    message = confirmation(session)
    make_staff(session, "coordinator", Role.coordinator)
    sign_in(client, "coordinator")

    page = client.get("/staff/outbox?status=sent")

    assert page.status_code == 200
    assert f'<a href="/staff/cases/{created["reference"]}">' in page.text
    assert "Registration confirmed · Email" in page.text and "Private link removed" in page.text
    assert f"/staff/outbox/{message.id}/resend" not in page.text
    assert created["access_token"] not in page.text
    token = csrf_token(client, "/staff/outbox")
    refused = client.post(f"/staff/outbox/{message.id}/resend", data={"csrf_token": token})
    assert refused.status_code == 409
    session.refresh(message)
    assert message.status == OutboxStatus.sent
