"""Queueing messages to registrants.

A message is an outbox row added in the caller's transaction: it is sent if and
only if the change that caused it is committed. The worker sends it later.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from babel.dates import format_datetime
from sqlmodel import Session

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import Conflict
from evac.geo.airports import local_time
from evac.i18n import N_
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.templates import message_language, render_message
from evac.registration.models import Registration

logger = logging.getLogger(__name__)

CONFIRMATION = "confirmation"
LOST_LINK = "lost_link"


def enqueue(
    session: Session,
    *,
    registration: Registration,
    template: str,
    context: dict[str, Any],
    channel: Channel = Channel.email,
) -> OutboxMessage | None:
    """Render ``template`` in the registrant's language and add it to the outbox.

    Returns None, and queues nothing, when the case has no address for ``channel``.
    """
    recipient = registration.email if channel is Channel.email else registration.phone
    if not recipient:
        return None
    language = message_language(registration.language)
    rendered = render_message(template, language, {"reference": registration.reference, **context})
    message = OutboxMessage(
        registration_id=registration.id,
        channel=channel,
        recipient=recipient,
        language=language,
        template=template,
        subject=rendered.subject,
        body=rendered.body,
    )
    session.add(message)
    return message


def enqueue_confirmation(session: Session, registration: Registration, link: str) -> None:
    """The registration confirmation with the private link, if the case has an email."""
    enqueue(session, registration=registration, template=CONFIRMATION, context={"link": link})


def enqueue_lost_link(session: Session, registration: Registration, link: str) -> None:
    enqueue(session, registration=registration, template=LOST_LINK, context={"link": link})


def format_departure(airport: str, departure_utc: datetime, language: str) -> str:
    """The departure on the airport's clock, written the way ``language`` writes dates."""
    try:
        moment = local_time(airport, departure_utc)
    except KeyError:
        moment = departure_utc
    return format_datetime(moment, "EEEE d MMMM y, HH:mm", locale=message_language(language))


def resend(session: Session, message: OutboxMessage, *, actor: str) -> None:
    """Queue a message again at once, with a fresh count of attempts."""
    if message.status is OutboxStatus.pending and message.attempts == 0:
        raise Conflict(N_("This message is already waiting to be sent."))
    before = {"status": message.status, "attempts": message.attempts}
    message.status = OutboxStatus.pending
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.last_error = None
    session.add(message)
    record_event(
        session,
        actor=actor,
        action="outbox.resend",
        subject_type="outbox_message",
        subject_id=str(message.id),
        before=before,
        after={"status": message.status, "attempts": 0},
    )
