"""The outbox: every message to a registrant is a row, written with the change
that caused it, and sent later by a worker."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class Channel(StrEnum):
    email = "email"
    sms = "sms"


LINK_REMOVED = "[private link removed]"
"""What replaces a private link in a message's stored text once it has been sent."""


class OutboxStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    dead = "dead"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    registration_id: int | None = Field(
        default=None, foreign_key="registration.id", index=True, ondelete="SET NULL"
    )
    channel: Channel = Field(sa_type=sa.String(8))
    recipient: str = Field(max_length=254)
    language: str = Field(max_length=5)
    template: str = Field(max_length=60)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=sa.String(8))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    dedupe_key: str | None = Field(
        default=None,
        max_length=80,
        unique=True,
        description="Set on messages that must be queued once only, e.g. a reminder.",
    )

    @property
    def link_removed(self) -> bool:
        """True once the private link this message carried is no longer stored."""
        return LINK_REMOVED in self.body


class Audience(StrEnum):
    country = "country"
    flight = "flight"


class Broadcast(SQLModel, table=True):
    """A coordinator's message to every registrant of a country or of a flight.

    ``texts`` maps a language to its subject and body; registrants whose
    language has no text get the English one.
    """

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=120)
    audience: Audience = Field(sa_type=sa.String(8))
    country: str | None = Field(default=None, max_length=2)
    flight_id: int | None = Field(default=None, foreign_key="flight.id", ondelete="SET NULL")
    channels: str = Field(max_length=20, description="Comma-separated channels.")
    texts: dict[str, dict[str, str]] = Field(sa_type=sa.JSON)
    households: int = 0
    messages: int = 0
