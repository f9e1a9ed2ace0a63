"""Queueing messages to registrants.

A message is an outbox row added in the caller's transaction: it is sent if and
only if the change that caused it is committed. The worker sends it later.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from babel.dates import format_datetime
from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import Conflict
from evac.flights.models import Flight
from evac.geo.airports import local_time
from evac.i18n import N_
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.templates import message_language, render_message
from evac.registration.models import Registration

logger = logging.getLogger(__name__)

CONFIRMATION = "confirmation"
LOST_LINK = "lost_link"
SEAT_ASSIGNED = "seat_assigned"
SEAT_ASSIGNED_SMS = "seat_assigned_sms"


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


SEAT_TEMPLATES = ((SEAT_ASSIGNED, Channel.email), (SEAT_ASSIGNED_SMS, Channel.sms))
CHUNK = 5000


def enqueue_seat_notices(session: Session, preview: Any) -> int:
    """Tell every household whose flight changed to a new one where and when to go.

    ``preview`` is the planner's ``PlanPreview`` being committed: households whose
    ``move`` ends on a flight get an email (if they gave one) and an SMS (if they
    gave a phone). Rows are inserted in bulk, since a plan can move tens of
    thousands of households at once. Returns the number of messages queued.
    """
    seated = {m.registration_id: m.after for m in preview.moves if m.after is not None}
    if not seated:
        return 0
    people = Counter(a.registration_id for a in preview.result.assignments)
    flights = {
        f.id: f
        for f in session.exec(select(Flight).where(Flight.id.in_(set(seated.values()))))  # type: ignore[union-attr]
    }
    departures: dict[tuple[int, str], str] = {}
    ids = sorted(seated)
    queued = 0
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            sa.select(
                Registration.id,
                Registration.reference,
                Registration.email,
                Registration.phone,
                Registration.language,
            ).where(Registration.id.in_(ids[start : start + CHUNK]))  # type: ignore[union-attr]
        ).all()
        messages = [
            message
            for row in rows
            if (flight := flights.get(seated[row.id])) is not None
            for message in _seat_messages(row, flight, people[row.id], departures)
        ]
        if messages:
            session.execute(sa.insert(OutboxMessage), messages)
        queued += len(messages)
    return queued


def _seat_messages(
    row: Any, flight: Flight, people: int, departures: dict[tuple[int, str], str]
) -> list[dict[str, Any]]:
    language = message_language(row.language)
    key = (flight.id, language)  # type: ignore[assignment]
    if key not in departures:
        departures[key] = format_departure(
            flight.departure_airport, flight.departure_time, language
        )
    context = {
        "reference": row.reference,
        "flight": flight.flight_number,
        "airport": flight.departure_airport,
        "departure": departures[key],
        "meeting_point": flight.meeting_point or "",
        "people": people,
    }
    now = utcnow()
    messages = []
    for template, channel in SEAT_TEMPLATES:
        recipient = row.email if channel is Channel.email else row.phone
        if not recipient:
            continue
        rendered = render_message(template, language, context)
        messages.append(
            {
                "created_at": now,
                "registration_id": row.id,
                "channel": channel,
                "recipient": recipient,
                "language": language,
                "template": template,
                "subject": rendered.subject,
                "body": rendered.body,
                "status": OutboxStatus.pending,
                "attempts": 0,
                "next_attempt_at": now,
            }
        )
    return messages


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
