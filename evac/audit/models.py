"""The trail of every change: rows are appended, never deleted."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One change: who did what to which record, with the values before and after.

    Rows are only ever inserted and never deleted. The one update is the
    retention purge (``evac.retention.service``): it blanks the personal values
    in ``before`` and ``after`` of anonymized cases and keeps who, what and when,
    since a trail that outlives the data protection period would keep the data.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_subject", "subject_type", "subject_id", "occurred_at"),
        sa.Index("ix_audit_event_occurred_at", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=80, description="e.g. 'staff:alice', 'registrant', 'planner'.")
    action: str = Field(max_length=60)
    subject_type: str = Field(max_length=40)
    subject_id: str = Field(max_length=40)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
