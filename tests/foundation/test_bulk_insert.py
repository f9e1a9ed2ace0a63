"""``insert_many`` stores exactly what SQLAlchemy's own insert stores, faster."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.db import insert_many
from evac.notifications.models import Channel, OutboxMessage, OutboxStatus

AT = datetime(2026, 11, 30, 21, 15, 0, 123456, tzinfo=timezone(timedelta(hours=3)))


def _event(subject_id: str, after: dict[str, object] | None) -> dict[str, object]:
    return {
        "occurred_at": AT,
        "actor": "planner",
        "action": "case.seat",
        "subject_type": "registration",
        "subject_id": subject_id,
        "before": None,
        "after": after,
    }


def _stored(session: Session, subject_id: str) -> tuple[object, ...]:
    event = session.exec(select(AuditEvent).where(AuditEvent.subject_id == subject_id)).one()
    return (event.occurred_at, event.actor, event.action, event.before, event.after)


def test_rows_read_back_as_sqlalchemys_own_insert_stores_them(session: Session) -> None:
    after = {"status": "assigned", "flight": "TK1234", "name": "Ayşe Yılmaz 李雷 محمد"}
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    session.connection().execute(sa.insert(table), [_event("by-sqlalchemy", after)])
    insert_many(session, table, [_event("by-insert-many", after), _event("second", None)])

    expected = _stored(session, "by-sqlalchemy")
    assert _stored(session, "by-insert-many") == expected
    assert expected[0] == AT.astimezone(UTC)
    assert _stored(session, "second")[4] is None


def test_a_message_already_queued_under_its_key_is_skipped(session: Session) -> None:
    now = datetime.now(UTC)

    def message(body: str) -> dict[str, object]:
        return {
            "created_at": now,
            "registration_id": None,
            "channel": Channel.sms,
            "recipient": "+4930901820",
            "language": "tr",
            "template": "broadcast_sms",
            "subject": "",
            "body": body,
            "status": OutboxStatus.pending,
            "attempts": 0,
            "next_attempt_at": now,
            "dedupe_key": "bulk-insert-test:1",
        }

    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    insert_many(session, table, [message("first")], skip_duplicates_of="dedupe_key")
    insert_many(session, table, [message("again")], skip_duplicates_of="dedupe_key")

    stored = session.exec(
        select(OutboxMessage).where(col(OutboxMessage.dedupe_key) == "bulk-insert-test:1")
    ).all()
    assert [(m.body, m.channel, m.status) for m in stored] == [
        ("first", Channel.sms, OutboxStatus.pending)
    ]


def test_text_with_tabs_newlines_and_backslashes_is_stored_as_written(session: Session) -> None:
    now = datetime.now(UTC)
    body = "Uçuş TK1\tkapı 3\nالخرطوم \\N \\. 李雷\r\n"
    row = {
        "created_at": now,
        "registration_id": None,
        "channel": Channel.email,
        "recipient": "ayse@example.org",
        "language": "tr",
        "template": "broadcast_email",
        "subject": "\\",
        "body": body,
        "status": OutboxStatus.pending,
        "attempts": 0,
        "next_attempt_at": now,
        "dedupe_key": None,
    }
    insert_many(session, OutboxMessage.__table__, [row, {**row, "body": ""}])  # type: ignore[attr-defined]

    stored = session.exec(
        select(OutboxMessage).where(col(OutboxMessage.recipient) == "ayse@example.org")
    ).all()
    assert sorted((m.subject, m.body) for m in stored) == [("\\", ""), ("\\", body)]
