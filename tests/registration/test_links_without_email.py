"""Links reach people without email: the confirmation goes by SMS too, a lost link
can be asked for with the phone number, and an officer can send a new link from
the case page (issue #16, 8)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.notifications.models import Channel, OutboxMessage
from evac.staff.models import Role
from tests.factories import csrf_token, make_mission, make_staff, sign_in
from tests.registration.test_case_page import case_of, events, post, registered

PHONE = "+49 30 1234567"  # what tests.registration.test_form registers with


def messages(session: Session, template: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.template == template)))


def test_registrant_gets_the_reference_and_private_link_by_sms_too(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client)
    (sms,) = messages(session, "confirmation_sms")
    assert sms.channel == Channel.sms and sms.recipient == "+49301234567"
    assert reference in sms.body and f"/r/{reference}?t={token}" in sms.body
    assert len(messages(session, "confirmation")) == 1  # and the email as before


def test_registrant_without_email_gets_the_confirmation_by_sms(
    client: TestClient, session: Session
) -> None:
    reference, _ = registered(client, email="")
    assert messages(session, "confirmation") == []
    (sms,) = messages(session, "confirmation_sms")
    assert reference in sms.body


def test_registrant_can_ask_for_a_lost_link_with_the_phone_number(
    client: TestClient, session: Session
) -> None:
    reference, old_token = registered(client)
    answer = post(client, "/r/lost", {"reference": reference, "email": "030 1234567"})
    assert answer.status_code == 200
    (sms,) = messages(session, "lost_link_sms")
    assert sms.recipient == "+49301234567"
    assert messages(session, "lost_link") == []
    link = re.search(r"http://testserver(/r/\S+)", sms.body)
    assert link
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 200
    assert client.get(link.group(1)).status_code == 200
    assert "registration.link_reissue" in events(session, reference)


def test_a_lost_link_asked_with_a_wrong_phone_sends_nothing_and_says_the_same(
    client: TestClient, session: Session
) -> None:
    reference, _ = registered(client)
    answers = [
        post(client, "/r/lost", {"reference": reference, "email": "+49 30 7654321"}),
        post(client, "/r/lost", {"reference": "ABCD-EFGH", "email": PHONE}),
        post(client, "/r/lost", {"reference": reference, "email": "not a phone"}),
    ]
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.text for answer in answers}) == 1
    assert messages(session, "lost_link_sms") == []


def test_officer_can_send_a_registrant_a_new_link_from_the_case_page(
    client: TestClient, session: Session
) -> None:
    reference, old_token = registered(client)
    make_staff(session, "center", Role.coordinator)
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{reference}")
    assert f'action="/staff/cases/{reference}/send-link"' in page.text

    refused = client.post(f"/staff/cases/{reference}/send-link", data={}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token, nothing sent
    assert messages(session, "lost_link") == []

    token = csrf_token(client, f"/staff/cases/{reference}")
    sent = client.post(f"/staff/cases/{reference}/send-link", data={"csrf_token": token})
    assert sent.status_code == 200
    assert "A new private link is queued by email and by SMS." in sent.text
    (email,) = messages(session, "lost_link")
    (sms,) = messages(session, "lost_link_sms")
    assert email.recipient == "ayse@example.com" and sms.recipient == "+49301234567"
    assert "registration.link_resend" in events(session, reference)
    # The registrant's current link keeps working until the new one is opened.
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 200
    link = re.search(r"https?://[^/\s]+(/r/\S+)", sms.body)
    assert link and client.get(link.group(1)).status_code == 200
    assert case_of(session, reference).pending_token_hash is None


def test_home_page_tells_a_registrant_where_to_get_a_lost_link(client: TestClient) -> None:
    page = client.get("/")
    assert 'href="/r/lost"' in page.text


def test_officer_cannot_send_a_link_for_another_missions_case(
    client: TestClient, session: Session
) -> None:
    reference, _ = registered(client)
    make_mission(session, "PARIS", ["FR"])
    make_staff(session, "paris", Role.officer, ["PARIS"])
    sign_in(client, "paris")
    token = csrf_token(client, "/staff/cases")

    refused = client.post(f"/staff/cases/{reference}/send-link", data={"csrf_token": token})

    assert refused.status_code == 404
    assert messages(session, "lost_link") == [] and messages(session, "lost_link_sms") == []
    assert "registration.link_resend" not in events(session, reference)
