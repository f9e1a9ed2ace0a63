"""Queueing messages to registrants.

A message is an outbox row added in the caller's transaction: it is sent if and
only if the change that caused it is committed. The worker sends it later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from babel.dates import format_datetime
from sqlmodel import Session

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import Conflict
from evac.flights.models import Flight
from evac.flights.times import departure_times
from evac.i18n import N_
from evac.notifications.bulk import message_rows, queue_for
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.templates import message_language
from evac.registration.models import Registration

logger = logging.getLogger(__name__)

CONFIRMATION = "confirmation"
CONFIRMATION_SMS = "confirmation_sms"
LOST_LINK = "lost_link"
LOST_LINK_SMS = "lost_link_sms"
DOCUMENT_REUSED = "document_reused"
DOCUMENT_REUSED_TEMPLATES = (
    (DOCUMENT_REUSED, Channel.email),
    ("document_reused_sms", Channel.sms),
)


class Addressee(Protocol):
    """What a message needs of its case: a stored registration, or one being stored."""

    id: int | None
    reference: str
    email: str | None
    phone: str | None
    language: str


def message_values(
    registration: Addressee,
    *,
    template: str,
    context: dict[str, Any],
    channel: Channel = Channel.email,
) -> dict[str, Any] | None:
    """The outbox row for ``template`` rendered in the registrant's language, or None
    when the case has no address for ``channel``."""
    rows = message_rows(registration, [(template, channel)], context, now=utcnow())
    return rows[0] if rows else None


def enqueue(
    session: Session,
    *,
    registration: Addressee,
    template: str,
    context: dict[str, Any],
    channel: Channel = Channel.email,
) -> OutboxMessage | None:
    """Render ``template`` in the registrant's language and add it to the outbox.

    Returns None, and queues nothing, when the case has no address for ``channel``.
    """
    values = message_values(registration, template=template, context=context, channel=channel)
    if values is None:
        return None
    message = OutboxMessage(**values)
    session.add(message)
    return message


def enqueue_confirmation(session: Session, registration: Addressee, link: str) -> None:
    """The registration confirmation with the reference and the private link, by email
    and by SMS, to whichever addresses the case has.

    A plain INSERT on the session's connection: it is on the path of every
    registration, where the ORM's unit of work would cost more than the rest.
    """
    templates = [(CONFIRMATION, Channel.email), (CONFIRMATION_SMS, Channel.sms)]
    rows = message_rows(registration, templates, {"link": link}, now=utcnow())
    if rows:
        session.connection().execute(OutboxMessage.__table__.insert(), rows)  # type: ignore[attr-defined]


def enqueue_lost_link(session: Session, registration: Registration, link: str) -> None:
    enqueue(session, registration=registration, template=LOST_LINK, context={"link": link})


def enqueue_document_reused(session: Session, registration_ids: Iterable[int], *, day: date) -> int:
    """Tell each case that a new registration gave one of its travel documents.

    At most once a day per case and channel, so that registering someone's
    passport again and again cannot flood their phone. Returns how many
    messages were built.
    """
    return queue_for(
        session,
        registration_ids,
        DOCUMENT_REUSED_TEMPLATES,
        lambda row, language: {},
        dedupe_prefix=f"{DOCUMENT_REUSED}:{day.isoformat()}",
    )


def format_departure(leg: Flight, language: str) -> str:
    """The leg's departure on the clocks of the place it leaves, written the way
    ``language`` writes dates."""
    moment = departure_times(leg).local
    return format_datetime(moment, "EEEE d MMMM y, HH:mm", locale=message_language(language))


def resend(session: Session, message: OutboxMessage, *, actor: str) -> None:
    """Queue a message again at once, with a fresh count of attempts, and commit.

    A message whose private link was removed (``notifications.redaction``) is
    refused: sent again it would carry no link. The registrant can ask for a new one at ``/r/lost``.
    """
    if message.status is OutboxStatus.pending and message.attempts == 0:
        raise Conflict(N_("This message is already waiting to be sent."))
    if message.link_removed:
        raise Conflict(
            N_(
                "evac no longer keeps this message's private link, so it cannot be sent "
                "again. The registrant can ask for a new link on the lost-link page (/r/lost)."
            )
        )
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
    session.commit()
