"""split and merged case links

Revision ID: 6b64db71e382
Revises: ffe2dd297780
Create Date: 2026-11-24 15:40:00.194794+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b64db71e382"
down_revision: str | None = "ffe2dd297780"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_registration_merged_into_id_registration"),
            "registration",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registration_split_from_id_registration"),
            "registration",
            ["split_from_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_registration_split_from_id_registration"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_registration_merged_into_id_registration"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("split_from_id")
