"""Places and legs (issue #18): assembly points, seaports, border crossings,
railway stations and airports' reach in a ``place`` table; a flight becomes one
kind of leg, with a ``mode`` (backfilled from ``kind``), an optional
``arrival_time``, and departure/destination columns wide enough for a place code.

Revision ID: b3f1d8a4c6e2
Revises: e4a9c2d71b50
Create Date: 2026-12-01 06:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3f1d8a4c6e2"
down_revision: str | None = "e4a9c2d71b50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND_MATCHES_MODE = (
    "(kind = 'ambulance' AND mode = 'ambulance_flight') "
    "OR (kind <> 'ambulance' AND mode <> 'ambulance_flight')"
)


def _create_place() -> None:
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("reach_km", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind = 'airport' OR (latitude IS NOT NULL AND longitude IS NOT NULL)",
            name=op.f("ck_place_located_unless_airport"),
        ),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_place_latitude_on_earth")),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_place_longitude_on_earth")
        ),
        sa.CheckConstraint("reach_km > 0", name=op.f("ck_place_reach_km_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_code"), ["code"], unique=True)
        batch_op.create_index("ix_place_country_kind", ["country", "kind"], unique=False)


def upgrade() -> None:
    _create_place()
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mode", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("arrival_time", sa.DateTime(timezone=True), nullable=True))
        for column in ("departure_airport", "destination_airport"):
            batch_op.alter_column(
                column, existing_type=sa.String(length=3), type_=sa.String(length=12)
            )
    op.execute(
        "UPDATE flight SET mode = CASE WHEN kind = 'ambulance' "
        "THEN 'ambulance_flight' ELSE 'flight' END"
    )
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.alter_column("mode", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_check_constraint("kind_matches_mode", KIND_MATCHES_MODE)
        batch_op.create_check_constraint(
            "arrives_after_departure", "arrival_time IS NULL OR arrival_time > departure_time"
        )


COUNT_NOT_FLIGHTS = (
    "SELECT count(*) FROM flight WHERE mode NOT IN ('flight', 'ambulance_flight') "
    "OR length(departure_airport) > 3 OR length(destination_airport) > 3"
)


def downgrade() -> None:
    """Refused while a leg that is not a flight between airports exists: the old
    table cannot hold it, and deleting it would take its passengers' seats."""
    legs = op.get_bind().execute(sa.text(COUNT_NOT_FLIGHTS))
    count = legs.scalar_one()
    if count:
        raise RuntimeError(
            f"{count} legs are not flights between airports; cancel and delete them "
            "before downgrading below revision b3f1d8a4c6e2"
        )
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.drop_constraint("arrives_after_departure", type_="check")
        batch_op.drop_constraint("kind_matches_mode", type_="check")
        for column in ("destination_airport", "departure_airport"):
            batch_op.alter_column(
                column, existing_type=sa.String(length=12), type_=sa.String(length=3)
            )
        batch_op.drop_column("arrival_time")
        batch_op.drop_column("mode")
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_index("ix_place_country_kind")
        batch_op.drop_index(batch_op.f("ix_place_code"))
    op.drop_table("place")
