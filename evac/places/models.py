"""Places a journey's legs leave from and arrive at, besides airports.

A coordinator records assembly points, seaports, border crossings and railway
stations, each under a code of its own (``KRT-1``, ``PZU-PORT``, ``MEDYKA``),
and may record an airport (its IATA code) only to set how far people may
travel on their own to board there. Places hold no personal data: they are
not purged (see ``evac/retention/service.py``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evac.db import UTCDateTime, utcnow


class PlaceKind(StrEnum):
    airport = "airport"
    assembly_point = "assembly_point"
    seaport = "seaport"
    border_crossing = "border_crossing"
    rail_station = "rail_station"


class Place(SQLModel, table=True):
    __tablename__ = "place"
    __table_args__ = (
        sa.Index("ix_place_country_kind", "country", "kind"),
        sa.CheckConstraint(
            "kind = 'airport' OR (latitude IS NOT NULL AND longitude IS NOT NULL)",
            name="located_unless_airport",
        ),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_on_earth"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_on_earth"),
        sa.CheckConstraint("reach_km > 0", name="reach_km_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(
        max_length=12,
        unique=True,
        index=True,
        description="An airport's IATA code, or 4-12 of A-Z, 0-9 and '-' for any other place.",
    )
    kind: PlaceKind = Field(sa_type=sa.String(16))
    name: str = Field(max_length=200)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    latitude: float | None = Field(default=None, description="Empty for an airport: airportsdata's")
    longitude: float | None = None
    reach_km: float | None = Field(
        default=None,
        description="How far people may travel on their own to board here; empty: the default "
        "(EVAC_MAX_AIRPORT_DISTANCE_KM for an airport, EVAC_LOCAL_REACH_KM for any other place).",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    row_version: int = 1
