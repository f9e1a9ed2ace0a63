"""A coordinator writes to everyone waiting in a country or holding a seat on a
flight: a preview with the count first, then the messages in each registrant's
language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.notifications.models import Broadcast, OutboxMessage
from evac.registration.models import CaseStatus, Registration
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_mission, make_staff, sign_in
from tests.flights.conftest import make_flight
from tests.notifications.test_flight_messages import seat_household


@pytest.fixture(autouse=True)
def staff(session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "root", Role.admin)


def case_in(
    session: Session, country: str, language: str = "en", **changes: object
) -> Registration:
    case = make_case(session, country, city="Paris" if country == "FR" else "Berlin")
    case.language = language
    for name, value in changes.items():
        setattr(case, name, value)
    session.add(case)
    session.commit()
    return case


def draft(client: TestClient, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_token(client, "/staff/broadcasts"),
        "audience": "country",
        "country": "DE",
        "channel_email": "1",
        "subject_en": "Airport road closed",
        "body_en": "Use the northern road to the airport.",
        "subject_ar": "طريق المطار مغلق",
        "body_ar": "استخدم الطريق الشمالي إلى المطار.",
        **fields,
    }


def preview(client: TestClient, form: dict[str, str]) -> tuple[str, str]:
    page = client.post("/staff/broadcasts/preview", data=form)
    assert page.status_code == 200, page.text
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page.text)
    assert fingerprint
    return page.text, fingerprint.group(1)


def outbox(session: Session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def test_a_coordinator_sees_the_count_and_the_texts_before_anything_is_sent(
    client: TestClient, session: Session
) -> None:
    english = case_in(session, "DE")
    arabic = case_in(session, "DE", "ar")
    french = case_in(session, "DE", "fr")
    case_in(session, "DE", status=CaseStatus.arrived)
    case_in(session, "FR")
    sign_in(client, "center")

    text, fingerprint = preview(client, draft(client))

    assert "3 households" in text and "3 emails" in text
    assert "طريق المطار مغلق" in text and "ABCD-EFGH" in text
    assert outbox(session) == []

    form = draft(client) | {"fingerprint": fingerprint}
    sent = client.post("/staff/broadcasts", data=form, follow_redirects=False)

    assert sent.status_code == 303
    messages = {m.registration_id: m for m in outbox(session)}
    assert set(messages) == {english.id, arabic.id, french.id}
    assert messages[arabic.id].subject == "طريق المطار مغلق"
    assert "ملفك: " + arabic.reference in messages[arabic.id].body
    # No French text was written: French speakers get the English one, signed in French.
    assert messages[french.id].subject == "Airport road closed"
    assert "Votre dossier : " + french.reference in messages[french.id].body
    broadcast = session.exec(select(Broadcast)).one()
    assert (broadcast.households, broadcast.messages, broadcast.country) == (3, 3, "DE")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "broadcast.send")).one()
    assert event.actor.endswith("center") and event.after["households"] == 3  # type: ignore[index]
    assert "queued for 3 households" in client.get("/staff/broadcasts").text


def test_a_flight_broadcast_reaches_its_passengers_by_email_and_sms(
    client: TestClient, session: Session
) -> None:
    flight = make_flight(session)
    passenger = seat_household(session, flight, people=2)
    case_in(session, "DE")
    sign_in(client, "center")
    form = draft(client, audience="flight", flight_id=str(flight.id), channel_sms="1")

    text, fingerprint = preview(client, form)
    assert "1 household" in text and "1 email" in text and "1 SMS" in text
    client.post("/staff/broadcasts", data=form | {"fingerprint": fingerprint})

    email, sms = outbox(session)
    assert {email.registration_id, sms.registration_id} == {passenger.id}
    assert (email.channel, sms.channel, sms.recipient) == ("email", "sms", passenger.phone)
    assert "Airport road closed: Use the northern road" in sms.body


def test_a_draft_changed_after_its_preview_is_shown_again_not_sent(
    client: TestClient, session: Session
) -> None:
    case_in(session, "DE")
    sign_in(client, "center")
    _, fingerprint = preview(client, draft(client))

    changed = draft(client, body_en="Stay home.") | {"fingerprint": fingerprint}
    page = client.post("/staff/broadcasts", data=changed)

    assert page.status_code == 409
    assert "changed since the preview" in page.text and "Stay home." in page.text
    assert outbox(session) == []


def test_an_officer_broadcasts_only_to_their_missions_countries(
    client: TestClient, session: Session
) -> None:
    case_in(session, "DE")
    case_in(session, "FR")
    sign_in(client, "berlin")

    refused = client.post("/staff/broadcasts/preview", data=draft(client, country="FR"))
    assert refused.status_code == 422 and "You do not work on this country." in refused.text

    text, _ = preview(client, draft(client))
    assert "1 household" in text


def test_a_broadcast_needs_an_audience_a_channel_and_english_and_keeps_what_was_typed(
    client: TestClient,
) -> None:
    sign_in(client, "center")
    form = draft(client, country="", channel_email="", subject_en="", body_en="")
    form["body_fr"] = "Restez chez vous."

    page = client.post("/staff/broadcasts/preview", data=form)

    assert page.status_code == 422
    for reason in (
        "Choose a country.",
        "Choose email, SMS or both.",
        "Write the message in English at least.",
        "Write both the subject and the message, or neither.",
    ):
        assert reason in page.text
    assert "Restez chez vous." in page.text and "طريق المطار مغلق" in page.text


def test_an_sms_broadcast_must_fit_in_an_sms(client: TestClient) -> None:
    sign_in(client, "center")
    page = client.post(
        "/staff/broadcasts/preview", data=draft(client, channel_sms="1", body_en="x" * 500)
    )
    assert page.status_code == 422 and "Too long for an SMS" in page.text


def test_a_broadcast_without_its_csrf_token_is_refused(
    client: TestClient, session: Session
) -> None:
    case_in(session, "DE")
    sign_in(client, "center")
    form = draft(client)
    del form["csrf_token"]
    assert client.post("/staff/broadcasts/preview", data=form).status_code == 403
    assert client.post("/staff/broadcasts", data=form).status_code == 403
    assert outbox(session) == []


def test_administrators_do_not_broadcast(client: TestClient) -> None:
    sign_in(client, "root")
    assert client.get("/staff/broadcasts").status_code == 403
