"""Tables the web layer itself keeps: rate-limit counters shared by every worker."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime


class RateLimitWindow(SQLModel, table=True):
    """How many requests one client made to one bucket in one fixed time window.

    A row per (bucket, client, window start), incremented with an atomic upsert,
    so the limit holds across worker processes and machines sharing the database.
    """

    __tablename__ = "rate_limit_window"
    __table_args__ = (sa.Index("ix_rate_limit_window_window_start", "window_start"),)

    bucket: str = Field(primary_key=True, max_length=32)
    client: str = Field(primary_key=True, max_length=45)
    window_start: datetime = Field(primary_key=True, sa_type=UTCDateTime)
    count: int = Field(default=0)
