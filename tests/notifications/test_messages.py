"""A registrant is told, in their language, that the case is registered, how to
open it, and when a seat is theirs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.flights.models import FlightKind
from evac.notifications.flight_notices import enqueue_seat_notices
from evac.notifications.models import Channel, OutboxMessage
from evac.notifications.smtp import SmtpSender, parse_smtp_url
from evac.notifications.worker import run_once
from evac.registration.models import Registration
from tests.factories import leg_row, make_case, registration_payload
from tests.notifications.conftest import Mailbox

GREETINGS = {
    "en": ("Your evacuation registration", "We have received your evacuation registration"),
    "tr": ("Tahliye başvurunuz alındı:", "Tahliye başvurunuzu aldık"),
    "fr": ("Votre inscription pour l’évacuation", "Nous avons bien reçu votre inscription"),
    "ar": ("تسجيلك للإجلاء", "تلقّينا تسجيلك للإجلاء"),
}


def register(client: TestClient, language: str, email: str | None = "a@example.org") -> dict:
    payload = registration_payload()
    payload["contact"] = {**payload["contact"], "language": language, "email": email}  # type: ignore[dict-item]
    response = client.post("/api/v1/registrations", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("language", ["tr", "en", "fr", "ar"])
def test_a_registrant_receives_the_private_link_by_email_in_their_language(
    client: TestClient, session: Session, same_session, mailbox: tuple[Mailbox, str], language: str
) -> None:
    box, url = mailbox
    created = register(client, language)

    outcome = run_once(same_session, {Channel.email: SmtpSender(url, "evac@example.gov")})

    assert outcome.sent == 1
    (email,) = box.emails
    subject, opening = GREETINGS[language]
    assert email["To"] == "a@example.org" and email["From"] == "evac@example.gov"
    assert email["Subject"] == f"{subject} {created['reference']}"
    body = email.get_content()
    assert opening in body
    link = re.search(r"http://testserver/r/\S+", body)
    assert link and created["access_token"] in link.group(0)
    assert client.get(link.group(0)).status_code == 200
    email_row = select(OutboxMessage).where(OutboxMessage.channel == "email")
    assert session.exec(email_row).one().status == "sent"


def test_a_registration_without_email_queues_no_email(client: TestClient, session: Session) -> None:
    register(client, "en", email=None)
    assert session.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).all() == []


def test_a_seat_notice_gives_the_flight_the_local_time_and_the_meeting_point(
    session: Session,
) -> None:
    case = make_case(session, country="EG", city="Cairo", position=(30.04, 31.24))
    case.language = "fr"
    flight = leg_row(
        session,
        flight_number="TK695",
        kind=FlightKind.regular,
        departure_airport="CAI",
        destination_airport="IST",
        country="EG",
        departure_time=datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
        departure_date=date(2026, 12, 1),
        seats=180,
        meeting_point="Terminal 2, porte 5",
    )
    session.add_all([case, flight])
    session.flush()
    preview = SimpleNamespace(
        moves=[SimpleNamespace(registration_id=case.id, before=None, after=flight.id)],
        result=SimpleNamespace(assignments=[SimpleNamespace(registration_id=case.id, person_id=1)]),
    )

    assert enqueue_seat_notices(session, preview) == 2

    email, sms = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert (email.channel, email.recipient, sms.channel) == ("email", "a@example.org", "sms")
    assert sms.recipient == case.phone
    assert email.subject == f"Une place vous est attribuée : le vol TK695 ({case.reference})"
    # 08:30 UTC is 10:30 in Cairo in December (UTC+2).
    assert "Départ : mardi 1 décembre 2026, 10:30 (heure locale à CAI)" in email.body
    # Written in the home language only (Turkish): the French reader is told so.
    assert (
        "Point de rendez-vous : (Ce texte n’existe qu’en turc.) Terminal 2, porte 5" in email.body
    )
    assert "1 personne de votre dossier" in email.body
    assert "10:30" in sms.body and len(sms.subject + sms.body) < 320


def test_smtp_urls_are_read_with_credentials_and_starttls() -> None:
    config = parse_smtp_url("smtp://mail%40ministry:p%2Fss@smtp.example.org?starttls=1")
    assert (config.host, config.port, config.starttls, config.use_tls) == (
        "smtp.example.org",
        587,
        True,
        False,
    )
    assert (config.username, config.password) == ("mail@ministry", "p/ss")
    assert parse_smtp_url("smtps://smtp.example.org").port == 465


def test_the_lost_link_email_is_rendered_from_the_registrants_language(
    client: TestClient, session: Session
) -> None:
    created = register(client, "tr", email="ayse@example.com")
    response = client.post(
        "/r/lost",
        data={"reference": created["reference"], "email": "ayse@example.com"},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 200
    message = session.exec(select(OutboxMessage).where(OutboxMessage.template == "lost_link")).one()
    assert message.subject.startswith(f"{created['reference']} numaralı başvurunuz")
    assert session.get(Registration, message.registration_id) is not None
