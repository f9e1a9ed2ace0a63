"""Passengers hear about their flight: its change, its cancellation, a reminder
the day before, and a seat link to confirm and print boarding passes."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.service import SYSTEM
from evac.flights.models import Assignment, Flight
from evac.flights.service import cancel_flight, update_flight
from evac.notifications.flight_notices import enqueue_seat_notices, queue_due_reminders
from evac.notifications.models import OutboxMessage
from evac.registration.deps import private_path
from evac.registration.lost_link import request_new_link
from evac.registration.models import CaseStatus, Registration
from evac.registration.seat_links import seat_url
from tests.factories import make_case, member
from tests.flights.conftest import SOON, make_flight


def seat_household(
    session: Session, flight: Flight, people: int = 1, language: str = "en"
) -> Registration:
    """A household of ``people`` holding seats on ``flight``, seated well before departure."""
    case = make_case(session, "DE", [member() for _ in range(people)])
    case.language = language
    case.status = CaseStatus.assigned
    seated_at = flight.departure_time - timedelta(days=3)
    for person in case.members:
        session.add(
            Assignment(
                flight_id=flight.id,  # type: ignore[arg-type]
                person_id=person.id,  # type: ignore[arg-type]
                registration_id=case.id,  # type: ignore[arg-type]
                created_at=seated_at,
            )
        )
    session.add(case)
    session.commit()
    return case


def plan_seating(case: Registration, flight: Flight, people: int = 1) -> SimpleNamespace:
    """The part of a planner's preview that seat notices read: who moves where."""
    return SimpleNamespace(
        moves=[SimpleNamespace(registration_id=case.id, after=flight.id)],
        result=SimpleNamespace(
            assignments=[
                SimpleNamespace(registration_id=case.id, person_id=n) for n in range(people)
            ]
        ),
    )


def messages(session: Session, template: str) -> list[OutboxMessage]:
    statement = select(OutboxMessage).where(OutboxMessage.template == template)
    return list(session.exec(statement.order_by(col(OutboxMessage.id))).all())


def test_passengers_are_told_the_new_time_when_their_flight_changes(session: Session) -> None:
    flight = make_flight(session, meeting_point="Hall B")
    case = seat_household(session, flight, people=2)

    update_flight(
        session,
        flight,
        {"departure_time": (SOON + timedelta(hours=3)).isoformat()},
        expected_version=1,
        actor=SYSTEM,
    )

    (email,) = messages(session, "flight_changed")
    (sms,) = messages(session, "flight_changed_sms")
    assert (email.registration_id, email.recipient) == (case.id, case.email)
    assert sms.recipient == case.phone
    # SOON is 09:00 UTC in January: 10:00 in Frankfurt, and now three hours later.
    assert "Departure: Thursday 15 January 2099, 13:00 (local time in FRA)" in email.body
    assert "2 people of your case" in email.body
    assert "Meeting point: (This text is only available in Turkish.) Hall B" in email.body
    assert "13:00" in sms.body


def test_a_change_passengers_need_not_know_about_sends_nothing(session: Session) -> None:
    flight = make_flight(session)
    seat_household(session, flight)

    update_flight(session, flight, {"seats": "200"}, expected_version=1, actor=SYSTEM)

    assert session.exec(select(OutboxMessage)).all() == []


def test_passengers_of_a_cancelled_flight_are_told_not_to_go_to_the_airport(
    session: Session,
) -> None:
    flight = make_flight(session)
    case = seat_household(session, flight, language="tr")
    bystander = make_case(session, "DE")

    cancel_flight(session, flight, expected_version=1, actor=SYSTEM)

    (email,) = messages(session, "flight_cancelled")
    assert email.registration_id == case.id and email.language == "tr"
    assert email.subject == f"TK6001 sefer sayılı uçuş iptal edildi ({case.reference})"
    assert "havalimanına gitmeyin" in email.body
    assert bystander.id not in {m.registration_id for m in messages(session, "flight_cancelled")}


