"""Staff see the messages of the cases they may see, and can send one again."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.notifications.models import OutboxMessage, OutboxStatus
from evac.notifications.service import enqueue
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_mission, make_staff, sign_in


def dead_message(session: Session, country: str, city: str) -> OutboxMessage:
    case = make_case(session, country=country, city=city)
    link = {"link": "https://evac.example/r/X?t=secret"}
    message = enqueue(session, registration=case, template="confirmation", context=link)
    assert message is not None
    message.status, message.attempts, message.last_error = OutboxStatus.dead, 8, "SMTPDataError 554"
    session.commit()
    return message


def test_an_officer_sees_only_the_messages_of_their_missions_cases(
    client: TestClient, session: Session
) -> None:
    make_mission(session, "BERLIN", ["DE"])
    make_mission(session, "PARIS", ["FR"])
    in_germany = dead_message(session, "DE", "Berlin")
    in_france = dead_message(session, "FR", "Paris")
    make_staff(session, "officer", Role.officer, ["BERLIN"])
    sign_in(client, "officer")

    page = client.get("/staff/outbox")

    assert page.status_code == 200
    assert f'/staff/outbox/{in_germany.id}/resend"' in page.text
    assert f'/staff/outbox/{in_france.id}/resend"' not in page.text
    assert "SMTPDataError 554" in page.text
    assert "secret" not in page.text
    token = csrf_token(client, "/staff/outbox")
    refused = client.post(f"/staff/outbox/{in_france.id}/resend", data={"csrf_token": token})
    assert refused.status_code == 404


def test_a_coordinator_sends_a_dead_message_again(client: TestClient, session: Session) -> None:
    message = dead_message(session, "FR", "Paris")
    make_staff(session, "coordinator", Role.coordinator)
    sign_in(client, "coordinator")
    path = f"/staff/outbox/{message.id}/resend"

    assert client.post(path, data={"csrf_token": "forged"}).status_code in {400, 403}
    token = csrf_token(client, "/staff/outbox?status=dead")
    done = client.post(path, data={"csrf_token": token}, follow_redirects=False)

    assert done.status_code == 303 and done.headers["location"] == "/staff/outbox"
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == ("pending", 0, None)
    assert "The message will be sent again." in client.get("/staff/outbox").text
