"""Every leg carries the time zones of the places it leaves and reaches
(``departure_zone``, ``arrival_zone``), so that every page, document and message
reads its times on the same clocks without looking its places up again: a bus
from an assembly point in a country of several zones used to be announced in UTC.

The backfill reads each code as the application does: an airport's zone from
airportsdata, a recorded place's from the airport nearest to it in its country.

Revision ID: 9d2e6b4f1a73
Revises: 7c3e5a91d2f4
Create Date: 2026-12-03 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evac.geo.airports import get_airport, zone_near

revision: str = "9d2e6b4f1a73"
down_revision: str | None = "7c3e5a91d2f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

flight = sa.table(
    "flight",
    sa.column("departure_airport", sa.String),
    sa.column("destination_airport", sa.String),
    sa.column("departure_zone", sa.String),
    sa.column("arrival_zone", sa.String),
)
place = sa.table(
    "place",
    sa.column("code", sa.String),
    sa.column("country", sa.String),
    sa.column("latitude", sa.Float),
    sa.column("longitude", sa.Float),
)


def _zones(connection: sa.Connection) -> dict[str, str]:
    """The zone of every code a leg names, as ``evac.places.service`` resolves it."""
    codes = set(connection.execute(sa.select(flight.c.departure_airport)).scalars())
    codes |= set(connection.execute(sa.select(flight.c.destination_airport)).scalars())
    located = {
        row.code: row
        for row in connection.execute(sa.select(place).where(place.c.code.in_(codes)))
        if row.latitude is not None and row.longitude is not None
    }
    zones = {}
    for code in codes:
        airport = get_airport(code) if len(code) == 3 else None
        if airport is not None:
            zones[code] = airport.tz or "UTC"
        elif code in located:
            row = located[code]
            zones[code] = zone_near(row.latitude, row.longitude, row.country)
        else:
            zones[code] = "UTC"
    return zones


def upgrade() -> None:
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.add_column(sa.Column("departure_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("arrival_zone", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for code, zone in _zones(connection).items():
        connection.execute(
            flight.update().where(flight.c.departure_airport == code).values(departure_zone=zone)
        )
        connection.execute(
            flight.update().where(flight.c.destination_airport == code).values(arrival_zone=zone)
        )
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.alter_column("departure_zone", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("arrival_zone", existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.drop_column("arrival_zone")
        batch_op.drop_column("departure_zone")