def test_a_reminder_goes_out_the_day_before_and_only_once(session: Session) -> None:
    flight = make_flight(session)
    case = seat_household(session, flight, language="fr")

    assert queue_due_reminders(session, SOON - timedelta(hours=30)) == 0
    assert queue_due_reminders(session, SOON - timedelta(hours=20)) == 2
    assert queue_due_reminders(session, SOON - timedelta(hours=10)) == 0
    session.commit()

    (email,) = messages(session, "reminder")
    assert email.registration_id == case.id
    assert email.subject == f"Demain : le vol TK6001 ({case.reference})"
    assert len(messages(session, "reminder_sms")) == 1


def test_no_reminder_after_departure_or_for_a_cancelled_flight(session: Session) -> None:
    flight = make_flight(session)
    seat_household(session, flight)
    assert queue_due_reminders(session, SOON + timedelta(minutes=1)) == 0

    cancel_flight(session, flight, expected_version=1, actor=SYSTEM)
    assert queue_due_reminders(session, SOON - timedelta(hours=20)) == 0


def test_a_household_seated_within_the_last_day_is_not_reminded(session: Session) -> None:
    flight = make_flight(session)
    case = seat_household(session, flight)
    for seat in session.exec(select(Assignment).where(Assignment.registration_id == case.id)):
        seat.created_at = SOON - timedelta(hours=5)
    session.commit()

    assert queue_due_reminders(session, SOON - timedelta(hours=4)) == 0


def seat_link_of(case: Registration, flight: Flight) -> str:
    url = seat_url(case.reference, case.id, case.access_token_hash, flight.id)  # type: ignore[arg-type]
    return url.removeprefix("http://testserver")


def test_the_seat_notice_carries_a_link_to_confirm_and_print_boarding_passes(
    client: TestClient, session: Session
) -> None:
    flight = make_flight(session, meeting_point="Gate 4")
    case = seat_household(session, flight)
    enqueue_seat_notices(session, plan_seating(case, flight))
    (email,) = messages(session, "seat_assigned")
    link = seat_link_of(case, flight)
    assert "http://testserver" + link in email.body

    page = client.get(link)
    assert page.status_code == 200 and "TK6001" in page.text and "Gate 4" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert client.get(link.replace("/seat?", "/boarding-passes.pdf?")).status_code == 404

    secret = link.split("s=", 1)[1]
    confirmed = client.post(
        f"/r/{case.reference}/seats/confirm", data={"s": secret}, follow_redirects=False
    )
    assert confirmed.status_code == 303 and confirmed.headers["location"].startswith(link)
    session.refresh(case)
    assert case.status == CaseStatus.confirmed
    pdf = client.get(link.replace("/seat?", "/boarding-passes.pdf?"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"


def test_a_seat_link_opens_nothing_once_a_new_private_link_is_used(
    client: TestClient, session: Session
) -> None:
    flight = make_flight(session)
    case = seat_household(session, flight)
    link = seat_link_of(case, flight)
    assert client.get(link).status_code == 200
    sent: list[str] = []

    assert request_new_link(
        session,
        case.reference,
        case.email or "",
        client="192.0.2.1",
        private_link=lambda reference, token: sent.append(private_path(reference, token)) or "x",
    )
    assert client.get(link).status_code == 200  # asking for a new link changes nothing yet

    assert client.get(sent[0]).status_code == 200
    assert client.get(link).status_code == 404


def test_a_seat_link_of_an_earlier_flight_says_it_is_out_of_date(
    client: TestClient, session: Session
) -> None:
    first = make_flight(session)
    second = make_flight(session, flight_number="TK6002")
    case = seat_household(session, second)
    old_link = seat_link_of(case, first)

    page = client.get(old_link)

    assert page.status_code == 200 and "This seat link is out of date" in page.text
    assert "TK6002" not in page.text
    secret = old_link.split("s=", 1)[1]
    pdf = client.get(f"/r/{case.reference}/boarding-passes.pdf", params={"s": secret})
    assert pdf.status_code == 404


def test_a_forged_seat_link_is_the_same_404_as_an_unknown_case(client: TestClient) -> None:
    assert client.get("/r/ABCD-EFGH/seat", params={"s": "forged.token"}).status_code == 404
    assert client.get("/r/ABCD-EFGH/seat").status_code == 404
