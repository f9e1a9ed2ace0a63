"""Private links leave the outbox once they have done their job.

A confirmation or a new-link email carries the private link
(``/r/REF?t=TOKEN``) and a seat notice a seat pass (``/r/REF/seat?s=PASS``).
Everywhere else evac keeps only the token's hash, so the outbox must not keep
a working link in clear text for longer than it takes to send it:

- a sent message loses its links in the transaction that marks it sent;
- a message given up on (``dead``) keeps them for ``DEAD_LINK_KEEP``, so that
  staff can still send it again once the mail server works, then housekeeping
  removes them (and any link left in a message sent before this rule).

Each link that carries a token (a ``t`` or ``s`` query parameter) becomes
``LINK_REMOVED``; the rest of the text, the template, channel and language stay
for the staff outbox page. A message without its link is not sent again: the
registrant asks for a new link instead.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from evac.notifications.models import LINK_REMOVED, OutboxMessage, OutboxStatus

DEAD_LINK_KEEP = timedelta(days=7)
BATCH = 500
SUBJECT_LENGTH = 300
_PRIVATE_LINK = re.compile(r"https?://\S+?[?&][ts]=\S*")
# What a stored text holding a token looks like to LIKE: a cheap filter before the regex.
_TOKEN_PATTERNS = ("%?t=%", "%&t=%", "%?s=%", "%&s=%")


def without_private_links(text: str) -> str:
    """``text`` with every link that carries a token replaced by ``LINK_REMOVED``."""
    return _PRIVATE_LINK.sub(LINK_REMOVED, text)


def remove_links(message: OutboxMessage) -> None:
    """Take the private links out of a message that has been sent."""
    message.subject = without_private_links(message.subject)[:SUBJECT_LENGTH]
    message.body = without_private_links(message.body)


def _done_with(now: datetime) -> sa.ColumnElement[bool]:
    """Messages whose links are no longer needed: sent, or dead for long enough."""
    return sa.or_(
        OutboxMessage.status == OutboxStatus.sent,
        sa.and_(
            OutboxMessage.status == OutboxStatus.dead,
            OutboxMessage.created_at < now - DEAD_LINK_KEEP,  # type: ignore[operator]
        ),
    )


def _may_hold_token() -> sa.ColumnElement[bool]:
    return sa.or_(
        *(
            column.like(pattern)  # type: ignore[attr-defined]
            for column in (OutboxMessage.body, OutboxMessage.subject)
            for pattern in _TOKEN_PATTERNS
        )
    )


def remove_stale_links(session: Session, now: datetime) -> int:
    """Remove the links still stored in messages that no longer need them.

    Returns how many messages changed. The UPDATE checks the status again, so a
    message sent again by staff meanwhile keeps the text it is being sent with.
    """
    changed = 0
    last_id = 0
    while True:
        rows = session.execute(
            sa.select(
                OutboxMessage.id, OutboxMessage.status, OutboxMessage.subject, OutboxMessage.body
            )
            .where(_done_with(now), _may_hold_token(), OutboxMessage.id > last_id)  # type: ignore[operator]
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return changed
        last_id = rows[-1].id
        changes = [change for row in rows if (change := _change(row)) is not None]
        if changes:
            session.execute(_conditional_update(), changes)
            changed += len(changes)


def _change(row: sa.Row) -> dict[str, str] | None:
    subject = without_private_links(row.subject)[:SUBJECT_LENGTH]
    body = without_private_links(row.body)
    if (subject, body) == (row.subject, row.body):
        return None
    return {
        "message_id": row.id,
        "old_status": row.status,
        "new_subject": subject,
        "new_body": body,
    }


def _conditional_update() -> sa.Update:
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    return (
        sa.update(table)
        .where(
            table.c.id == sa.bindparam("message_id"),
            table.c.status == sa.bindparam("old_status"),
        )
        .values(subject=sa.bindparam("new_subject"), body=sa.bindparam("new_body"))
    )
