"""Evacuation flights, ambulance planes, the other legs of a journey (a bus, a ship,
a train) and the people assigned to them.

A flight is one kind of leg: the ``flight`` table holds every leg, its ``mode``
saying which vehicle, and its ``kind`` (regular or ambulance) derived from the
mode by ``evac.flights.service.kind_for_mode`` (a CHECK keeps the two in step).
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class FlightKind(StrEnum):
    regular = "regular"
    ambulance = "ambulance"


class LegMode(StrEnum):
    """The vehicle of a leg (the same values as ``evac.planning.journey_data.LegMode``)."""

    flight = "flight"
    ambulance_flight = "ambulance_flight"
    bus = "bus"
    ship = "ship"
    train = "train"


# Legs by air go from an airport to an airport.
AIR_MODES = (LegMode.flight, LegMode.ambulance_flight)


def kind_for_mode(mode: LegMode) -> FlightKind:
    """A leg's kind, derived from its mode: the one place the two are tied (the table's
    ``kind_matches_mode`` CHECK says the same). Kept beside the enums because the
    pure parser (schemas) and the service both need it."""
    return FlightKind.ambulance if mode is LegMode.ambulance_flight else FlightKind.regular


def mode_for_kind(kind: FlightKind) -> LegMode:
    """The mode of a flight given only its kind (``evac import flights``, older API clients)."""
    return LegMode.ambulance_flight if kind is FlightKind.ambulance else LegMode.flight


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
        sa.CheckConstraint(
            "(kind = 'ambulance' AND mode = 'ambulance_flight') "
            "OR (kind <> 'ambulance' AND mode <> 'ambulance_flight')",
            name="kind_matches_mode",
        ),
        sa.CheckConstraint(
            "arrival_time IS NULL OR arrival_time > departure_time", name="arrives_after_departure"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    flight_number: str = Field(max_length=10)
    kind: FlightKind = Field(sa_type=sa.String(10), description="Derived from mode.")
    mode: LegMode = Field(default=LegMode.flight, sa_type=sa.String(16))
    departure_airport: str = Field(
        max_length=12,
        description="Where the leg leaves from: an airport's IATA code or a place's code "
        "(evac.places); an airport for a flight.",
    )
    destination_airport: str = Field(
        max_length=12, description="Where the leg arrives: an IATA code or a place's code."
    )
    country: str = Field(max_length=2, description="Country of the departure place.")
    departure_zone: str = Field(
        max_length=64,
        description="IANA time zone of the departure place: its times are read on these "
        "clocks. Set with the place by the one writer (flights.service.flight_values).",
    )
    arrival_zone: str = Field(max_length=64, description="IANA time zone of the arrival place.")
    departure_time: datetime = Field(sa_type=UTCDateTime)
    departure_date: date = Field(description="Local date at the departure place.")
    arrival_time: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="UTC; empty for flights saved before legs."
    )
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

    @property
    def by_air(self) -> bool:
        """A flight or an ambulance plane: from an airport's desk, on a PAXLST."""
        return self.mode in AIR_MODES


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
