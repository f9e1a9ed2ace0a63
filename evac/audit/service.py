"""The one helper through which every change is recorded."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlmodel import Session

from evac.audit.models import AuditEvent
from evac.db import insert_many, utcnow

SYSTEM = "system"
REGISTRANT = "registrant"
IMPORT = "import"
PLANNER = "planner"


def json_ready(value: Any) -> Any:
    """``value`` as JSON data: enums become their values, dates and times ISO text,
    tuples and sets lists. Anything else (a model, a decimal) goes through FastAPI's
    encoder, imported only then: the planner's commit audits tens of thousands of
    plain dicts, and the command line should not load FastAPI."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, dict):
        return {json_ready(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_ready(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)


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
        before=json_ready(before) if before is not None else None,
        after=json_ready(after) if after is not None else None,
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
            "before": json_ready(event.get("before")),
            "after": json_ready(event.get("after")),
        }
        for event in events
    ]
    insert_many(session, AuditEvent.__table__, rows)  # type: ignore[arg-type]
