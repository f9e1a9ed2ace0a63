"""Bind idempotency records to their request body; keep a lost-link token pending.

Idempotency records older than this revision have no body hash, so they could
be replayed for any body: they are deleted (they live a day only, and a retry
of one of them registers the household anew rather than leaking a token).

Revision ID: 706d6b921667
Revises: 3ac6444a37ff
Create Date: 2026-11-30 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "706d6b921667"
down_revision: str | None = "3ac6444a37ff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM idempotency_record"))
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pending_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("pending_token_hash")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("request_hash")
