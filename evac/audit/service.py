"""The one helper through which every change is recorded."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlmodel import Session

from evac.audit.models import AuditEvent
from evac.db import utcnow

SYSTEM = "system"
REGISTRANT = "registrant"
IMPORT = "import"
PLANNER = "planner"


def staff_actor(username: str) -> str:
    return f"staff:{username}"


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction (committed with the change)."""
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=jsonable_encoder(before) if before is not None else None,
        after=jsonable_encoder(after) if after is not None else None,
    )
    session.add(event)
    return event


def record_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Many events at once (the planner's commit, bulk imports, registrations), in
    one plain INSERT: cheaper than the ORM's unit of work on busy paths.

    Each dict has the keyword arguments of ``record_event``.
    """
    if not events:
        return
    now = utcnow()
    rows = [
        {
            "occurred_at": now,
            "actor": event["actor"],
            "action": event["action"],
            "subject_type": event["subject_type"],
            "subject_id": str(event["subject_id"]),
            "before": jsonable_encoder(event.get("before")),
            "after": jsonable_encoder(event.get("after")),
        }
        for event in events
    ]
    session.connection().execute(AuditEvent.__table__.insert(), rows)  # type: ignore[attr-defined]
