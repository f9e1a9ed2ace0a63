"""Queueing one message to many households at once.

A plan commit, a cancelled flight or a broadcast can reach tens of thousands of
households: their rows are read in chunks of plain columns and the messages are
inserted in bulk, still in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from evac.db import insert_many, utcnow
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus
from evac.notifications.templates import message_language, render_message
from evac.registration.models import Registration

CHUNK = 5000

Templates = Sequence[tuple[str, Channel]]
ContextFor = Callable[[Any, str], dict[str, Any]]
"""The values of one household's message, given its row and its language."""


def registration_rows(session: Session, registration_ids: Iterable[int]) -> Iterator[list[Any]]:
    """The contact columns of the given cases, in chunks."""
    ids = sorted(set(registration_ids))
    for start in range(0, len(ids), CHUNK):
        yield list(
            session.execute(
                sa.select(
                    Registration.id,
                    Registration.reference,
                    Registration.email,
                    Registration.phone,
                    Registration.language,
                    Registration.access_token_hash,
                ).where(Registration.id.in_(ids[start : start + CHUNK]))  # type: ignore[union-attr]
            ).all()
        )


def message_rows(
    row: Any,
    templates: Templates,
    context: dict[str, Any],
    *,
    now: datetime,
    dedupe_prefix: str | None = None,
    render: Callable[[str, str, dict[str, Any]], Any] = render_message,
) -> list[dict[str, Any]]:
    """The outbox rows for one household: one per template whose channel it has an address for."""
    language = message_language(row.language)
    rows = []
    for template, channel in templates:
        recipient = row.email if channel is Channel.email else row.phone
        if not recipient:
            continue
        rendered = render(template, language, {"reference": row.reference, **context})
        rows.append(
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
                "dedupe_key": f"{dedupe_prefix}:{row.id}:{channel}" if dedupe_prefix else None,
            }
        )
    return rows


def insert_messages(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows; a row whose ``dedupe_key`` is already queued is skipped."""
    if not rows:
        return
    insert_many(session, OutboxMessage.__table__, rows, skip_duplicates_of="dedupe_key")  # type: ignore[arg-type]


def queue_for(
    session: Session,
    registration_ids: Iterable[int],
    templates: Templates,
    context_for: ContextFor,
    *,
    dedupe_prefix: str | None = None,
) -> int:
    """Queue ``templates`` to each case; returns how many messages were built."""
    now = utcnow()
    queued = 0
    for rows in registration_rows(session, registration_ids):
        messages = [
            message
            for row in rows
            for message in message_rows(
                row,
                templates,
                context_for(row, message_language(row.language)),
                now=now,
                dedupe_prefix=dedupe_prefix,
            )
        ]
        insert_messages(session, messages)
        queued += len(messages)
    return queued
