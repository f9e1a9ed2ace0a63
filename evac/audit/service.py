"""The one helper through which every change is recorded."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlmodel import Session

from evac.audit.models import AuditEvent

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
