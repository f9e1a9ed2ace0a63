"""The sender: claims due outbox rows, sends them, and records the outcome.

A claim is a short transaction that pushes the rows' ``next_attempt_at`` one
lease into the future, so that no other worker picks them up while they are
being sent. On PostgreSQL the claim skips rows another worker holds
(``FOR UPDATE SKIP LOCKED``), so any number of workers can run; on SQLite run
one. Logs carry message ids and templates only: never bodies or addresses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import sqlalchemy as sa
import typer
from sqlmodel import Session, col, select

from evac.db import get_engine, utcnow
from evac.notifications.flight_notices import queue_due_reminders
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.redaction import remove_links
from evac.notifications.sms import WebhookSmsSender
from evac.notifications.smtp import SmtpSender
from evac.retention.housekeeping import HOUSEKEEPING_SECONDS, HousekeepingResult, housekeeping
from evac.settings import get_settings

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
REMINDER_SCAN_SECONDS = 60
BASE_DELAY_SECONDS = 30
MAX_DELAY = timedelta(hours=6)
MAX_ATTEMPTS = 8

Send = Callable[[OutboxMessage], None]
SessionFactory = Callable[[], AbstractContextManager[Session]]


class NotConfigured(RuntimeError):
    """No sender is configured for this channel."""


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    ids: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, … up to 6 h."""
    return min(timedelta(seconds=BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def safe_error(error: Exception) -> str:
    """What went wrong, without the server's text (it may quote an address)."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def claim(
    session: Session, *, batch: int, now: datetime, channels: list[Channel]
) -> list[OutboxMessage]:
    """Take up to ``batch`` due messages for one lease, and commit the claim."""
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.pending,
            col(OutboxMessage.next_attempt_at) <= now,
            col(OutboxMessage.channel).in_(channels),
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    messages = list(session.exec(statement).all())
    for message in messages:
        message.next_attempt_at = now + LEASE
        session.add(message)
    # Plain copies to send from, outside any session once the claim is committed.
    columns = [attribute.key for attribute in sa.inspect(OutboxMessage).column_attrs]
    copies = [OutboxMessage(**{c: getattr(m, c) for c in columns}) for m in messages]
    session.commit()
    return copies


def record_outcome(
    session: Session, message_id: int, error: Exception | None, *, max_attempts: int
) -> OutboxStatus:
    message = session.get(OutboxMessage, message_id)
    if message is None:  # deleted with its case meanwhile
        return OutboxStatus.dead
    if error is None:
        message.status, message.last_error = OutboxStatus.sent, None
        remove_links(message)
    else:
        message.attempts += 1
        message.last_error = safe_error(error)
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        if message.attempts >= max_attempts:
            message.status = OutboxStatus.dead
    session.add(message)
    session.commit()
    return message.status


def run_once(
    sessions: SessionFactory,
    senders: dict[Channel, Send],
    *,
    batch: int = 50,
    max_attempts: int = MAX_ATTEMPTS,
    now: datetime | None = None,
) -> Outcome:
    """Claim one batch of the channels that have a sender, send it, record each result."""
    with sessions() as session:
        claimed = claim(session, batch=batch, now=now or utcnow(), channels=list(senders))
    outcome = Outcome()
    for message in claimed:
        error = _send(message, senders)
        with sessions() as session:
            status = record_outcome(session, message.id, error, max_attempts=max_attempts)  # type: ignore[arg-type]
        outcome.ids.append(message.id)  # type: ignore[arg-type]
        if status is OutboxStatus.sent:
            outcome.sent += 1
        elif status is OutboxStatus.dead:
            outcome.dead += 1
        else:
            outcome.failed += 1
    return outcome


def _send(message: OutboxMessage, senders: dict[Channel, Send]) -> Exception | None:
    send = senders.get(Channel(message.channel))
    try:
        if send is None:
            raise NotConfigured(f"no sender for {message.channel}")
        send(message)
    except Exception as error:  # any failure is retried, then given up on
        logger.warning(
            "outbox message %s (%s) not sent: %s", message.id, message.template, safe_error(error)
        )
        return error
    logger.info("outbox message %s (%s) sent", message.id, message.template)
    return None


def configured_senders() -> dict[Channel, Send]:
    settings = get_settings()
    senders: dict[Channel, Send] = {}
    if settings.smtp_url:
        senders[Channel.email] = SmtpSender(settings.smtp_url, settings.smtp_from)
    if settings.sms_webhook_url:
        senders[Channel.sms] = WebhookSmsSender(settings.sms_webhook_url)
    return senders


def queue_reminders(sessions: SessionFactory, now: datetime | None = None) -> int:
    """Queue the day-before reminders that are due, in one transaction."""
    with sessions() as session:
        queued = queue_due_reminders(session, now or utcnow())
        session.commit()
    return queued


def run_housekeeping(sessions: SessionFactory) -> HousekeepingResult | None:
    """Clear expired rows (``retention.housekeeping``); a database error waits for the next turn."""
    try:
        with sessions() as session:
            return housekeeping(session, utcnow(), get_settings())
    except sa.exc.SQLAlchemyError as error:
        logger.warning("housekeeping failed, tried again later: %s", type(error).__name__)
        return None


@dataclass
class Schedule:
    """When each periodic job is next due, in ``time.monotonic()`` seconds."""

    reminders_at: float = 0.0
    housekeeping_at: float = 0.0


def step(
    sessions: SessionFactory,
    senders: dict[Channel, Send],
    schedule: Schedule,
    *,
    batch: int,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """One turn of the worker's loop: the periodic jobs that are due, then one batch."""
    if clock() >= schedule.reminders_at:
        if reminders := queue_reminders(sessions):
            typer.echo(f"queued {reminders} flight reminders")
        schedule.reminders_at = clock() + REMINDER_SCAN_SECONDS
    if clock() >= schedule.housekeeping_at:
        run_housekeeping(sessions)
        schedule.housekeeping_at = clock() + HOUSEKEEPING_SECONDS
    return run_once(sessions, senders, batch=batch)


def run_worker(*, once: bool, batch: int, interval: float) -> None:
    """``evac worker``: send what is due, every ``interval`` seconds (or once)."""
    engine, senders = get_engine(), configured_senders()
    if not senders:
        typer.echo("evac worker: neither EVAC_SMTP_URL nor EVAC_SMS_WEBHOOK_URL is set", err=True)

    def sessions() -> Session:
        return Session(engine, expire_on_commit=False)

    schedule = Schedule()
    while True:
        outcome = step(sessions, senders, schedule, batch=batch)
        if outcome.handled:
            typer.echo(f"sent {outcome.sent}, failed {outcome.failed}, given up {outcome.dead}")
        if once and outcome.handled < batch:
            return
        if not once and outcome.handled < batch:
            time.sleep(interval)
