"""Every message a registrant can receive arrives, in each of the four
languages, through a real SMTP server and a real SMS gateway, with the right
content."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.flights.service import cancel_flight, update_flight
from evac.notifications.flight_notices import enqueue_seat_notices, queue_due_reminders
from evac.notifications.models import Channel
from evac.notifications.service import enqueue_confirmation, enqueue_lost_link
from evac.notifications.sms import WebhookSmsSender
from evac.notifications.smtp import SmtpSender
from evac.notifications.worker import run_once
from evac.staff.models import Role
from tests.factories import csrf_token, make_staff, sign_in
from tests.flights.conftest import SOON, make_flight
from tests.notifications.conftest import Gateway, Mailbox
from tests.notifications.test_broadcasts import preview
from tests.notifications.test_flight_messages import plan_seating, seat_household

# What each email's subject starts with, per language ({flight} and {reference} filled in).
SUBJECTS = {
    "en": {
        "confirmation": "Your evacuation registration {reference}",
        "lost_link": "Your new private link for case {reference}",
        "seat_assigned": "A seat is assigned to you: flight {flight} ({reference})",
        "flight_changed": "Flight {flight} has changed ({reference})",
        "reminder": "Tomorrow: flight {flight} ({reference})",
        "broadcast": "Road closed",
        "flight_cancelled": "Flight {flight} is cancelled ({reference})",
    },
    "tr": {
        "confirmation": "Tahliye başvurunuz alındı: {reference}",
        "lost_link": "{reference} numaralı başvurunuz için yeni özel bağlantınız",
        "seat_assigned": "Size koltuk ayrıldı: {flight} sefer sayılı uçuş ({reference})",
        "flight_changed": "{flight} sefer sayılı uçuş bilgileri değişti ({reference})",
        "reminder": "Yarın: {flight} sefer sayılı uçuş ({reference})",
        "broadcast": "Yol kapalı",
        "flight_cancelled": "{flight} sefer sayılı uçuş iptal edildi ({reference})",
    },
    "fr": {
        "confirmation": "Votre inscription pour l’évacuation {reference}",
        "lost_link": "Votre nouveau lien privé pour le dossier {reference}",
        "seat_assigned": "Une place vous est attribuée : le vol {flight} ({reference})",
        "flight_changed": "Le vol {flight} a changé ({reference})",
        "reminder": "Demain : le vol {flight} ({reference})",
        "broadcast": "Route fermée",
        "flight_cancelled": "Le vol {flight} est annulé ({reference})",
    },
    "ar": {
        "confirmation": "تسجيلك للإجلاء {reference}",
        "lost_link": "رابطك الخاص الجديد للملف {reference}",
        "seat_assigned": "خُصّص لك مقعد: الرحلة {flight} ({reference})",
        "flight_changed": "تغيير في الرحلة {flight} ({reference})",
        "reminder": "غدًا: الرحلة {flight} ({reference})",
        "broadcast": "الطريق مغلق",
        "flight_cancelled": "إلغاء الرحلة {flight} ({reference})",
    },
}
JANUARY = {"en": "January", "tr": "Ocak", "fr": "janvier", "ar": "يناير"}
BROADCAST_BODIES = {
    "en": "Take the northern road.",
    "tr": "Kuzey yolunu kullanın.",
    "fr": "Prenez la route du nord.",
    "ar": "استخدم الطريق الشمالي.",
}
SMS_TEMPLATES = [
    "confirmation_sms",
    "seat_assigned_sms",
    "flight_changed_sms",
    "reminder_sms",
    "broadcast_sms",
    "flight_cancelled_sms",
]


def broadcast_to_flight(client: TestClient, flight_id: int) -> None:
    sign_in(client, "center")
    form = {
        "csrf_token": csrf_token(client, "/staff/broadcasts"),
        "audience": "flight",
        "flight_id": str(flight_id),
        "channel_email": "1",
        "channel_sms": "1",
    }
    for language, subject in (("en", "Road closed"), ("tr", "Yol kapalı"), ("fr", "Route fermée")):
        form |= {f"subject_{language}": subject, f"body_{language}": BROADCAST_BODIES[language]}
    form |= {"subject_ar": "الطريق مغلق", "body_ar": BROADCAST_BODIES["ar"]}
    _, fingerprint = preview(client, form)
    sent = client.post("/staff/broadcasts", data=form | {"fingerprint": fingerprint})
    assert sent.status_code == 200 and "queued for 1 household" in sent.text


@pytest.mark.parametrize("language", ["tr", "en", "fr", "ar"])
def test_every_message_reaches_the_registrant_in_their_language(
    client: TestClient,
    session: Session,
    same_session,
    mailbox: tuple[Mailbox, str],
    sms_gateway: tuple[Gateway, str],
    language: str,
) -> None:
    make_staff(session, "center", Role.coordinator)
    flight = make_flight(session, meeting_point="Terminal 1")
    case = seat_household(session, flight, people=2, language=language)
    enqueue_confirmation(session, case, "http://evac.example/r/link-one")
    enqueue_lost_link(session, case, "http://evac.example/r/link-two")
    enqueue_seat_notices(session, plan_seating(case, flight, people=2))
    update_flight(
        session, flight, {"meeting_point": "Terminal 2"}, expected_version=1, actor=SYSTEM
    )
    assert queue_due_reminders(session, SOON - timedelta(hours=12)) == 2
    session.commit()
    broadcast_to_flight(client, flight.id)  # type: ignore[arg-type]
    cancel_flight(session, flight, expected_version=2, actor=SYSTEM)
    box, smtp_url = mailbox
    gateway, sms_url = sms_gateway
    senders = {
        Channel.email: SmtpSender(smtp_url, "evac@mfa.example"),
        Channel.sms: WebhookSmsSender(sms_url),
    }

    outcome = run_once(same_session, senders, batch=100)

    assert (outcome.sent, outcome.failed, outcome.dead) == (13, 0, 0)
    expected = {
        template: subject.format(reference=case.reference, flight="TK6001")
        for template, subject in SUBJECTS[language].items()
    }
    by_subject: dict[str, EmailMessage] = {email["Subject"]: email for email in box.emails}
    assert sorted(by_subject) == sorted(expected.values())
    assert all(email["To"] == case.email for email in box.emails)
    bodies = {template: by_subject[subject].get_content() for template, subject in expected.items()}
    assert "http://evac.example/r/link-one" in bodies["confirmation"]
    assert "http://evac.example/r/link-two" in bodies["lost_link"]
    assert f"/r/{case.reference}/seat?s=" in bodies["seat_assigned"]
    assert JANUARY[language] in bodies["seat_assigned"] and "Terminal 1" in bodies["seat_assigned"]
    assert "Terminal 2" in bodies["flight_changed"] and "Terminal 2" in bodies["reminder"]
    assert BROADCAST_BODIES[language] in bodies["broadcast"]
    assert all(case.reference in body for body in bodies.values())

    texts = [sms["text"] for sms in gateway.received]
    assert len(texts) == len(SMS_TEMPLATES)
    assert all(
        sms["to"] == case.phone and case.reference in sms["text"] for sms in gateway.received
    )
    assert sum("TK6001" in text for text in texts) == 4  # all but the broadcast
    assert any(BROADCAST_BODIES[language] in text for text in texts)
