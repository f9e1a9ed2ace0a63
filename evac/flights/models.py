"""Evacuation flights, ambulance planes and the people assigned to them."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class FlightKind(StrEnum):
    regular = "regular"
    ambulance = "ambulance"


class FlightStatus(StrEnum):
    planned = "planned"
    open = "open"
    closed = "closed"
    departed = "departed"
    arrived = "arrived"
    cancelled = "cancelled"


class AssignmentStatus(StrEnum):
    assigned = "assigned"
    confirmed = "confirmed"
    checked_in = "checked_in"
    boarded = "boarded"
    no_show = "no_show"
    offloaded = "offloaded"


# Assignments in these states hold a seat or a stretcher.
ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.assigned,
    AssignmentStatus.confirmed,
    AssignmentStatus.checked_in,
    AssignmentStatus.boarded,
)


class Flight(SQLModel, table=True):
    __tablename__ = "flight"
    __table_args__ = (
        sa.UniqueConstraint("flight_number", "departure_date"),
        sa.Index("ix_flight_country_departure_time", "country", "departure_time"),
        sa.CheckConstraint("seats >= 0", name="seats_not_negative"),
        sa.CheckConstraint("stretchers >= 0", name="stretchers_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    flight_number: str = Field(max_length=10)
    kind: FlightKind = Field(sa_type=sa.String(10))
    departure_airport: str = Field(max_length=3)
    destination_airport: str = Field(max_length=3)
    country: str = Field(max_length=2, description="Country of the departure airport.")
    departure_time: datetime = Field(sa_type=UTCDateTime)
    departure_date: date = Field(description="Local date at the departure airport.")
    seats: int
    stretchers: int = 0
    status: FlightStatus = Field(default=FlightStatus.planned, sa_type=sa.String(10))
    meeting_point: str | None = Field(default=None, max_length=500)
    meeting_texts: dict[str, dict[str, str]] | None = Field(
        default=None,
        sa_type=sa.JSON,
        description="Language -> {'point', 'instructions'}; see flights/meeting.py.",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    row_version: int = 1


# A person holds at most one live seat on each leg (and one on every leg of a journey).
LIVE_SEAT_PREDICATE = "status IN ('assigned','confirmed','checked_in','boarded')"


class Assignment(SQLModel, table=True):
    """A person on a leg (a flight, ambulance plane, bus, ship or train), in a seat or
    on a stretcher. A household on a journey holds one seat per person per leg."""

    __tablename__ = "assignment"
    __table_args__ = (
        sa.Index("ix_assignment_flight_status", "flight_id", "status"),
        sa.Index(
            "uq_assignment_live_person_flight",
            "person_id",
            "flight_id",
            unique=True,
            sqlite_where=sa.text(LIVE_SEAT_PREDICATE),
            postgresql_where=sa.text(LIVE_SEAT_PREDICATE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    flight_id: int = Field(foreign_key="flight.id")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    uses_stretcher: bool = False
    status: AssignmentStatus = Field(default=AssignmentStatus.assigned, sa_type=sa.String(12))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
