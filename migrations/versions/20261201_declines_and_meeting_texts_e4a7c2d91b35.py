"""A registrant's "no" to an offered flight (declined or cannot reach the
airport, with a reason) kept on the case for officers; a flight's meeting point
and instructions per language.

Revision ID: e4a7c2d91b35
Revises: c5e8a1f3d920
Create Date: 2026-12-01 03:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a7c2d91b35"
down_revision: str | None = "c5e8a1f3d920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decline_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("decline_reason", sa.String(length=500), nullable=True))
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.drop_column("meeting_texts")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("decline_reason")
        batch_op.drop_column("decline_kind")
        batch_op.drop_column("declined_at")
