"""A person on a journey holds one live seat per leg: the partial unique index on
``assignment.person_id`` among live seats becomes one on ``(person_id, flight_id)``.

A case's seats are read in leg order through ``ix_assignment_registration_id``
joined to the flight's departure time; no other index is needed.

The downgrade puts the one-seat-per-person index back, so it refuses while any
person holds live seats on several legs: releasing them would lose journeys.

Revision ID: 7c3e5a91d2f4
Revises: b3f1d8a4c6e2
Create Date: 2026-12-02 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3e5a91d2f4"
down_revision: str | None = "b3f1d8a4c6e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status IN ('assigned','confirmed','checked_in','boarded')"


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_assignment_active_person",
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )
        batch_op.create_index(
            "uq_assignment_live_person_flight",
            ["person_id", "flight_id"],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )


def downgrade() -> None:
    assignment = sa.table("assignment", sa.column("person_id"), sa.column("status"))
    travelling = (
        sa.select(assignment.c.person_id)
        .where(sa.text(LIVE))
        .group_by(assignment.c.person_id)
        .having(sa.func.count() > 1)
        .limit(1)
    )
    if op.get_bind().execute(travelling).first() is not None:
        raise RuntimeError(
            "Some people hold live seats on several legs of a journey; a single seat "
            "per person cannot hold them. Release those journeys before downgrading."
        )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_assignment_live_person_flight",
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )
        batch_op.create_index(
            "uq_assignment_active_person",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )
