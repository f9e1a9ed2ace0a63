"""The worker sends each committed message once, retries failures with a growing
wait, and gives up after a fixed number of attempts."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evac import migrations
from evac.db import create_db_engine, utcnow
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.service import enqueue, enqueue_confirmation
from evac.notifications.sms import WebhookSmsSender
from evac.notifications.smtp import SmtpSender
from evac.notifications.worker import MAX_ATTEMPTS, retry_delay, run_once
from tests.factories import make_case
from tests.notifications.conftest import Gateway, Mailbox


def queue_seat_sms(session: Session) -> OutboxMessage:
    case = make_case(session, country="EG", city="Cairo")
    context = {
        "flight": "TK695",
        "leg": "flight TK695",
        "Leg": "Flight TK695",
        "by_air": True,
        "airport": "CAI",
        "departure": "1 Dec 2026, 10:30",
        "meeting_point": "",
        "people": 1,
    }
    message = enqueue(
        session,
        registration=case,
        template="seat_assigned_sms",
        context=context,
        channel=Channel.sms,
    )
    session.commit()
    assert message is not None
    return message


def test_an_sms_is_posted_as_json_to_the_gateway(
    session: Session, same_session, sms_gateway: tuple[Gateway, str]
) -> None:
    gateway, url = sms_gateway
    message = queue_seat_sms(session)

    outcome = run_once(same_session, {Channel.sms: WebhookSmsSender(url)})

    assert outcome.sent == 1
    (posted,) = gateway.received
    assert (posted["to"], posted["reference"]) == (message.recipient, f"outbox-{message.id}")
    assert posted["text"] == f"{message.subject}\n{message.body.strip()}"
    assert message.subject.startswith("Evacuation ")
    assert "TK695" in posted["text"]
    assert session.get(OutboxMessage, message.id).status == OutboxStatus.sent  # type: ignore[union-attr]


def test_a_message_without_a_configured_channel_waits(session: Session, same_session) -> None:
    message = queue_seat_sms(session)
    assert run_once(same_session, {}).handled == 0
    assert session.get(OutboxMessage, message.id).status == OutboxStatus.pending  # type: ignore[union-attr]


def test_a_refused_email_is_retried_later_and_given_up_after_the_last_attempt(
    session: Session,
    same_session,
    mailbox: tuple[Mailbox, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    box, url = mailbox
    box.reply = "554 Transaction failed"
    case = make_case(session)
    enqueue_confirmation(session, case, "https://evac.example/r/X?t=secret")
    session.commit()
    senders = {Channel.email: SmtpSender(url, "evac@example.gov")}
    message_id = session.exec(
        select(OutboxMessage.id).where(OutboxMessage.channel == "email")
    ).one()
    due = utcnow()

    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = utcnow()
        assert run_once(same_session, senders, now=due).handled == 1
        # Not due again until the backoff has passed.
        assert run_once(same_session, senders).handled == 0
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        due = message.next_attempt_at
        assert message.attempts == attempt
        assert message.last_error == "SMTPDataError 554"
        waits.append(message.next_attempt_at - before)

    assert message.status == OutboxStatus.dead
    assert waits[0] >= retry_delay(1) - timedelta(seconds=1)
    assert all(later > earlier for earlier, later in itertools.pairwise(waits))
    assert box.emails == []
    assert "SMTPDataError" in caplog.text
    assert "@" not in caplog.text and "secret" not in caplog.text
    assert run_once(same_session, senders, now=utcnow() + timedelta(days=2)).handled == 0


def test_the_wait_doubles_and_is_capped() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(30) == timedelta(hours=6)


@pytest.fixture
def committed(fresh_database: str) -> Engine:
    """A migrated database whose commits are real, for several sessions at once."""
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    return engine


def test_a_message_of_a_rolled_back_change_is_never_sent(committed: Engine) -> None:
    with Session(committed) as session:
        case = make_case(session)
        enqueue_confirmation(session, case, "https://evac.example/r/X?t=1")
        session.rollback()
    sent: list[int] = []

    outcome = run_once(lambda: Session(committed), {Channel.email: lambda m: sent.append(m.id)})

    assert (outcome.handled, sent) == (0, [])
    with Session(committed) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_two_workers_never_send_one_message_twice(committed: Engine) -> None:
    """PostgreSQL: claims with SKIP LOCKED. SQLite: claims serialized by BEGIN IMMEDIATE."""
    with Session(committed) as session:
        for _ in range(40):
            case = make_case(session)
            enqueue_confirmation(session, case, "https://evac.example/r/X?t=1")
            session.commit()
    sent: Counter[int] = Counter()
    lock = threading.Lock()

    def slow_send(message: OutboxMessage) -> None:
        time.sleep(0.005)  # let the other worker claim meanwhile
        with lock:
            sent[message.id] += 1  # type: ignore[index]

    def work() -> None:
        while run_once(lambda: Session(committed), {Channel.email: slow_send}, batch=3).handled:
            pass

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert len(sent) == 40 and set(sent.values()) == {1}
    with Session(committed) as session:
        emails = select(OutboxMessage.status).where(OutboxMessage.channel == "email")
        statuses = session.exec(emails).all()
    assert set(statuses) == {"sent"}  # the confirmations' SMS wait for an SMS worker
    committed.dispose()
