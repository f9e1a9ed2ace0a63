"""A long job started from a page: its input, its progress and its result, in one row.

The row is the only place a job lives, so every worker and machine sees the
same progress, and a job whose process died is visible as such (its
``heartbeat_at`` stops moving).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


UNFINISHED = (JobStatus.queued, JobStatus.running)


class BackgroundJob(SQLModel, table=True):
    __tablename__ = "background_job"
    __table_args__ = (sa.Index("ix_background_job_status_heartbeat", "status", "heartbeat_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    owner_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    actor: str = Field(max_length=80, description="Who the job's changes are audited as.")
    # The owner's countries when the job started; None for someone who sees every country.
    countries: list[str] | None = Field(default=None, sa_type=sa.JSON)
    language: str = Field(max_length=8)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: JobStatus = Field(default=JobStatus.queued, sa_type=sa.String(12))
    phase: str = Field(default="", max_length=20)
    done: int = 0
    total: int = 0
    # The uploaded file: personal data, cleared as soon as the job ends.
    payload: str | None = Field(default=None, sa_type=sa.Text)
    result: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    error: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    heartbeat_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED
